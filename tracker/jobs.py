"""Scheduled jobs: thin, idempotent callers of the digest services.

The job store pickles jobs, so every job is a module-level function without
arguments; it finds the app through bind(), which `tracker scheduler` calls.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask

from tracker import clock
from tracker.db import get_session
from tracker.services.digest import deliveries, publishing, workdays
from tracker.services.digest import drafts as digests
from tracker.services.digest.months import Month

_bound: list[Flask] = []


def bind(app: Flask) -> None:
    """Let the jobs of this process run in *app*."""
    _bound[:] = [app]


def job_app() -> Flask:
    """The app the jobs run in."""
    if not _bound:
        raise RuntimeError("tracker.jobs.bind(app) has not been called")
    return _bound[0]


class MonthlyWeekdayTrigger(BaseTrigger):  # type: ignore[misc]
    """Fires on the month's working day number *index* (0 = the first) at *hour*.

    Working days are Monday to Friday except Swedish public holidays (workdays.py).

    Follows CronTrigger's contract, so APScheduler can compute missed runs: with a
    previous fire time, the next one after it (even if that is in the past).
    """

    def __init__(self, index: int, hour: int, timezone: tzinfo | str) -> None:
        self.index, self.hour = index, hour
        self.timezone = ZoneInfo(timezone) if isinstance(timezone, str) else timezone

    def get_next_fire_time(
        self, previous_fire_time: datetime | None, now: datetime
    ) -> datetime | None:
        """The first fire time at or after now, or the one after the previous."""
        start = now
        if previous_fire_time is not None:
            # the one after the previous fire time, even if that is past: this is
            # how APScheduler finds the runs it missed
            start = previous_fire_time + timedelta(microseconds=1)
        local = start.astimezone(self.timezone)
        month = Month(local.year, local.month)
        for _ in range(3):
            candidate = self.fire_time(month)
            if candidate >= start:
                return candidate
            month = month.next
        return None  # pragma: no cover - a month always has a next one

    def fire_time(self, month: Month) -> datetime:
        """When the trigger fires in *month*."""
        day = workdays.working_day_of_month(month.year, month.month, self.index)
        return datetime.combine(day, time(self.hour), tzinfo=self.timezone)

    def __str__(self) -> str:
        return f"working day {self.index + 1} of the month at {self.hour:02d}:00"

    def __repr__(self) -> str:
        return f"<MonthlyWeekdayTrigger {self} ({self.timezone})>"


def register_digest_jobs(scheduler: BaseScheduler, app: Flask) -> None:
    """Draft, publish and retry jobs, with explicit ids that replace old versions."""
    config = app.config["DIGEST"]
    zone = ZoneInfo(str(config["TIMEZONE"]))
    common: dict[str, Any] = {
        "replace_existing": True,
        "coalesce": True,
        "max_instances": 1,
        "misfire_grace_time": int(float(config["MISFIRE_GRACE_HOURS"]) * 3600),
    }
    scheduler.add_job(
        draft_digest_job,
        MonthlyWeekdayTrigger(0, int(config["DRAFT_HOUR"]), zone),
        id="digest-draft",
        name="Draft last month's digest",
        **common,
    )
    scheduler.add_job(
        publish_digest_job,
        MonthlyWeekdayTrigger(
            int(config["PUBLISH_AFTER_WEEKDAYS"]), int(config["PUBLISH_HOUR"]), zone
        ),
        id="digest-publish",
        name="Publish last month's digest unless held",
        **common,
    )
    scheduler.add_job(
        digest_tick_job,
        IntervalTrigger(minutes=float(config["RETRY_MINUTES"]), timezone=zone),
        id="digest-tick",
        name="Publish scheduled digests and retry failed deliveries",
        **common,
    )


def draft_digest_job() -> None:
    """Draft last month's digest (nothing if it exists)."""
    app = job_app()
    with app.app_context():
        session = get_session()
        now = clock.now()
        digests.draft_for_month(
            session,
            None,
            Month.of(now).previous,
            now=now,
            public_url=str(app.config["PUBLIC_URL"]),
        )
        session.commit()


def publish_digest_job() -> None:
    """Publish last month's digest unless a communicator holds it (or must review)."""
    app = job_app()
    with app.app_context():
        session = get_session()
        now = clock.now()
        outcome = publishing.publish_month(
            session,
            Month.of(now).previous,
            mode=str(app.config["DIGEST"]["MODE"]),
            now=now,
            settings=deliveries.PublishSettings.from_config(app.config),
            checkpoint=session.commit,
        )
        session.commit()
        app.logger.info("Digest of %s: %s", Month.of(now).previous.key, outcome)


def digest_tick_job() -> None:
    """Publish scheduled digests that are due; retry failed deliveries; trash late
    WordPress duplicates."""
    app = job_app()
    with app.app_context():
        session = get_session()
        now = clock.now()
        settings = deliveries.PublishSettings.from_config(app.config)
        publishing.publish_scheduled(session, settings, now, session.commit)
        deliveries.retry_due(session, settings, now, session.commit)
        deliveries.sweep_duplicates(session, settings, clock.now(), session.commit)
        session.commit()
