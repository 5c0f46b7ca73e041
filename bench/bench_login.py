"""Time the login's answers: a known and an unknown e-mail must take as long.

Run: python bench/bench_login.py [--postgres URL] [--rounds N]

Serves the app in-process (Flask's test client, the whole request: CSRF off, form,
throttle, password check, commit) on a temporary SQLite file and on the PostgreSQL
database accounts_bench (created when missing, its tables replaced). Each round sends,
in random order, a wrong password for a known e-mail, a wrong password for an
unknown e-mail, the right password, and "Forgot your password?" for a known and an
unknown e-mail, each from a fresh address so that throttling never answers instead.
Prints the median and 90th percentile of each in milliseconds, and how far apart
the known and unknown answers are. The target: within 20 %.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import Flask

import tracker.models  # noqa: F401 - every table
from tracker import create_app
from tracker.db import Base, get_session
from tracker.services import people
from tracker.services.accounts import links
from tracker.services.programme import stages

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/accounts_bench"
KNOWN, UNKNOWN, PASSWORD = "known@bench.se", "unknown@bench.se", "bench-password-1"


def prepare(url: str) -> Flask:
    """A fresh schema with one login, and the app on it."""
    app = create_app(
        {
            "DATABASE_URL": url,
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "PUBLIC_URL": "https://tracker.bench",
        }
    )
    with app.app_context():
        session = get_session()
        engine = session.get_bind()
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
        stages.ensure_stages(session, app.config["WORKFLOW_STAGES"])
        people.create_person(
            session,
            None,
            people.PersonValues(name="Known Person", email=KNOWN),
            password=PASSWORD,
        )
        session.commit()
    return app


def ensure_database(url: str) -> None:
    """Create the PostgreSQL benchmark database when it is missing."""
    target = sa.make_url(url)
    admin = sa.create_engine(
        target.set(database="postgres"), isolation_level="AUTOCOMMIT"
    )
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"),
            {"name": target.database},
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def measure(app: Flask, rounds: int) -> dict[str, list[float]]:
    """Milliseconds per answer, by kind of request."""
    client = app.test_client()
    addresses = (f"10.{n // 65536}.{n // 256 % 256}.{n % 256}" for n in range(10**6))
    kinds: dict[str, Callable[[str], object]] = {
        "wrong password, known e-mail": lambda a: login(client, KNOWN, "fel", a),
        "wrong password, unknown e-mail": lambda a: login(client, UNKNOWN, "fel", a),
        "right password": lambda a: login(client, KNOWN, PASSWORD, a),
        "forgot password, known e-mail": lambda a: forgot(client, KNOWN, a),
        "forgot password, unknown e-mail": lambda a: forgot(client, UNKNOWN, a),
    }
    for kind in kinds.values():  # warm up: imports, the stand-in hash, the pool
        kind(next(addresses))
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    rng = random.Random(11)
    for _ in range(rounds):
        order = list(kinds)
        rng.shuffle(order)
        for kind in order:
            start = time.perf_counter()
            kinds[kind](next(addresses))
            times[kind].append((time.perf_counter() - start) * 1000)
    return times


def login(client: object, email: str, password: str, address: str) -> None:
    """POST the login form from *address*."""
    response = client.post(  # type: ignore[attr-defined]
        "/login",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    expected = 302 if password == PASSWORD else 200
    assert response.status_code == expected, response.status_code
    client.delete_cookie("session")  # type: ignore[attr-defined]


def forgot(client: object, email: str, address: str) -> None:
    """POST "Forgot your password?" from *address*."""
    response = client.post(  # type: ignore[attr-defined]
        "/password/forgot",
        data={"email": email},
        environ_base={"REMOTE_ADDR": address},
    )
    assert response.status_code == 302, response.status_code


def report(backend: str, times: dict[str, list[float]]) -> None:
    """Print medians, 90th percentiles and the known/unknown differences."""
    print(f"\n{backend}: {len(next(iter(times.values())))} requests of each kind")
    medians = {}
    for kind, values in times.items():
        medians[kind] = statistics.median(values)
        p90 = statistics.quantiles(values, n=10)[-1]
        print(f"  {kind:34} median {medians[kind]:7.1f} ms   p90 {p90:7.1f} ms")
    for what in ("wrong password", "forgot password"):
        known = medians[f"{what}, known e-mail"]
        unknown = medians[f"{what}, unknown e-mail"]
        gap = abs(known - unknown) / max(known, unknown) * 100
        print(f"  {what}: known vs unknown differ by {gap:.1f} % (target <= 20 %)")


def main() -> None:
    """Run both backends and print the figures."""
    # every known "forgot" request sends its mail, instead of one per five minutes
    links.LINK_INTERVAL = timedelta(0)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", default=DEFAULT_PG)
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.sqlite'}"
        report("SQLite", measure(prepare(url), args.rounds))
    if not args.skip_postgres:
        ensure_database(args.postgres)
        report("PostgreSQL", measure(prepare(args.postgres), args.rounds))


if __name__ == "__main__":
    main()
