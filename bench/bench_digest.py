"""Time drafting a month's digest: 100 000 events in the month, 1 000 000 in all.

Run: python bench/bench_digest.py [--postgres URL] [--skip-sqlite] [--skip-postgres]

Builds the history with bulk inserts into a temporary SQLite file and into a
scratch schema of the PostgreSQL database (test_h3 by default; the schema is
dropped afterwards). It drafts March 2026 (100 000 events) and February (10 000)
twice: once with 200 000 events of history, once with 1 000 000, and prints the
median of five drafts each. The target: <= 1 s, and time that follows the
month's events, not the whole history.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

import tracker.models  # noqa: F401 - every table
from tracker.clock import STOCKHOLM
from tracker.db import Base, make_engine
from tracker.models.activity import ActivityEvent
from tracker.services.digest import drafts as digests
from tracker.services.digest.months import Month
from tracker.services.programme import stages

SCHEMA = "bench_digest"
STAGES = ["Planerad", "Pågår", "Klar"]
PLANS, PER_PLAN, GROUPS, PEOPLE = 20, 100, 60, 600
NOW = datetime(2026, 4, 2, 8, tzinfo=STOCKHOLM)
MARCH, FEBRUARY = Month(2026, 3), Month(2026, 2)
# (object type, verb, share): roughly what a busy programme logs
MIX = [
    ("Assignment", "moved", 30),
    ("Assignment", "reported", 25),
    ("Assignment", "updated", 12),
    ("Assignment", "created", 2),
    ("Assignment", "closed", 1),
    ("Assignment", "reopened", 0.2),
    ("Milestone", "completed", 5),
    ("Milestone", "reopened", 0.5),
    ("WorkingGroup", "member_added", 6),
    ("WorkingGroup", "state_changed", 1),
    ("WorkingGroup", "updated", 3),
    ("ActionPlan", "updated", 2),
    ("Person", "updated", 8),
]


def build_base(session: Session, rng: random.Random) -> None:
    """Stages, plans, assignments, groups and people, created before the history."""
    stages.ensure_stages(session, STAGES)
    stage_ids = [s.id for s in stages.list_stages(session)]
    born = datetime(2020, 1, 1, tzinfo=UTC)
    conn = session.connection()
    tables = Base.metadata.tables
    conn.execute(
        tables["action_plans"].insert(),
        [
            {
                "id": p,
                "title": f"Plan {p}",
                "slug": f"plan-{p}",
                "goal": "",
                "position": p,
                "state": "ACTIVE",
                "created_at": born,
            }
            for p in range(1, PLANS + 1)
        ],
    )
    conn.execute(
        tables["assignments"].insert(),
        [
            {
                "id": a,
                "plan_id": (a - 1) // PER_PLAN + 1,
                "stage_id": rng.choice(stage_ids),
                "title": f"Uppdrag {a}",
                "description": "",
                "documents_link": "",
                "outcome": "",
                "position": a,
                "proposed": False,
                "created_at": born,
                "updated_at": born,
            }
            for a in range(1, PLANS * PER_PLAN + 1)
        ],
    )
    conn.execute(
        tables["working_groups"].insert(),
        [
            {
                "id": g,
                "name": f"Grupp {g}",
                "slug": f"grupp-{g}",
                "purpose": "",
                "seats": 8,
                "recruitment": "INVITED",
                "state": "ACTIVE",
                "created_at": born,
            }
            for g in range(1, GROUPS + 1)
        ],
    )
    conn.execute(
        tables["people"].insert(),
        [
            {
                "id": p,
                "name": f"Person {p}",
                "role": "STAFF",
                "active": True,
                "external": False,
                "consent_note": "",
                "digest_opt_out": p % 7 == 0,
                "created_at": born,
            }
            for p in range(1, PEOPLE + 1)
        ],
    )
    day = datetime(2026, 3, 1).date()
    conn.execute(
        tables["memberships"].insert(),
        [
            {
                "group_id": rng.randint(1, GROUPS),
                "person_id": p,
                "role": "MEMBER",
                "joined_on": day + timedelta(days=rng.randrange(31)),
            }
            for p in range(1, 301)
        ],
    )
    session.commit()


def events(
    rng: random.Random, count: int, start: datetime, end: datetime
) -> Iterator[dict[str, Any]]:
    """*count* events spread over [start, end)."""
    kinds = [(t, v) for t, v, _ in MIX]
    weights = [w for _, _, w in MIX]
    span = (end - start).total_seconds()
    for kind, verb in rng.choices(kinds, weights, k=count):
        at = start + timedelta(seconds=rng.random() * span)
        assignment = rng.randint(1, PLANS * PER_PLAN)
        row: dict[str, Any] = {
            "created_at": at,
            "actor_label": "Bench",
            "verb": verb,
            "object_type": kind,
            "object_label": f"{kind} {assignment}",
            "object_id": assignment,
            "plan_id": (assignment - 1) // PER_PLAN + 1,
            "assignment_id": assignment
            if kind in ("Assignment", "Milestone")
            else None,
            "group_id": None,
            "before": None,
            "after": None,
        }
        if verb in ("moved", "created"):
            row["after"] = {"stage": rng.choice(STAGES)}
        elif verb == "state_changed":
            row["object_id"] = row["group_id"] = rng.randint(1, GROUPS)
            row["after"] = {"state": rng.choice(["active", "closed", "recruiting"])}
        yield row


def insert_events(session: Session, rows: Iterator[dict[str, Any]]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany in batches on SQLite."""
    if session.get_bind().dialect.name == "postgresql":
        _copy(session, rows)
    else:
        table = ActivityEvent.__table__
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) == 20_000:
                session.execute(sa.insert(table), batch)
                batch = []
        if batch:
            session.execute(sa.insert(table), batch)
    session.commit()


