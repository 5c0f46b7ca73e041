"""Two-way Trello sync; depends on tracker, registered by tracker.create_app."""

from __future__ import annotations

from flask import Flask


def init_app(app: Flask) -> None:
    """Register the sync's CLI, scheduled jobs, webhook and status page with *app*."""
    from sync import jobs, webhook
    from sync.cli import sync_group
    from sync.views import bp
    from tracker.extensions import csrf

    app.cli.add_command(sync_group)
    app.extensions["tracker.job_registrars"].append(jobs.register_jobs)
    # Trello cannot send a CSRF token; the webhook verifies Trello's signature.
    csrf.exempt(webhook.trello_webhook)
    app.register_blueprint(bp)
