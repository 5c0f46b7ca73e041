"""`tracker scheduler`: one active APScheduler process, its jobs in the app's database.

Only the process holding the lock runs jobs (a PostgreSQL advisory lock on its own
connection, or a lock row with an expiry on SQLite); others stand by and take
over when it goes away. At start, a run missed while no scheduler was up
happens once, if it is still within the job's misfire grace time.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from flask import Flask
from sqlalchemy import (
    Column,
    Engine,
    Float,
    MetaData,
    Table,
    Unicode,
    delete,
    inspect,
    select,
    text,
    update,
)
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session

from tracker import governance_jobs, jobs, notification_jobs, upkeep
from tracker.db import utcnow
from tracker.models.digests import SchedulerLock

JOBS_TABLE = "apscheduler_jobs"
LOCK_NAME = "scheduler"
ADVISORY_KEY = 0x74726B72  # "trkr": the one advisory lock the tracker takes


class ActiveLock(Protocol):
    """The right to be the one scheduler that runs jobs."""

    holder: str

    def acquire(self) -> bool: ...
    def refresh(self) -> bool: ...
    def release(self) -> None: ...


def _holder() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class AdvisoryLock:
    """A PostgreSQL session advisory lock, held as long as its connection lives."""

    def __init__(self, engine: Engine) -> None:
        self.engine, self.holder = engine, _holder()
        self._connection: Any = None

    def acquire(self) -> bool:
        """Take the lock if free; never waits."""
        if self._connection is None:
            # autocommit: an open transaction held for days would stall VACUUM
            self._connection = self.engine.connect().execution_options(
                isolation_level="AUTOCOMMIT"
            )
        sql = text("SELECT pg_try_advisory_lock(:key)")
        if self._connection.execute(sql, {"key": ADVISORY_KEY}).scalar():
            return True
        self._close()
        return False

    def refresh(self) -> bool:
        """Whether the connection, and so the lock, is still alive."""
        try:
            self._connection.execute(text("SELECT 1"))
        except (DBAPIError, AttributeError):
            return False
        return True

    def release(self) -> None:
        """Let another scheduler take over."""
        if self._connection is not None:
            try:
                sql = text("SELECT pg_advisory_unlock(:key)")
                self._connection.execute(sql, {"key": ADVISORY_KEY})
            except DBAPIError:
                pass  # closing the connection frees it anyway
        self._close()

    def _close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class RowLock:
    """A lock row with an expiry, renewed by heartbeats; for SQLite."""

    def __init__(
        self,
        engine: Engine,
        *,
        ttl: timedelta = timedelta(seconds=90),
        now: Callable[[], datetime] = utcnow,
    ) -> None:
        self.engine, self.ttl, self.now, self.holder = engine, ttl, now, _holder()

    def acquire(self) -> bool:
        """Take the row if it is free, expired or already ours."""
        now = self.now()
        try:
            with Session(self.engine) as session, session.begin():
                row = session.get(SchedulerLock, LOCK_NAME)
                if row is None:
                    session.add(
                        SchedulerLock(
                            name=LOCK_NAME,
                            holder=self.holder,
                            acquired_at=now,
                            expires_at=now + self.ttl,
                        )
                    )
                elif row.holder == self.holder or row.expires_at < now:
                    row.holder, row.acquired_at = self.holder, now
                    row.expires_at = now + self.ttl
                else:
                    return False
        except IntegrityError:
            return False  # another scheduler inserted the row first
        return True

    def refresh(self) -> bool:
        """Extend our hold; False if someone else has taken the row."""
        with Session(self.engine) as session, session.begin():
            result = session.execute(
                update(SchedulerLock)
                .where(
                    SchedulerLock.name == LOCK_NAME,
                    SchedulerLock.holder == self.holder,
                )
                .values(expires_at=self.now() + self.ttl)
            )
        return getattr(result, "rowcount", 0) == 1

    def release(self) -> None:
        """Give the row up."""
        with Session(self.engine) as session, session.begin():
            session.execute(
                delete(SchedulerLock).where(
                    SchedulerLock.name == LOCK_NAME,
                    SchedulerLock.holder == self.holder,
                )
            )


class JobStore(SQLAlchemyJobStore):  # type: ignore[misc]
    """APScheduler's SQLAlchemy job store on the app's engine, left open at shutdown.

    The stock store disposes its engine on shutdown, before the scheduler thread
    has stopped: connections lent out at that moment (the lock's, a job's) would
    be orphaned. The app's engine lives as long as the process anyway.
    """

    def shutdown(self) -> None:
        """Keep the app's engine."""


