"""Two-way Trello sync; depends on tracker, registered by tracker.create_app."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the sync's CLI, scheduled jobs and webhook with *app*."""
