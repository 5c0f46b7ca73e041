"""Scheduled jobs for following and being told: thin, idempotent, with fixed ids.

notifications-fanout   every FANOUT_MINUTES: new activity -> notifications; e-mail
                       that goes at once
notifications-reminders daily at REMINDER_HOUR: milestones overdue, deadlines near
notifications-summaries hourly: the daily and weekly summaries whose period began
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from tracker import clock
from tracker.db import get_session
from tracker.jobs import job_app
from tracker.services.attention import fanout, reminders, summaries


def register_notification_jobs(scheduler: BaseScheduler, app: Flask) -> None:
    """Fan-out, reminders and summaries, with explicit ids that replace old versions."""
    config = app.config["NOTIFICATIONS"]
    zone = str(app.config["BABEL_DEFAULT_TIMEZONE"])
    common: dict[str, Any] = {
        "replace_existing": True,
        "coalesce": True,
        "max_instances": 1,
    }
    scheduler.add_job(
        fanout_job,
        IntervalTrigger(minutes=int(config["FANOUT_MINUTES"]), timezone=zone),
        id="notifications-fanout",
        name="Turn new activity into notifications; send what goes at once",
        misfire_grace_time=3600,
        **common,
    )
    scheduler.add_job(
        reminders_job,
        CronTrigger(hour=int(config["REMINDER_HOUR"]), timezone=zone),
        id="notifications-reminders",
        name="Remind of overdue milestones and near sign-up deadlines",
        misfire_grace_time=24 * 3600,
        **common,
    )
    scheduler.add_job(
        summaries_job,
        CronTrigger(minute=2, timezone=zone),  # hourly: a missed hour catches up
        id="notifications-summaries",
        name="Send the daily and weekly summaries whose period has begun",
        misfire_grace_time=3600,
        **common,
    )


def fanout_job() -> None:
    """Notify followers of new activity, then send the e-mail that goes at once."""
    app = job_app()
    with app.app_context():
        session = get_session()
        now = clock.now()
        minutes = int(app.config["NOTIFICATIONS"]["SETTLE_MINUTES"])
        fanout.fan_out(
            session,
            now=now,
            settle=timedelta(minutes=minutes),
            checkpoint=session.commit,
        )
        settings = summaries.MailSettings.from_config(app.config)
        summaries.send_instant(session, settings, now=now, checkpoint=session.commit)
        session.commit()


def reminders_job() -> None:
    """Remind followers of overdue milestones and applicants of near deadlines."""
    app = job_app()
    with app.app_context():
        session = get_session()
        reminders.remind(
            session,
            today=clock.today(),
            now=clock.now(),
            deadline_days=int(app.config["NOTIFICATIONS"]["DEADLINE_DAYS"]),
        )
        session.commit()


def summaries_job() -> None:
    """Send each daily and weekly summary whose period has begun (once)."""
    app = job_app()
    with app.app_context():
        session = get_session()
        settings = summaries.MailSettings.from_config(app.config)
        summaries.send_summaries(
            session, settings, now=clock.now(), checkpoint=session.commit
        )
        session.commit()
