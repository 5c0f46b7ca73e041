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
import time
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

import psycopg
from psycopg import sql

import tracker.models  # noqa: F401 - every table on Base.metadata
from tracker import create_app, demo
from tracker.db import Base, get_session
from tracker.services import stages

SERVER = "postgresql://postgres@127.0.0.1:5432"
TARGETS = {
    "action_plans": 100,
    "assignments": 5_000,
    "working_groups": 1_000,
    "people": 20_000,
    "activity_events": 1_000_000,
}
APPLICATIONS = 100_000  # only once the applications model exists
TODAY = date.today()
NOW = datetime.now(UTC)
VERBS = [
    ("moved", "Assignment"),
    ("reported", "Assignment"),
    ("updated", "Assignment"),
    ("completed", "Milestone"),
    ("member_added", "WorkingGroup"),
    ("state_changed", "WorkingGroup"),
    ("updated", "ActionPlan"),
]


def create_database(server: str, name: str) -> str:
    """Drop and create *name*; return its SQLAlchemy URL."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://{server.removeprefix('postgresql://')}/{name}"


def load_demo(url: str) -> None:
    """Schema, workflow stages and the demo programme with its four logins."""
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        session = get_session()
        Base.metadata.create_all(session.get_bind())
        stages.ensure_stages(session, app.config["WORKFLOW_STAGES"])
        demo.load(session, password="demo")  # noqa: S106 - the demo's published password
        session.commit()
    app.extensions["tracker.engine"].dispose()


class Copier:
    """COPY rows into tables with explicit ids, continuing after the demo's."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def next_id(self, table: str) -> int:
        """The first free id of *table*."""
        query = sql.SQL("SELECT coalesce(max(id), 0) + 1 FROM {}")
        row = self.conn.execute(query.format(sql.Identifier(table))).fetchone()
        return int(row[0])  # type: ignore[index]

    def ids(self, table: str) -> list[int]:
        """Every id of *table*."""
        query = sql.SQL("SELECT id FROM {} ORDER BY id").format(sql.Identifier(table))
        return [row[0] for row in self.conn.execute(query)]

    def count(self, table: str) -> int:
        """The number of rows of *table*."""
        query = sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        return int(self.conn.execute(query).fetchone()[0])  # type: ignore[index]

    def copy(
        self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]]
    ) -> int:
        """COPY *rows* into *table*; returns how many."""
        written = 0
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with self.conn.cursor().copy(sql) as copy:
            for row in rows:
                copy.write_row(row)
                written += 1
        return written

    def fix_sequence(self, table: str) -> None:
        """Let the app's own inserts continue after the copied ids."""
        query = sql.SQL(
            "SELECT setval(pg_get_serial_sequence({}, 'id'), (SELECT max(id) FROM {}))"
        )
        self.conn.execute(query.format(sql.Literal(table), sql.Identifier(table)))


def people_rows(
    first: int, count: int, departments: list[int]
) -> Iterator[tuple[Any, ...]]:
    """Staff without a login, spread over the departments."""
    for n in range(first, first + count):
        yield (
            n,
            f"Person {n} Efternamn{n % 997}",
            f"person{n}@bench.example",
            departments[n % len(departments)],
            n % 35,
            "STAFF",
            True,
            False,
            "",
            False,
            NOW,
        )


def generate(conn: psycopg.Connection[Any], rng: random.Random) -> dict[str, int]:
    """Bring every table up to its target size; returns the row counts."""
    db = Copier(conn)
    departments, competences = db.ids("departments"), db.ids("competences")
    stage_ids = db.ids("stages")
    person0 = db.next_id("people")
    new_people = TARGETS["people"] - db.count("people")
    db.copy(
        "people",
        [
            "id",
            "name",
            "email",
            "department_id",
            "years_experience",
            "role",
            "active",
            "external",
            "consent_note",
            "digest_opt_out",
            "created_at",
        ],
        people_rows(person0, new_people, departments),
    )
    person_ids = list(range(person0, person0 + new_people))
    db.copy(
        "person_competences",
        ["person_id", "competence_id"],
        (
            (p, c)
            for p in person_ids
            for c in {rng.choice(competences), rng.choice(competences)}
        ),
    )
    plans = _plans(db, person_ids, rng)
    assignments = _assignments(db, plans, stage_ids, person_ids, rng)
    groups = _groups(db, assignments, person_ids, rng)
    _activity(db, plans, assignments, groups, person_ids, rng)
    if _exists(conn, "applications"):
        _applications(db, [gid for gid, _plan in groups], person_ids, rng)
    for table in (
        "people",
        "action_plans",
        "assignments",
        "milestones",
        "progress_reports",
        "working_groups",
        "memberships",
        "activity_events",
    ):
        db.fix_sequence(table)
    conn.commit()
    conn.execute("ANALYZE")
    tables = [*TARGETS, "memberships", "milestones", "progress_reports", "applications"]
    return {t: db.count(t) for t in tables if _exists(conn, t)}


