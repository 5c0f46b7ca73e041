"""The governance's scheduled job: thin, idempotent, with a fixed id.

governance-mail  daily at [NOTIFICATIONS] REMINDER_HOUR: invitations to maturity
                 rounds that opened, one reminder REMINDER_DAYS before a round
                 closes, and a note to a decision's owner when its follow-up date came
"""

from __future__ import annotations

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from flask import Flask

from tracker import clock
from tracker.db import get_session
from tracker.jobs import job_app
from tracker.services.governance import decisions, invitations


def register_governance_jobs(scheduler: BaseScheduler, app: Flask) -> None:
    """The daily governance mail."""
    scheduler.add_job(
        governance_mail_job,
        CronTrigger(
            hour=int(app.config["NOTIFICATIONS"]["REMINDER_HOUR"]),
            timezone=str(app.config["BABEL_DEFAULT_TIMEZONE"]),
        ),
        id="governance-mail",
        name="Maturity round invitations and reminders; decision follow-ups",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=24 * 3600,
    )


def governance_mail_job() -> None:
    """Queue the round mail and the decision follow-ups that are due (once each)."""
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
        decisions.send_follow_ups(
            session, settings.public_url, today=clock.today(), now=clock.now()
        )
        session.commit()
