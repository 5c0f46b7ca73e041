"""Requests per Trello reconcile of the demo (5 boards, 25 assignments) vs a naive walk.

Run: python bench/bench_trello.py
Loads the demo into a temporary SQLite database, syncs it to the fake Trello of
tests/fakes (a real HTTP server on 127.0.0.1) and prints, side by side with a naive
py-trello walk (board -> lists -> cards -> card.fetch()) over the same fake:
requests when nothing changed, after one change in the tracker, after ten cards
were moved in Trello; and the wall time of the first full sync.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.trello import FakeTrello  # noqa: E402
from flask import Flask  # noqa: E402
from sqlalchemy import select  # noqa: E402
from trello import TrelloClient  # noqa: E402

from sync import runs  # noqa: E402
from sync.client import make_api  # noqa: E402
from sync.context import PlanReport, SyncConfig  # noqa: E402
from tracker import create_app, demo  # noqa: E402
from tracker.db import Base, get_session  # noqa: E402
from tracker.models.assignments import Assignment  # noqa: E402
from tracker.models.trello import SyncTrigger, TrelloBoard  # noqa: E402
from tracker.services.programme import assignments, stages  # noqa: E402


def make_app(database: Path, fake: FakeTrello) -> Flask:
    """The tracker on a fresh SQLite file, pointed at the fake Trello."""
    trello = {"API_KEY": fake.key, "TOKEN": fake.token, "API_URL": fake.url}
    app = create_app(
        {
            "SECRET_KEY": "bench",
            "DATABASE_URL": f"sqlite:///{database}",
            "PUBLIC_URL": "https://tracker.example.se",
            "TRELLO": trello | {"APP_SECRET": fake.secret},
        }
    )
    with app.app_context():
        Base.metadata.create_all(app.extensions["tracker.engine"])
        session = get_session()
        stages.ensure_stages(session, app.config["WORKFLOW_STAGES"])
        demo.load(session, password="demo")
        session.commit()
    return app


WAITED: list[float] = []


def reconcile(app: Flask) -> tuple[int, list[PlanReport]]:
    """One reconcile of every board; returns (requests, reports)."""
    with app.app_context():
        config = SyncConfig.from_app(app.config)
        api = make_api(config.trello)
        session = get_session()
        plans = runs.plans_to_sync(session)
        reports = runs.sync_plans(
            session, api, plans, config, trigger=SyncTrigger.SCHEDULE
        )
        WAITED.append(api.session.slept)
        return api.requests_made, reports


def naive_walk(fake: FakeTrello, board_ids: list[str]) -> int:
    """What a straightforward py-trello reader does: every list, card and detail."""
    before = fake.request_count
    client = TrelloClient(api_key=fake.key, api_secret=fake.token)
    api = make_api({"API_KEY": fake.key, "TOKEN": fake.token, "API_URL": fake.url})
    client.http_service = api.session  # same fake, same pacing
    for board_id in board_ids:
        board = client.get_board(board_id)
        for trello_list in board.list_lists():
            for card in trello_list.list_cards():
                card.fetch()
    return fake.request_count - before


def change_one_assignment(app: Flask) -> None:
    """Rename one assignment in the tracker."""
    with app.app_context():
        session = get_session()
        item = session.scalars(select(Assignment).order_by(Assignment.id)).first()
        if item is None:
            raise SystemExit("the demo has no assignments")
        values = assignments.AssignmentValues(
            title=item.title + " (ny)",
            description=item.description,
            responsible=item.responsible,
            starts_on=item.starts_on,
            ends_on=item.ends_on,
            documents_link=item.documents_link,
        )
        assignments.update_assignment(session, None, item, values)
        session.commit()


def move_ten_cards(fake: FakeTrello, board_ids: list[str]) -> None:
    """People move ten open cards to another list in Trello."""
    moved = 0
    for board_id in board_ids:
        lists = [x for x in fake.store.lists.values() if x["idBoard"] == board_id]
        for card in fake.cards(board_id, include_closed=False):
            target = next(x for x in lists if x["id"] != card["idList"])
            fake.update_card(card["id"], idList=target["id"])
            moved += 1
            if moved == 10:
                return


def board_ids(app: Flask) -> list[str]:
    """The linked boards."""
    with app.app_context():
        return list(get_session().scalars(select(TrelloBoard.board_id)))


def totals(reports: list[PlanReport]) -> dict[str, Any]:
    """The summary counts of a reconcile."""
    keys = ("created", "updated", "pulled", "conflicts")
    return {key: sum(getattr(r, key) for r in reports) for key in keys}


def scenario(
    app: Flask, fake: FakeTrello, boards: list[str], name: str
) -> tuple[str, int, int, float, int, float]:
    """One reconcile and one naive walk: requests, writes and seconds of each."""
    mark, started = fake.request_count, time.perf_counter()
    ours, _ = reconcile(app)
    ours_seconds = time.perf_counter() - started
    wrote = sum(1 for e in fake.requests_since(mark) if e.method != "GET")
    started = time.perf_counter()
    naive = naive_walk(fake, boards)
    return name, ours, wrote, ours_seconds, naive, time.perf_counter() - started


def main() -> None:
    """Run the scenarios and print the figures."""
    with FakeTrello() as fake, tempfile.TemporaryDirectory() as folder:
        app = make_app(Path(folder) / "bench.sqlite", fake)
        started = time.perf_counter()
        first, reports = reconcile(app)
        first_seconds = time.perf_counter() - started
        errors = [r.error for r in reports if r.error]
        boards = board_ids(app)
        cards = sum(len(fake.cards(b)) for b in boards)
        print(
            f"First full sync: {first} requests, {first_seconds:.2f} s wall time "
            f"({WAITED[0]:.2f} s of it paced by the 100 requests / 10 s limit)"
        )
        print(
            f"  {len(boards)} boards, {cards} cards, {totals(reports)} {errors or ''}"
        )
        rows = [scenario(app, fake, boards, "nothing changed")]
        change_one_assignment(app)
        rows.append(scenario(app, fake, boards, "1 change in the tracker"))
        move_ten_cards(fake, boards)
        rows.append(scenario(app, fake, boards, "10 cards moved in Trello"))
        rows.append(scenario(app, fake, boards, "right after (echo check)"))
        print()
        print(
            f"{'reconcile':<27}{'sync requests':>14}{'writes':>8}{'s':>7}"
            f"{'naive walk requests':>21}{'s':>7}"
        )
        for name, ours, wrote, ours_s, naive, naive_s in rows:
            print(
                f"{name:<27}{ours:>14}{wrote:>8}{ours_s:>7.2f}{naive:>21}{naive_s:>7.2f}"
            )
        app.extensions["tracker.engine"].dispose()


if __name__ == "__main__":
    main()
