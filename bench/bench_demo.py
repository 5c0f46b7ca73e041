"""Seconds to load the demo's half year into a fresh SQLite database, and what it holds.

Run: python bench/bench_demo.py
Times what `tracker demo --no-serve` does after start-up: the migrations, then the
replay (the README promises under 15 s); prints the rows the replay made.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from sqlalchemy import func, select

from tracker import create_app, demo
from tracker.cli.core import DEMO_PASSWORD, migrate
from tracker.db import get_session
from tracker.models.activity import ActivityEvent
from tracker.models.applications import Application
from tracker.models.assignments import ProgressReport
from tracker.models.digests import BlogPost


def main() -> None:
    """Load the demo once and print the figures as Markdown."""
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{Path(directory) / 'demo.sqlite'}"
        app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
        with app.app_context():
            started = time.perf_counter()
            migrate()
            migrated = time.perf_counter()
            session = get_session()
            demo.load(session, password=DEMO_PASSWORD)
            session.commit()
            loaded = time.perf_counter()
            counts = {
                model.__name__: session.scalar(select(func.count()).select_from(model))
                for model in (ActivityEvent, ProgressReport, Application, BlogPost)
            }
        app.extensions["tracker.engine"].dispose()
    print("| step | seconds |\n| --- | --- |")
    print(f"| migrations | {migrated - started:.1f} |")
    print(f"| demo replay | {loaded - migrated:.1f} |")
    print(f"| total | {loaded - started:.1f} |")
    print(", ".join(f"{name}: {number}" for name, number in counts.items()))


if __name__ == "__main__":
    main()
