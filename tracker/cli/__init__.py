"""The `tracker` command: a Flask CLI group with the app's commands."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from tracker import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, add_default_commands=True, help="tracker")