def _copy(session: Session, rows: Iterator[dict[str, Any]]) -> None:
    columns = [
        "created_at",
        "actor_label",
        "verb",
        "object_type",
        "object_label",
        "object_id",
        "plan_id",
        "assignment_id",
        "group_id",
        "before",
        "after",
    ]
    raw = session.connection().connection.dbapi_connection
    if raw is None:
        raise RuntimeError("no database connection")
    with raw.cursor() as cursor:
        sql = f"COPY {SCHEMA}.activity_events ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in rows:
                values = [row[c] for c in columns]
                values[-2:] = [
                    json.dumps(v) if v is not None else None for v in values[-2:]
                ]
                copy.write_row(values)


def time_draft(session: Session, month: Month, repeats: int = 5) -> float:
    """Median seconds to draft *month* (each draft rolled back)."""
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        digests.draft_for_month(session, None, month, now=NOW, public_url="https://t")
        timings.append(time.perf_counter() - start)
        session.rollback()
    return statistics.median(timings)


def month_events(session: Session, month: Month) -> int:
    return (
        session.scalar(
            sa.select(sa.func.count()).where(
                ActivityEvent.created_at >= month.start,
                ActivityEvent.created_at < month.next.start,
            )
        )
        or 0
    )


def run(engine: sa.Engine, label: str) -> None:
    rng = random.Random(5)
    with Session(engine) as session:
        build_base(session, rng)
        t0 = time.perf_counter()
        insert_events(session, events(rng, 100_000, MARCH.start, MARCH.next.start))
        insert_events(session, events(rng, 10_000, FEBRUARY.start, MARCH.start))
        insert_events(session, events(rng, 5_000, MARCH.next.start, NOW))
        insert_events(
            session,
            events(rng, 85_000, datetime(2025, 9, 1, tzinfo=STOCKHOLM), FEBRUARY.start),
        )
        _analyze(session)
        print(f"[{label}] 200 000 events inserted in {time.perf_counter() - t0:.1f} s")
        report(session, label)
        t0 = time.perf_counter()
        insert_events(
            session,
            events(
                rng,
                800_000,
                datetime(2020, 1, 1, tzinfo=STOCKHOLM),
                datetime(2025, 9, 1, tzinfo=STOCKHOLM),
            ),
        )
        _analyze(session)
        print(f"[{label}] 800 000 more inserted in {time.perf_counter() - t0:.1f} s")
        report(session, label)


def report(session: Session, label: str) -> None:
    total = session.scalar(sa.select(sa.func.count()).select_from(ActivityEvent))
    for month in (MARCH, FEBRUARY):
        seconds = time_draft(session, month)
        print(
            f"[{label}] history {total:>9,} events | {month.key}: "
            f"{month_events(session, month):>7,} events | draft {seconds:.3f} s"
        )


def _analyze(session: Session) -> None:
    session.execute(sa.text("ANALYZE"))
    session.commit()


def sqlite(tmp: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp / 'bench.sqlite'}")
    Base.metadata.create_all(engine)
    run(engine, "sqlite")
    engine.dispose()


def postgres(url: str) -> None:
    base = make_engine(url)
    with base.begin() as conn:
        conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        conn.execute(sa.text(f"CREATE SCHEMA {SCHEMA}"))
    engine = base.execution_options(schema_translate_map={None: SCHEMA})
    try:
        with engine.begin() as conn:
            Base.metadata.create_all(conn)
        run(engine, "postgresql")
    finally:
        with base.begin() as conn:
            conn.execute(sa.text(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE"))
        base.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--postgres", default="postgresql+psycopg://postgres@127.0.0.1:5432/test_h3"
    )
    parser.add_argument("--skip-sqlite", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    if not args.skip_sqlite:
        with tempfile.TemporaryDirectory() as tmp:
            sqlite(Path(tmp))
    if not args.skip_postgres:
        postgres(args.postgres)


if __name__ == "__main__":
    main()
