"""Upkeep jobs for the scheduler: deliver queued e-mail, blank old applicants' data."""

from __future__ import annotations

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from tracker import clock
from tracker.db import get_session
from tracker.jobs import job_app
from tracker.services import mail, privacy


def register_upkeep_jobs(scheduler: BaseScheduler, app: Flask) -> None:
    """Mail delivery every minute (when SMTP is set) and a nightly privacy purge."""
    common = {"replace_existing": True, "coalesce": True, "max_instances": 1}
    if app.config["SMTP"]["HOST"]:
        scheduler.add_job(
            deliver_mail_job,
            IntervalTrigger(minutes=1),
            id="mail-deliver",
            name="Deliver queued e-mail",
            misfire_grace_time=3600,
            **common,
        )
    scheduler.add_job(
        purge_job,
        CronTrigger(hour=3, timezone=app.config["BABEL_DEFAULT_TIMEZONE"]),
        id="privacy-purge",
        name="Anonymise old applications and e-mail",
        misfire_grace_time=24 * 3600,
        **common,
    )


def deliver_mail_job() -> None:
    """Send what the outbox holds; failures stay queued for the next run."""
    app = job_app()
    with app.app_context():
        session = get_session()
        mail.deliver_pending(session, app.config["SMTP"])
        session.commit()


def purge_job() -> None:
    """Anonymise old applications and blank old e-mail bodies."""
    app = job_app()
    with app.app_context():
        session = get_session()
        months = int(app.config["RECRUITMENT"]["RETENTION_MONTHS"])
        privacy.purge(session, now=clock.now(), retention_months=months)
        days = int(app.config["PRIVACY"]["MAIL_RETENTION_DAYS"])
        privacy.expire_mail_bodies(session, now=clock.now(), days=days)
        session.commit()
