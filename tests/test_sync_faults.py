"""Fault injection: a third of requests failing, then none. Nothing lost or doubled."""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest
from factories import make_assignment, make_group, make_plan
from fakes.trello import FakeTrello
from fakes.trello_app import run_sync, sync_app, writes
from flask import Flask
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from sync.description import parse
from tracker.models.assignments import Assignment
from tracker.models.plans import ActionPlan
from tracker.models.trello import TrelloBoard, TrelloCard
from tracker.services.programme import assignments, milestones

PLANS = ("Första planen", "Andra planen", "Tredje planen")


@pytest.fixture
def fake() -> Iterator[FakeTrello]:
    with FakeTrello() as server:
        yield server


@pytest.fixture
def app(db_url: str, connection: Connection, fake: FakeTrello) -> Flask:
    # Short timeouts so that slow answers become client timeouts quickly.
    return sync_app(db_url, connection, fake, TIMEOUT=0.3, MAX_RETRIES=3)


@pytest.fixture
def plans(session: Session) -> list[ActionPlan]:
    made = []
    for title in PLANS:
        plan = make_plan(session, title=title)
        items = [
            make_assignment(
                session,
                plan,
                title=f"{title}: uppdrag {n}",
                description=f"---\nText {n}\n\n---\n\nMer {n}",
                ends_on=date(2027, 1, n + 1),
            )
            for n in range(4)
        ]
        make_group(session, name=f"Grupp {title}", assignments=items[:2])
        for item in items:
            for name in ("Start", "Mitt", "Slut"):
                milestones.add_milestone(session, None, item, title=name, due_on=None)
        made.append(plan)
    session.commit()
    return made


def assert_board_is_whole(fake: FakeTrello, session: Session, plan: ActionPlan) -> None:
    """One board, a list per stage, a card per assignment, an item per milestone."""
    [board] = fake.boards_named(plan.title)
    lists = [x for x in fake.store.lists.values() if x["idBoard"] == board["id"]]
    assert sorted(x["name"] for x in lists) == ["Klar", "Planerad", "Pågår"]
    labels = Counter(
        x["name"] for x in fake.store.labels.values() if x["idBoard"] == board["id"]
    )
    assert all(count == 1 for count in labels.values()), labels
    cards = fake.cards(board["id"])
    items = session.scalars(select(Assignment).where(Assignment.plan_id == plan.id))
    by_id = {a.id: a for a in items}
    assert sorted(parse(c["desc"]).assignment_id or 0 for c in cards) == sorted(by_id)
    for card in cards:
        assignment = by_id[parse(card["desc"]).assignment_id or 0]
        assert card["name"] == assignment.title
        assert parse(card["desc"]).body == assignment.description
        names = [i["name"] for i in fake.check_items(card["id"])]
        assert sorted(names) == sorted(m.title for m in assignment.milestones)


@pytest.mark.parametrize("seed", [1, 2])
def test_a_third_of_requests_failing_then_none_leaves_every_board_syncing(
    app: Flask,
    fake: FakeTrello,
    session: Session,
    plans: list[ActionPlan],
    seed: int,
) -> None:
    fake.chaos(1 / 3, delay=0.5, seed=seed)
    for _ in range(3):  # the outage: whatever each run manages
        run_sync(app)
    # People keep working on both sides meanwhile.
    session.expire_all()
    first = session.scalars(select(Assignment).order_by(Assignment.id)).first()
    assert first is not None
    values = assignments.AssignmentValues(
        title="Ändrad i trackern under avbrottet",
        description=first.description,
        ends_on=first.ends_on,
    )
    assignments.update_assignment(session, None, first, values)
    session.commit()
    run_sync(app)
    fake.chaos(0)  # Trello is well again
    reports = run_sync(app)
    assert [(r.error, r.skipped) for r in reports] == [("", "")] * len(PLANS)
    session.expire_all()
    for link in session.scalars(select(TrelloBoard)):
        assert link.stopped_at is None and link.failures == 0
    for plan in plans:
        assert_board_is_whole(fake, session, plan)
    assert session.scalars(select(TrelloCard)).all()
    mark = fake.request_count
    reports = run_sync(app)
    assert writes(fake.requests_since(mark)) == []  # nothing was left undone
    assert fake.request_count - mark == len(PLANS)


def test_an_outage_during_a_first_sync_keeps_what_was_done(
    db_url: str,
    connection: Connection,
    fake: FakeTrello,
    session: Session,
    plans: list[ActionPlan],
) -> None:
    """Trello goes away half-way: cards made before it stay linked, none twice."""
    app = sync_app(db_url, connection, fake, MAX_RETRIES=1)
    # Trello makes two cards, then goes away (every new card answered 503).
    fake.fail_next(1000, 503, skip=2, method="POST", path="/1/cards")
    [report] = run_sync(app, plan=make_slug(session, PLANS[0]))
    assert report.transient and report.error
    session.expire_all()
    assert len(session.scalars(select(TrelloCard)).all()) == 2  # committed, kept
    link = session.scalars(select(TrelloBoard)).one()
    assert link.stopped_at is None and link.failures == 0
    fake.faults.clear()
    reports = run_sync(app)
    assert all(r.error == "" for r in reports)
    session.expire_all()
    for plan in plans:
        assert_board_is_whole(fake, session, plan)


def make_slug(session: Session, title: str) -> str:
    plan = session.scalars(select(ActionPlan).where(ActionPlan.title == title)).one()
    return plan.slug


def test_a_card_trello_makes_after_the_client_gave_up_is_archived_not_proposed(
    db_url: str, connection: Connection, fake: FakeTrello, session: Session
) -> None:
    """Trello answers a card POST so late that the sync already sent it again."""
    plan = make_plan(session, title="Sent svar")
    make_assignment(session, plan, title="Uppdraget", description="Text.")
    session.commit()
    app = sync_app(db_url, connection, fake, TIMEOUT=0.2, MAX_RETRIES=2)
    fake.delay_next(1, 1.5, method="POST", path="/1/cards")
    [report] = run_sync(app)
    assert report.error == ""
    time.sleep(1.6)  # the slow first POST is made now: a second card
    board_id = fake.board_by_name("Sent svar")["id"]
    assert len(fake.cards(board_id, include_closed=False)) == 2
    [report] = run_sync(app)
    assert report.error == ""
    session.expire_all()
    assert len(session.scalars(select(Assignment)).all()) == 1  # nothing proposed
    [open_card] = fake.cards(board_id, include_closed=False)
    assert session.scalars(select(TrelloCard)).one().card_id == open_card["id"]
