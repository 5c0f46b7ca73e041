"""The `tracker` command: a Flask CLI group with the app's commands."""

from __future__ import annotations

from flask import Flask
from flask.cli import FlaskGroup


def register(app: Flask) -> None:
    """Add the tracker's commands to `flask --app tracker` and `tracker`."""
    from tracker.cli import applications, core, digests, mail, scheduler

    for module in (core, applications, digests, mail, scheduler):
        for command in module.COMMANDS:
            app.cli.add_command(command)


def _create_app() -> Flask:
    from tracker import create_app

    return create_app()


main = FlaskGroup(create_app=_create_app, add_default_commands=True, help="tracker")
