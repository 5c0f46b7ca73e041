"""Scheduled job of the maturity measurement: thin, idempotent, with a fixed id.

maturity-mail  daily at [NOTIFICATIONS] REMINDER_HOUR: invitations to rounds that
               opened, one reminder REMINDER_DAYS before a round closes
"""

from __future__ import annotations

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask

from tracker import clock
from tracker.db import get_session
from tracker.jobs import job_app
from tracker.services.governance import invitations


def register_maturity_jobs(scheduler: BaseScheduler, app: Flask) -> None:
    """The daily round mail."""
    scheduler.add_job(
        maturity_mail_job,
        CronTrigger(
            hour=int(app.config["NOTIFICATIONS"]["REMINDER_HOUR"]),
            timezone=str(app.config["BABEL_DEFAULT_TIMEZONE"]),
        ),
        id="maturity-mail",
        name="Invite to maturity rounds that opened; remind before they close",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=24 * 3600,
    )


def maturity_mail_job() -> None:
    """Queue the round invitations and reminders that are due (once each)."""
    app = job_app()
    with app.app_context():
        session = get_session()
        settings = invitations.RoundMail(
            public_url=str(app.config["PUBLIC_URL"]).rstrip("/"),
            reminder_days=int(app.config["MATURITY"]["REMINDER_DAYS"]),
        )
        invitations.send_round_mail(
            session, settings, today=clock.today(), now=clock.now()
        )
        session.commit()