def _plans(db: Copier, owners: list[int], rng: random.Random) -> list[int]:
    first = db.next_id("action_plans")
    count = TARGETS["action_plans"] - db.count("action_plans")
    db.copy(
        "action_plans",
        ["id", "title", "slug", "goal", "owner_id", "position", "state", "created_at"],
        (
            (
                n,
                f"Handlingsplan {n}",
                f"handlingsplan-{n}",
                "Ett **mål** för planen.\n\n- steg ett\n- steg två",
                rng.choice(owners),
                n,
                "ACTIVE",
                NOW,
            )
            for n in range(first, first + count)
        ),
    )
    return list(range(first, first + count))


def _assignments(
    db: Copier,
    plans: list[int],
    stages_: list[int],
    people: list[int],
    rng: random.Random,
) -> list[tuple[int, int]]:
    """Assignments spread over the new plans, each with milestones and reports."""
    first = db.next_id("assignments")
    count = TARGETS["assignments"] - db.count("assignments")
    rows = [(first + n, plans[n % len(plans)]) for n in range(count)]
    db.copy(
        "assignments",
        [
            "id",
            "plan_id",
            "stage_id",
            "title",
            "description",
            "responsible_id",
            "starts_on",
            "ends_on",
            "documents_link",
            "outcome",
            "position",
            "proposed",
            "created_at",
            "updated_at",
        ],
        (
            (
                aid,
                plan,
                rng.choice(stages_),
                f"Uppdrag {aid}",
                "Beskrivning med *markdown*.",
                rng.choice(people),
                TODAY - timedelta(days=rng.randint(0, 300)),
                TODAY + timedelta(days=rng.randint(30, 400)),
                "",
                "",
                aid,
                False,
                NOW,
                NOW,
            )
            for aid, plan in rows
        ),
    )
    milestone0, report0 = db.next_id("milestones"), db.next_id("progress_reports")
    db.copy(
        "milestones",
        ["id", "assignment_id", "title", "due_on", "done"],
        (
            (
                milestone0 + 2 * i + k,
                aid,
                f"Milstolpe {k + 1}",
                TODAY + timedelta(days=30 * k - 15),
                k == 0,
            )
            for i, (aid, _plan) in enumerate(rows)
            for k in range(2)
        ),
    )
    db.copy(
        "progress_reports",
        ["id", "assignment_id", "author_id", "reported_on", "body", "created_at"],
        (
            (
                report0 + 2 * i + k,
                aid,
                rng.choice(people),
                TODAY - timedelta(days=7 * (k + 1)),
                "Lägesrapport: *framsteg*.",
                NOW,
            )
            for i, (aid, _plan) in enumerate(rows)
            for k in range(2)
        ),
    )
    return rows


