"""The demo's first Trello sync in an outage: a third of requests failing, then none.

Run: python bench/bench_trello_faults.py [RUNS_DURING_THE_OUTAGE]
Loads the demo into a temporary SQLite database and syncs it to the fake Trello of
tests/fakes with a third of all requests failing at random (429, 5xx, answers slower
than the timeout, connections dropped after the write), for a number of runs, then
with none. Prints the requests and seconds of each run, whether any board stopped,
and whether every board ended whole (no duplicates, nothing missing).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "bench"))

from bench_trello import make_app  # noqa: E402
from fakes.trello import FakeTrello  # noqa: E402
from sqlalchemy import select  # noqa: E402

from sync import runs  # noqa: E402
from sync.client import make_api  # noqa: E402
from sync.context import SyncConfig  # noqa: E402
from sync.description import parse  # noqa: E402
from tracker.db import get_session  # noqa: E402
from tracker.models.assignments import Assignment  # noqa: E402
from tracker.models.trello import SyncTrigger, TrelloBoard  # noqa: E402


def run(app, fake: FakeTrello) -> tuple[int, float, list[str]]:  # type: ignore[no-untyped-def]
    """One reconcile of every board: requests, seconds, errors."""
    started, mark = time.perf_counter(), fake.request_count
    with app.app_context():
        config = SyncConfig.from_app(app.config)
        session = get_session()
        reports = runs.sync_plans(
            session,
            make_api(config.trello),
            runs.plans_to_sync(session),
            config,
            trigger=SyncTrigger.SCHEDULE,
        )
    errors = [f"{r.plan}: {r.error}" for r in reports if r.error]
    return fake.request_count - mark, time.perf_counter() - started, errors


def whole(app, fake: FakeTrello) -> list[str]:  # type: ignore[no-untyped-def]
    """What is doubled or missing on the boards."""
    problems = []
    with app.app_context():
        session = get_session()
        for link in session.scalars(select(TrelloBoard)):
            assert link.stopped_at is None, "a board stopped"
            cards = fake.cards(link.board_id)
            marks = Counter(parse(c["desc"]).assignment_id for c in cards)
            wanted = set(
                session.scalars(
                    select(Assignment.id).where(Assignment.plan_id == link.plan_id)
                )
            )
            problems += [f"card twice: {a}" for a, n in marks.items() if n > 1]
            problems += [f"no card: {a}" for a in wanted - set(marks)]
            lists = Counter(
                x["name"]
                for x in fake.store.lists.values()
                if x["idBoard"] == link.board_id
            )
            problems += [f"list twice: {n}" for n, k in lists.items() if k > 1]
            for card in cards:
                items = Counter(i["name"] for i in fake.check_items(card["id"]))
                problems += [f"item twice: {n}" for n, k in items.items() if k > 1]
    return problems


def main() -> None:
    """Sync through the outage, then once more, and print the figures."""
    outage_runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    with FakeTrello() as fake, tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder) / "bench.sqlite", fake)
        app.config["TRELLO"] |= {"TIMEOUT": 0.5, "BACKOFF_SECONDS": 0.1}
        fake.chaos(1 / 3, delay=0.8, seed=7)
        for number in range(1, outage_runs + 1):
            requests, seconds, errors = run(app, fake)
            print(
                f"outage run {number}: {requests} requests, {seconds:.1f} s, "
                f"{len(errors)} boards with a (transient) error"
            )
        fake.chaos(0)
        requests, seconds, errors = run(app, fake)
        print(f"after the outage: {requests} requests, {seconds:.1f} s, {errors}")
        requests, seconds, errors = run(app, fake)
        print(f"next run: {requests} requests (one per board), {errors}")
        problems = whole(app, fake)
        print(problems or "every board whole, none stopped")
        app.extensions["tracker.engine"].dispose()


if __name__ == "__main__":
    main()
