"""EXPLAIN ANALYZE of the filtered activity feed's queries on the large database.

Usage: python bench/generate_large.py && python bench/explain_activity.py

Requests /activity/ with each filter in-process as the leadership login, records
the SQL it runs and prints the count per page and the plan of the slowest
statement of each (EXPLAIN (ANALYZE, BUFFERS); the login's own query left out),
as Markdown.
"""

from __future__ import annotations

import sys
import time
from typing import Any

import psycopg
from sqlalchemy import event

from tracker import create_app

SERVER = "postgresql://postgres@127.0.0.1:5432"


def main() -> None:
    """Print the query count and the slowest statement's plan per filtered page."""
    database = sys.argv[1] if len(sys.argv) > 1 else "tracker_bench"
    url = f"postgresql+psycopg://{SERVER.removeprefix('postgresql://')}/{database}"
    with psycopg.connect(f"{SERVER}/{database}") as conn:
        plan = conn.execute("SELECT max(id) FROM action_plans").fetchone()[0]  # type: ignore[index]
        group = conn.execute("SELECT max(id) FROM working_groups").fetchone()[0]  # type: ignore[index]
        person = conn.execute(
            "SELECT actor_id FROM activity_events WHERE actor_id IS NOT NULL "
            "ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]  # type: ignore[index]
    paths = [
        f"/activity/?plan={plan}",
        f"/activity/?group={group}",
        f"/activity/?person={person}",
        "/activity/?since=2026-01-01&until=2026-03-31",
        "/activity/?page=3",
    ]
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    )
    client = app.test_client()
    client.post("/login", data={"email": "ledning@demo.se", "password": "demo"})
    client.get("/tillganglighet")
    engines = [
        app.extensions[k]
        for k in ("tracker.engine", "tracker.read_engine")
        if k in app.extensions
    ]
    with psycopg.connect(f"{SERVER}/{database}") as conn:
        for path in paths:
            client.get(path)  # warm
            seen: list[tuple[str, Any]] = []

            def record(*args: Any) -> None:
                seen.append((args[2], args[3]))  # noqa: B023 - read right away

            for engine in engines:
                event.listen(engine, "before_cursor_execute", record)
            answer = client.get(path)
            for engine in engines:
                event.remove(engine, "before_cursor_execute", record)
            timed = []
            for statement, parameters in seen:
                if "pg_current_snapshot" in statement:
                    continue  # the login's own query, the same on every page
                started = time.perf_counter()
                for _ in range(3):
                    conn.execute(statement, parameters).fetchall()  # type: ignore[arg-type]
                timed.append((time.perf_counter() - started, statement, parameters))
            slowest = max(timed, key=lambda t: t[0])
            explained = conn.execute(
                "EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + slowest[1],  # type: ignore[operator]
                slowest[2],
            ).fetchall()
            print(f"#### `{path}`: {answer.status_code}, {len(seen)} queries")
            print()
            print("```")
            print("\n".join(row[0] for row in explained))
            print("```")
            print()


if __name__ == "__main__":
    main()
