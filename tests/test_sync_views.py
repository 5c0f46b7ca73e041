"""The sync status page: what leadership sees, and its buttons."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
from conftest import login, post_form
from factories import make_assignment, make_person, make_plan
from fakes.trello import FakeTrello
from fakes.trello_app import run_sync, sync_app
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models.assignments import Assignment
from tracker.models.people import Role
from tracker.models.plans import ActionPlan
from tracker.models.trello import (
    TrelloBoard,
    TrelloCard,
    TrelloConflict,
    TrelloMatchProposal,
)
from tracker.services.programme import assignments

STATUS = "/trello/"


@pytest.fixture
def fake() -> Iterator[FakeTrello]:
    with FakeTrello() as server:
        yield server


@pytest.fixture
def app(db_url: str, connection: Connection, fake: FakeTrello) -> Flask:
    return sync_app(db_url, connection, fake)


@pytest.fixture
def plan(app: Flask, session: Session) -> ActionPlan:
    plan = make_plan(session, title="Införa huvudhandläggare")
    make_assignment(session, plan)
    session.commit()
    run_sync(app)
    return plan


@pytest.fixture
def leader(client: FlaskClient, session: Session) -> FlaskClient:
    make_person(session, role=Role.LEADERSHIP, email="chef@test.se")
    session.commit()
    login(client, "chef@test.se")
    return client


def page(client: FlaskClient) -> str:
    response = client.get(STATUS)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_staff_may_not_see_the_sync(client: FlaskClient, session: Session) -> None:
    make_person(session, email="medarbetare@test.se")
    session.commit()
    login(client, "medarbetare@test.se")
    assert client.get(STATUS).status_code == 403


def test_leadership_sees_the_last_run_per_board_in_swedish(
    leader: FlaskClient, plan: ActionPlan
) -> None:
    html = page(leader)
    assert "<h1>Trello-synk</h1>" in html
    assert "Införa huvudhandläggare" in html and "Tavlan i Trello" in html
    assert "Kommandorad" in html and "Synka nu" in html
    assert "Inga konflikter." in html and "Inga kort saknas." in html


def test_a_stopped_board_shows_its_error_and_can_be_resumed(
    app: Flask,
    leader: FlaskClient,
    fake: FakeTrello,
    plan: ActionPlan,
    session: Session,
) -> None:
    fake.fail_next(100, 401)  # a lasting error: the token no longer works
    for _ in range(3):
        run_sync(app)
    html = page(leader)
    assert "Stoppad efter upprepade fel" in html and "Server error" in html
    link = session.scalars(select(TrelloBoard)).one()
    response = post_form(leader, f"/trello/boards/{link.id}/resume")
    assert response.status_code == 302
    session.expire_all()
    link = session.scalars(select(TrelloBoard)).one()
    assert link.stopped_at is None and link.event_first_at is not None
    assert "Tavlan synkas igen inom kort." in page(leader)


def test_conflicts_are_shown_and_can_be_dismissed(
    app: Flask,
    leader: FlaskClient,
    fake: FakeTrello,
    plan: ActionPlan,
    session: Session,
) -> None:
    [card] = fake.cards(fake.board_by_name(plan.title)["id"])
    fake.update_card(card["id"], name="Från Trello")
    assignment = session.scalars(select(Assignment)).one()
    values = assignments.AssignmentValues(title="Från trackern")
    assignments.update_assignment(session, None, assignment, values)
    session.commit()
    run_sync(app)
    html = page(leader)
    assert "Från Trello" in html and "Från trackern" in html
    assert "<td>Titel</td>" in html and "<td>Trackern</td>" in html
    conflict = session.scalars(select(TrelloConflict)).one()
    post_form(leader, f"/trello/conflicts/{conflict.id}/dismiss")
    assert "Inga konflikter." in page(leader)


def test_an_unlinked_card_can_get_a_new_card(
    app: Flask,
    leader: FlaskClient,
    fake: FakeTrello,
    plan: ActionPlan,
    session: Session,
) -> None:
    board_id = fake.board_by_name(plan.title)["id"]
    [card] = fake.cards(board_id)
    fake.delete_card(card["id"])
    run_sync(app)
    assert "De här uppdragen har förlorat sitt kort." in page(leader)
    link = session.scalars(select(TrelloCard)).one()
    post_form(leader, f"/trello/cards/{link.id}/recreate")
    run_sync(app)
    assert len(fake.cards(board_id)) == 1
    assert "Inga kort saknas." in page(leader)


def test_a_proposed_match_can_be_confirmed_on_the_page(
    app: Flask, leader: FlaskClient, fake: FakeTrello, session: Session
) -> None:
    plan = make_plan(session, title="Gemensam ingång")
    assignment = make_assignment(session, plan)
    session.commit()
    board = fake.make_board("Ingången", ["Planerad"])
    todo = fake.list_named(board["id"], "Planerad")
    card = fake.store.create_card({"idList": todo["id"], "name": assignment.title})
    result = app.test_cli_runner().invoke(
        args=["sync", "trello", "link", plan.slug, board["id"], "--no-prompt"]
    )
    assert result.exit_code == 0, result.output
    html = page(leader)
    assert f"Kortet {assignment.title} → uppdraget" in html
    proposal = session.scalars(select(TrelloMatchProposal)).one()
    post_form(leader, f"/trello/proposals/{proposal.id}/accept")
    session.expire_all()
    assert session.scalars(select(TrelloCard.card_id)).all() == [card["id"]]
    assert "Inga kopplingar väntar på beslut." in page(leader)


def test_the_webhook_needs_no_csrf_token_but_a_signature(
    client: FlaskClient, plan: ActionPlan
) -> None:
    response = client.post("/trello/webhook", data=b"{}")
    assert response.status_code == 401  # not 400 for a missing CSRF token


def test_an_outage_is_shown_as_passing_and_never_stops_the_board(
    app: Flask, leader: FlaskClient, fake: FakeTrello, plan: ActionPlan
) -> None:
    fake.fail_next(100, 503)
    for _ in range(4):
        run_sync(app)
    html = page(leader)
    assert "Trello svarade inte under en stund" in html
    assert "Stoppad" not in html and "Återuppta" not in html


def test_sync_now_asks_for_every_board(
    leader: FlaskClient, plan: ActionPlan, session: Session
) -> None:
    assert "Synka nu" in page(leader)
    response = post_form(leader, "/trello/sync")
    assert response.status_code == 302
    session.expire_all()
    assert session.scalars(select(TrelloBoard)).one().event_first_at is not None
    assert "Alla tavlor synkas inom kort." in page(leader)


def test_without_trello_the_page_says_how_to_connect(
    db_url: str, connection: Connection, fake: FakeTrello, session: Session
) -> None:
    app = sync_app(db_url, connection, fake, API_KEY="", TOKEN="")
    make_person(session, role=Role.LEADERSHIP, email="chef2@test.se")
    session.commit()
    client = app.test_client()
    login(client, "chef2@test.se")
    html = page(client)
    assert "Trello är inte anslutet" in html
    assert "API_KEY" in html and "tracker sync trello" in html


def test_a_running_sync_shows_how_far_it_has_come(
    leader: FlaskClient, plan: ActionPlan, session: Session
) -> None:
    link = session.scalars(select(TrelloBoard)).one()
    now = clock.now()
    link.progress_started_at = now - timedelta(minutes=10)
    link.progress_at = now
    link.progress_done, link.progress_total, link.progress_requests = 1000, 5000, 6000
    session.commit()
    html = page(leader)
    assert "Synkar just nu" in html
    assert "1\xa0000 av 5\xa0000 kort, 6\xa0000 anrop (10,0 per sekund)" in html
    assert "Cirka 40 min kvar" in html
