"""Generate a large programme on PostgreSQL for the load benchmark, with COPY.

Usage: python bench/generate_large.py [--database tracker_bench] [--server URL]

Creates (drops first) the database, its schema, the demo programme (for the logins)
and then, with bulk COPY, brings it to 100 plans, 5 000 assignments, 1 000 groups,
20 000 people and 1 000 000 activity events (and 100 000 applications once the
applications model exists). Prints the row counts and how long it took.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).parent))

import large_rows as rows

import tracker.models  # noqa: F401 - every table on Base.metadata
from tracker import create_app, demo
from tracker.db import Base, get_session
from tracker.services.programme import stages

SERVER = "postgresql://postgres@127.0.0.1:5432"
TARGETS = {
    "action_plans": 100,
    "assignments": 5_000,
    "working_groups": 1_000,
    "people": 20_000,
    "activity_events": 1_000_000,
    "applications": 100_000,  # only once the applications model exists
}
COPIED = ["people", "action_plans", "assignments", "milestones", "progress_reports"]
COPIED += ["working_groups", "memberships", "activity_events", "applications"]


def create_database(server: str, name: str) -> str:
    """Drop and create *name*; return its SQLAlchemy URL."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return f"postgresql+psycopg://{server.removeprefix('postgresql://')}/{name}"


def load_demo(url: str) -> None:
    """Schema, workflow stages and the demo programme with its four logins."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        session = get_session()
        Base.metadata.create_all(session.get_bind())
        server_defaults(session.get_bind())
        stages.ensure_stages(session, app.config["WORKFLOW_STAGES"])
        demo.load(session, password="demo")
        session.commit()
    app.extensions["tracker.engine"].dispose()


def server_defaults(engine: Any) -> None:
    """Give the columns with a constant Python-side default the same server default.

    COPY names only the columns a generated row fills; a NOT NULL column added to a
    model later (with a default=) then still gets its value instead of failing.
    """
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                default = column.default
                if default is None or column.server_default:
                    continue
                value = default.arg
                if default.is_callable:  # only an empty list or dict (JSON)
                    try:
                        made = value(None)
                    except TypeError:  # a default that needs its context
                        made = None
                    if not isinstance(made, list | dict):
                        continue
                    value = json.dumps(made)
                elif not default.is_scalar:
                    continue
                if hasattr(value, "name"):  # an enum member, stored by name
                    value = value.name
                literal = sql.Literal(value).as_string(conn.connection.dbapi_connection)
                conn.exec_driver_sql(
                    f'ALTER TABLE "{table.name}" ALTER COLUMN "{column.name}" '
                    f"SET DEFAULT {literal}"
                )


class Copier:
    """COPY rows into tables with explicit ids, continuing after the demo's."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def scalar(self, query: str, table: str) -> Any:
        """One value of *query*, with the table name quoted into it."""
        statement = sql.SQL(query).format(sql.Identifier(table))
        return self.conn.execute(statement).fetchone()[0]  # type: ignore[index]

    def next_id(self, table: str) -> int:
        """The first free id of *table*."""
        return int(self.scalar("SELECT coalesce(max(id), 0) + 1 FROM {}", table))

    def count(self, table: str) -> int:
        """The number of rows of *table*."""
        return int(self.scalar("SELECT count(*) FROM {}", table))

    def wanted(self, table: str) -> tuple[int, int]:
        """The first new id and how many rows *table* lacks to reach its target."""
        return self.next_id(table), TARGETS[table] - self.count(table)

    def ids(self, table: str) -> list[int]:
        """Every id of *table*."""
        query = sql.SQL("SELECT id FROM {} ORDER BY id").format(sql.Identifier(table))
        return [row[0] for row in self.conn.execute(query)]

    def exists(self, table: str) -> bool:
        """Whether the schema has *table* (the applications model may not)."""
        row = self.conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()
        return row is not None and row[0] is not None

    def copy(self, table: str, data: Iterable[rows.Row]) -> None:
        """COPY *data* into *table*, in the columns of rows.COLUMNS."""
        columns = sql.SQL(", ").join(map(sql.Identifier, rows.COLUMNS[table].split()))
        query = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), columns
        )
        with self.conn.cursor().copy(query) as copy:
            for row in data:
                copy.write_row(row)

    def fix_sequence(self, table: str) -> None:
        """Let the app's own inserts continue after the copied ids."""
        query = sql.SQL(
            "SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT max(id) FROM {}))"
        )
        self.conn.execute(query.format(sql.Literal(table), sql.Identifier(table)))