def make_lock(engine: Engine) -> ActiveLock:
    """The advisory lock on PostgreSQL, the lock row elsewhere."""
    if engine.dialect.name == "postgresql":
        return AdvisoryLock(engine)
    return RowLock(engine)


def build_scheduler(app: Flask) -> BackgroundScheduler:
    """A scheduler with the digest jobs and every registered job (e.g. Trello)."""
    config = app.config["DIGEST"]
    scheduler = BackgroundScheduler(
        jobstores={
            "default": JobStore(
                engine=app.extensions["tracker.engine"], tablename=JOBS_TABLE
            )
        },
        executors={"default": ThreadPoolExecutor(4)},
        job_defaults={
            "coalesce": True,
            "max_instances": 1,
            "misfire_grace_time": int(float(config["MISFIRE_GRACE_HOURS"]) * 3600),
        },
        timezone=str(config["TIMEZONE"]),
    )
    jobs.register_digest_jobs(scheduler, app)
    upkeep.register_upkeep_jobs(scheduler, app)
    notification_jobs.register_notification_jobs(scheduler, app)
    governance_jobs.register_governance_jobs(scheduler, app)
    for registrar in app.extensions.get("tracker.job_registrars", []):
        registrar(scheduler, app)
    return scheduler


def missed_run(
    trigger: Any, stored: datetime | None, now: datetime, grace: timedelta | None
) -> datetime | None:
    """The single run to make up for, as APScheduler would with coalescing.

    *stored* is the next run time saved before the scheduler went down; the
    latest fire time up to *now* runs once if it is within *grace*.
    """
    if stored is None or stored > now:
        return None
    last = stored
    while (following := trigger.get_next_fire_time(last, now)) and following <= now:
        last = following
    if grace is not None and now - last > grace:
        return None
    return last


def stored_next_run_times(engine: Engine) -> dict[str, datetime]:
    """Each job's next run time as the job store saved it."""
    if not inspect(engine).has_table(JOBS_TABLE):
        return {}
    table = Table(
        JOBS_TABLE,
        MetaData(),
        Column("id", Unicode(191)),
        Column("next_run_time", Float(25)),
    )
    with engine.connect() as connection:
        rows = connection.execute(select(table.c.id, table.c.next_run_time))
        return {
            job_id: datetime.fromtimestamp(stamp, UTC)
            for job_id, stamp in rows
            if stamp is not None
        }


def start_with_catch_up(
    scheduler: BackgroundScheduler, engine: Engine, now: datetime
) -> list[str]:
    """Start *scheduler*; make up once for runs missed while down; drop stale jobs."""
    stored = stored_next_run_times(engine)
    wanted = {job.id for job in scheduler.get_jobs()}
    scheduler.start(paused=True)  # replace_existing has now reset next run times
    caught = []
    for job in scheduler.get_jobs():
        if job.id not in wanted:  # e.g. Trello no longer configured
            scheduler.remove_job(job.id)
            continue
        grace = job.misfire_grace_time
        missed = missed_run(
            job.trigger,
            stored.get(job.id),
            now,
            None if grace is None else timedelta(seconds=grace),
        )
        if missed is not None:
            scheduler.modify_job(job.id, next_run_time=missed)
            caught.append(job.id)
    scheduler.resume()
    return caught


def run(
    app: Flask,
    *,
    stop: threading.Event,
    poll: float = 30.0,
    heartbeat: float = 30.0,
    echo: Callable[[str], Any] = print,
    lock: ActiveLock | None = None,
) -> None:
    """Run jobs while this process holds the lock; stand by while another does."""
    jobs.bind(app)
    engine = app.extensions["tracker.engine"]
    lock = lock or make_lock(engine)
    standing_by = False
    while not stop.is_set():
        if not lock.acquire():
            if not standing_by:
                echo("Another scheduler is active; standing by.")
                standing_by = True
            stop.wait(poll)
            continue
        standing_by = False
        _run_active(app, engine, lock, stop=stop, heartbeat=heartbeat, echo=echo)


def _run_active(
    app: Flask,
    engine: Engine,
    lock: ActiveLock,
    *,
    stop: threading.Event,
    heartbeat: float,
    echo: Callable[[str], Any],
) -> None:
    scheduler = build_scheduler(app)
    try:
        caught = start_with_catch_up(scheduler, engine, datetime.now(UTC))
        echo(f"Scheduler active ({lock.holder}).")
        for job_id in caught:
            echo(f"Catching up on {job_id}, missed while no scheduler ran.")
        while not stop.wait(heartbeat):
            if not lock.refresh():
                echo("Lost the scheduler lock; standing by.")
                break
    finally:
        if scheduler.running:
            scheduler.shutdown(wait=True)
        lock.release()