def _groups(
    db: Copier,
    assignments: list[tuple[int, int]],
    people: list[int],
    rng: random.Random,
) -> list[tuple[int, int]]:
    """Groups serving assignments, 8 members each; one in twenty recruiting."""
    first = db.next_id("working_groups")
    count = TARGETS["working_groups"] - db.count("working_groups")
    groups = [(first + n, assignments[n % len(assignments)]) for n in range(count)]
    db.copy(
        "working_groups",
        [
            "id",
            "name",
            "slug",
            "purpose",
            "starts_on",
            "ends_on",
            "seats",
            "recruitment",
            "state",
            "signup_deadline",
            "created_at",
        ],
        (
            (
                gid,
                f"Arbetsgrupp {gid}",
                f"arbetsgrupp-{gid}",
                "Syftet är *tydligt*.",
                TODAY - timedelta(days=30),
                TODAY + timedelta(days=150),
                8,
                "OPEN_CALL" if gid % 20 == 0 else "INVITED",
                "RECRUITING" if gid % 20 == 0 else "ACTIVE",
                TODAY + timedelta(days=14) if gid % 20 == 0 else None,
                NOW,
            )
            for gid, _ in groups
        ),
    )
    db.copy(
        "group_assignments",
        ["group_id", "assignment_id"],
        ((gid, aid) for gid, (aid, _plan) in groups),
    )
    membership0 = db.next_id("memberships")
    db.copy(
        "memberships",
        ["id", "group_id", "person_id", "role", "joined_on"],
        (
            (
                membership0 + 8 * i + k,
                gid,
                person,
                "LEAD" if k == 0 else "MEMBER",
                TODAY - timedelta(days=20),
            )
            for i, (gid, _) in enumerate(groups)
            for k, person in enumerate(rng.sample(people, 8))
        ),
    )
    return [(gid, plan) for gid, (_aid, plan) in groups]


def _activity(
    db: Copier,
    plans: list[int],
    assignments: list[tuple[int, int]],
    groups: list[tuple[int, int]],
    people: list[int],
    rng: random.Random,
) -> None:
    """A million events over two years, the newest now."""
    first = db.next_id("activity_events")
    count = TARGETS["activity_events"] - db.count("activity_events")
    span = timedelta(days=730).total_seconds()
    moved = json.dumps({"stage": "Planerad"}), json.dumps({"stage": "Pågår"})

    def rows() -> Iterator[tuple[Any, ...]]:
        for n in range(count):
            verb, kind = VERBS[n % len(VERBS)]
            when = NOW - timedelta(seconds=span * (count - n) / count)
            actor = people[n % len(people)]
            plan = assignment = group = None
            if kind in ("Assignment", "Milestone"):
                assignment, plan = assignments[n % len(assignments)]
                target, label = assignment, f"Uppdrag {assignment}"
            elif kind == "WorkingGroup":
                group, plan = groups[n % len(groups)]
                target, label = group, f"Arbetsgrupp {group}"
            else:
                plan = target = plans[n % len(plans)]
                label = f"Handlingsplan {plan}"
            before, after = moved if verb == "moved" else (None, None)
            yield (
                first + n,
                when,
                actor,
                f"Person {actor}",
                verb,
                kind,
                target,
                label,
                plan,
                assignment,
                group,
                before,
                after,
            )

    db.copy(
        "activity_events",
        [
            "id",
            "created_at",
            "actor_id",
            "actor_label",
            "verb",
            "object_type",
            "object_id",
            "object_label",
            "plan_id",
            "assignment_id",
            "group_id",
            "before",
            "after",
        ],
        rows(),
    )


def _applications(
    db: Copier, groups: list[int], people: list[int], rng: random.Random
) -> None:
    """100 applications per group: pending where recruiting, decided elsewhere."""
    first = db.next_id("applications")
    per_group = APPLICATIONS // len(groups)
    competences = json.dumps(["Processledning", "Statistik"])

    def rows() -> Iterator[tuple[Any, ...]]:
        number = first
        for gid in groups:
            recruiting = gid % 20 == 0
            for k, person in enumerate(rng.sample(people, per_group)):
                status = (
                    "SUBMITTED"
                    if recruiting
                    else ("SELECTED" if k < 8 else "NOT_SELECTED")
                )
                yield (
                    number,
                    gid,
                    person,
                    status,
                    "Avdelning",
                    competences,
                    k % 30,
                    "Jag vill bidra med min erfarenhet.",
                    NOW,
                    NOW,
                )
                number += 1

    db.copy(
        "applications",
        [
            "id",
            "group_id",
            "person_id",
            "status",
            "department",
            "competences",
            "years_experience",
            "motivation",
            "created_at",
            "updated_at",
        ],
        rows(),
    )


def _exists(conn: psycopg.Connection[Any], table: str) -> bool:
    row = conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()
    return row is not None and row[0] is not None


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
    for table, rows in counts.items():
        print(f"{table:<20}{rows:>10,}".replace(",", " "))
    print(f"generated in {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
