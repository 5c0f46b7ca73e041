"""Every command of the `tracker` group, added to the app by create_app."""

from __future__ import annotations

from flask import Flask

from tracker.cli import applications, core, digests, interchange, mail, scheduler


def register(app: Flask) -> None:
    """Add the tracker's commands to `flask --app tracker` and `tracker`."""
    for module in (core, applications, digests, mail, scheduler, interchange):
        for command in module.COMMANDS:
            app.cli.add_command(command)