def generate(conn: psycopg.Connection[Any], rng: random.Random) -> dict[str, int]:
    """Bring every table up to its target size; returns the row counts."""
    db = Copier(conn)
    departments, competences = db.ids("departments"), db.ids("competences")
    first, count = db.wanted("people")
    people = list(range(first, first + count))
    db.copy("people", (rows.person(n, departments) for n in people))
    db.copy(
        "person_competences",
        ((p, c) for p in people for c in {rng.choice(competences) for _ in "ab"}),
    )
    leader = int(
        db.scalar("SELECT min(id) FROM {} WHERE role = 'LEADERSHIP'", "people")
    )
    first, count = db.wanted("action_plans")
    plans = list(range(first, first + count))
    db.copy("action_plans", (rows.plan(n, leader) for n in plans))
    assignments = _assignments(db, plans, db.ids("stages"), people, rng)
    groups = _groups(db, assignments, people, rng)
    first, count = db.wanted("activity_events")
    db.copy(
        "activity_events", rows.events(first, count, assignments, groups, plans, people)
    )
    if db.exists("applications"):
        first, count = db.wanted("applications")
        gids = [gid for gid, _plan in groups]
        db.copy("applications", rows.applications(first, count, gids, people, rng))
    for table in COPIED:
        if db.exists(table):
            db.fix_sequence(table)
    conn.commit()
    # as autovacuum leaves a database that has run a while (its visibility map set:
    # the counts by index alone); VACUUM runs outside a transaction
    conn.autocommit = True
    conn.execute("VACUUM (ANALYZE)")
    tables = [*TARGETS, "memberships", "milestones", "progress_reports"]
    return {table: db.count(table) for table in tables if db.exists(table)}


def _assignments(
    db: Copier,
    plans: list[int],
    stages_: list[int],
    people: list[int],
    rng: random.Random,
) -> list[tuple[int, int]]:
    """Assignments spread over the new plans, two milestones and reports each."""
    first, count = db.wanted("assignments")
    made = [(first + n, plans[n % len(plans)]) for n in range(count)]
    db.copy(
        "assignments",
        (
            rows.assignment(
                aid, plan, rng.choice(stages_), rng.choice(people), rng.randint(0, 300)
            )
            for aid, plan in made
        ),
    )
    milestone, report = db.next_id("milestones"), db.next_id("progress_reports")
    db.copy(
        "milestones",
        (
            rows.milestone(milestone + 2 * i + k, aid, k)
            for i, (aid, _) in enumerate(made)
            for k in range(2)
        ),
    )
    db.copy(
        "progress_reports",
        (
            rows.report(report + 2 * i + k, aid, rng.choice(people), k)
            for i, (aid, _) in enumerate(made)
            for k in range(2)
        ),
    )
    return made


def _groups(
    db: Copier,
    assignments: list[tuple[int, int]],
    people: list[int],
    rng: random.Random,
) -> list[tuple[int, int]]:
    """Groups serving one assignment each, with 8 members (the first leads)."""
    first, count = db.wanted("working_groups")
    made = [(first + n, assignments[n % len(assignments)]) for n in range(count)]
    db.copy("working_groups", (rows.group(gid) for gid, _ in made))
    db.copy("group_assignments", ((gid, aid) for gid, (aid, _plan) in made))
    membership = db.next_id("memberships")
    db.copy(
        "memberships",
        (
            (
                membership + 8 * i + k,
                gid,
                member,
                "LEAD" if k == 0 else "MEMBER",
                rows.TODAY,
            )
            for i, (gid, _) in enumerate(made)
            for k, member in enumerate(rng.sample(people, 8))
        ),
    )
    return [(gid, plan) for gid, (_aid, plan) in made]


def main() -> None:
    """Create and fill the benchmark database."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="tracker_bench")
    parser.add_argument("--server", default=SERVER)
    args = parser.parse_args()
    started = time.perf_counter()
    url = create_database(args.server, args.database)
    load_demo(url)
    with psycopg.connect(f"{args.server}/{args.database}") as conn:
        counts = generate(conn, random.Random(6))
    print(f"database: {url}")
    for table, number in counts.items():
        print(f"{table:<20}{number:>10,}".replace(",", " "))
    print(f"generated in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
