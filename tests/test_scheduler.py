"""The scheduler: fire times on a fixed clock, catch-up after downtime, one active."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from apscheduler.triggers.interval import IntervalTrigger
from conftest import make_test_app
from flask import Flask
from sqlalchemy import Engine

from tracker import clock, jobs, scheduler
from tracker.clock import STOCKHOLM
from tracker.db import get_session
from tracker.jobs import MonthlyWeekdayTrigger
from tracker.models.digests import DigestState, SchedulerLock
from tracker.services.digest import drafts as digests
from tracker.services.digest.months import Month
from tracker.services.digest.workdays import is_working_day

START = datetime(2026, 1, 1, tzinfo=STOCKHOLM)
RUNS: list[datetime] = []


def counting_job() -> None:
    """A job for the tests: remembers when it ran."""
    RUNS.append(datetime.now(UTC))


def register_counting_job(sched: object, app: Flask) -> None:
    sched.add_job(  # type: ignore[attr-defined]
        counting_job,
        IntervalTrigger(days=7),
        id="test-counter",
        replace_existing=True,
        coalesce=True,
        misfire_grace_time=12 * 3600,
    )


def fire_times(trigger: MonthlyWeekdayTrigger, count: int) -> list[datetime]:
    times: list[datetime] = []
    previous = None
    now = START
    while len(times) < count:
        fire = trigger.get_next_fire_time(previous, now)
        assert fire is not None
        times.append(fire)
        previous = now = fire
    return times


def weekdays_between(first: date, last: date) -> int:
    days = (last - first).days
    return sum(is_working_day(first + timedelta(d)) for d in range(1, days + 1))


def test_the_draft_fires_on_the_first_working_day_at_8_for_24_months() -> None:
    times = fire_times(MonthlyWeekdayTrigger(0, 8, "Europe/Stockholm"), 24)
    months = [(t.year, t.month) for t in times]
    assert months == [(2026 + (m // 12), m % 12 + 1) for m in range(24)]
    for fire in times:
        local = fire.astimezone(STOCKHOLM)
        assert (local.hour, local.minute) == (8, 0)
        assert is_working_day(local.date())
        earlier = [date(local.year, local.month, d) for d in range(1, local.day)]
        assert not any(is_working_day(day) for day in earlier)
    firsts = [t.date() for t in times[:8]]
    assert firsts[1] == date(2026, 2, 2)  # 1 February 2026 is a Sunday
    assert firsts[7] == date(2026, 8, 3)  # 1 August 2026 is a Saturday
    assert times[12].date() == date(2027, 1, 4)  # Friday 1 January is Nyårsdagen
    # 08:00 in Stockholm is 07:00 UTC in winter and 06:00 UTC in summer
    assert times[0].astimezone(UTC).hour == 7
    assert times[6].astimezone(UTC).hour == 6


def test_publication_fires_two_working_days_after_the_draft_at_9() -> None:
    drafts = fire_times(MonthlyWeekdayTrigger(0, 8, "Europe/Stockholm"), 24)
    publishes = fire_times(MonthlyWeekdayTrigger(2, 9, "Europe/Stockholm"), 24)
    for drafted, published in zip(drafts, publishes, strict=True):
        local = published.astimezone(STOCKHOLM)
        assert local.hour == 9 and is_working_day(local.date())
        assert weekdays_between(drafted.date(), local.date()) == 2


def test_a_run_missed_within_the_grace_time_happens_once() -> None:
    trigger = MonthlyWeekdayTrigger(0, 8, "Europe/Stockholm")
    due = datetime(2026, 3, 2, 8, tzinfo=STOCKHOLM)
    grace = timedelta(hours=12)
    assert scheduler.missed_run(trigger, due, due + timedelta(hours=7), grace) == due
    assert scheduler.missed_run(trigger, due, due + timedelta(hours=13), grace) is None
    assert scheduler.missed_run(trigger, due, due - timedelta(hours=1), grace) is None
    assert scheduler.missed_run(trigger, None, due, grace) is None


def test_many_missed_runs_of_a_frequent_job_become_one() -> None:
    trigger = IntervalTrigger(minutes=10, start_date=START)
    stored = START + timedelta(minutes=10)
    now = START + timedelta(hours=3, minutes=5)
    missed = scheduler.missed_run(trigger, stored, now, timedelta(minutes=30))
    assert missed == START + timedelta(hours=3)  # only the latest one


@pytest.fixture
def live_app(engine: Engine, db_url: str) -> Iterator[Flask]:
    """An app on the test database whose commits are real (the scheduler needs them)."""
    app = make_test_app(db_url)
    app.extensions["tracker.job_registrars"].append(register_counting_job)
    RUNS.clear()
    yield app
    real = app.extensions["tracker.engine"]
    with real.begin() as connection:
        connection.execute(sa.delete(SchedulerLock))
        connection.execute(sa.text(f"DROP TABLE IF EXISTS {scheduler.JOBS_TABLE}"))
    real.dispose()


def stored_time(app: Flask, job_id: str) -> datetime:
    return scheduler.stored_next_run_times(app.extensions["tracker.engine"])[job_id]


def set_stored_time(app: Flask, job_id: str, when: datetime) -> None:
    table = sa.table(scheduler.JOBS_TABLE, sa.column("id"), sa.column("next_run_time"))
    with app.extensions["tracker.engine"].begin() as connection:
        connection.execute(
            sa.update(table)
            .where(table.c.id == job_id)
            .values(next_run_time=when.timestamp())
        )


def start_and_stop(app: Flask) -> list[str]:
    jobs.bind(app)
    sched = scheduler.build_scheduler(app)
    engine = app.extensions["tracker.engine"]
    caught = scheduler.start_with_catch_up(sched, engine, datetime.now(UTC))
    time.sleep(0.5)
    sched.shutdown(wait=True)
    return caught


def test_jobs_are_stored_with_explicit_ids(live_app: Flask) -> None:
    assert start_and_stop(live_app) == []
    stored = scheduler.stored_next_run_times(live_app.extensions["tracker.engine"])
    assert {
        "digest-draft",
        "digest-publish",
        "digest-tick",
        "governance-mail",
        "notifications-fanout",
        "notifications-reminders",
        "notifications-summaries",
        "privacy-purge",
        "test-counter",
    } <= set(stored)
    assert RUNS == []


def test_a_run_missed_while_down_happens_once_at_start(live_app: Flask) -> None:
    start_and_stop(live_app)
    set_stored_time(live_app, "test-counter", datetime.now(UTC) - timedelta(hours=7))
    assert start_and_stop(live_app) == ["test-counter"]
    assert len(RUNS) == 1
    assert stored_time(live_app, "test-counter") > datetime.now(UTC)
    assert start_and_stop(live_app) == []  # made up for once, not at every start
    assert len(RUNS) == 1


def test_a_run_missed_beyond_the_grace_time_is_skipped(live_app: Flask) -> None:
    start_and_stop(live_app)
    set_stored_time(live_app, "test-counter", datetime.now(UTC) - timedelta(days=2))
    assert start_and_stop(live_app) == []
    assert RUNS == []


def test_jobs_no_longer_registered_are_dropped(live_app: Flask) -> None:
    start_and_stop(live_app)
    live_app.extensions["tracker.job_registrars"].remove(register_counting_job)
    start_and_stop(live_app)
    assert "test-counter" not in scheduler.stored_next_run_times(
        live_app.extensions["tracker.engine"]
    )


def test_only_one_lock_holder_at_a_time(live_app: Flask) -> None:
    engine = live_app.extensions["tracker.engine"]
    first, second = scheduler.make_lock(engine), scheduler.make_lock(engine)
    assert first.acquire()
    assert not second.acquire()
    assert first.refresh()
    first.release()
    assert second.acquire()
    second.release()


def test_a_lock_row_expires_when_its_holder_stops_beating(live_app: Flask) -> None:
    engine = live_app.extensions["tracker.engine"]
    clock = {"now": datetime(2026, 3, 2, 8, tzinfo=UTC)}
    ttl = timedelta(seconds=90)
    first = scheduler.RowLock(engine, ttl=ttl, now=lambda: clock["now"])
    second = scheduler.RowLock(engine, ttl=ttl, now=lambda: clock["now"])
    assert first.acquire()
    clock["now"] += timedelta(seconds=60)
    assert not second.acquire()
    assert first.refresh()  # the heartbeat moves the expiry on
    clock["now"] += timedelta(seconds=80)
    assert not second.acquire()
    clock["now"] += timedelta(seconds=100)  # no heartbeat: the holder is gone
    assert second.acquire()
    assert not first.refresh()  # and the old holder learns it lost the lock
    second.release()


def test_a_second_scheduler_stands_by_and_takes_over(live_app: Flask) -> None:
    said: dict[str, list[str]] = {"a": [], "b": []}
    stops = {"a": threading.Event(), "b": threading.Event()}

    def run(name: str) -> threading.Thread:
        thread = threading.Thread(
            target=scheduler.run,
            args=(live_app,),
            kwargs={
                "stop": stops[name],
                "poll": 0.1,
                "heartbeat": 0.1,
                "echo": said[name].append,
            },
        )
        thread.start()
        return thread

    first = run("a")
    wait_for(lambda: any("active (" in line for line in said["a"]))
    second = run("b")
    wait_for(lambda: said["b"] != [])
    time.sleep(0.5)
    assert said["b"] == ["Another scheduler is active; standing by."]
    stops["a"].set()
    first.join(10)
    wait_for(lambda: any("active (" in line for line in said["b"]))
    stops["b"].set()
    second.join(10)
    assert not first.is_alive() and not second.is_alive()


def wait_for(condition: object, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_the_jobs_draft_then_publish_last_month(app: Flask) -> None:
    jobs.bind(app)
    period = Month.of(clock.now()).previous.key
    jobs.draft_digest_job()
    with app.app_context():
        drafted = digests.get_by_period(get_session(), period)
        assert drafted is not None and drafted.state is DigestState.DRAFT
    jobs.publish_digest_job()
    jobs.digest_tick_job()
    with app.app_context():
        published = digests.get_by_period(get_session(), period)
        assert published is not None and published.state is DigestState.PUBLISHED
        assert [p.status.value for p in published.publications] == ["published"]


def test_in_review_mode_the_publish_job_waits(
    db_url: str, connection: sa.Connection
) -> None:
    app = make_test_app(db_url, DIGEST={"MODE": "review"})
    app.extensions["tracker.sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    jobs.bind(app)
    jobs.publish_digest_job()
    with app.app_context():
        digest = digests.get_by_period(
            get_session(), Month.of(clock.now()).previous.key
        )
        assert digest is not None and digest.state is DigestState.DRAFT
