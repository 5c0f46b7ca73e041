"""What people do in Trello is respected: archiving a card, lists that are no stage."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import login, post_form
from factories import make_assignment, make_person, make_plan
from fakes.trello import FakeTrello
from fakes.trello_app import run_sync, sync_app, writes
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models.assignments import Assignment
from tracker.models.people import Role
from tracker.models.plans import ActionPlan
from tracker.models.trello import TrelloCard
from tracker.services.programme import assignments, stages


@pytest.fixture
def fake() -> Iterator[FakeTrello]:
    with FakeTrello() as server:
        yield server


@pytest.fixture
def app(db_url: str, connection: Connection, fake: FakeTrello) -> Flask:
    return sync_app(db_url, connection, fake)


@pytest.fixture
def plan(app: Flask, session: Session) -> ActionPlan:
    plan = make_plan(session, title="Gester")
    make_assignment(session, plan, title="Uppdraget")
    session.commit()
    run_sync(app)
    return plan


@pytest.fixture
def leader(client: FlaskClient, session: Session) -> FlaskClient:
    make_person(session, role=Role.LEADERSHIP, email="chef@test.se")
    session.commit()
    login(client, "chef@test.se")
    return client


def card(fake: FakeTrello) -> dict:  # type: ignore[type-arg]
    [found] = fake.cards(fake.board_by_name("Gester")["id"])
    return found


def link(session: Session) -> TrelloCard:
    session.expire_all()
    return session.scalars(select(TrelloCard)).one()


def assignment(session: Session) -> Assignment:
    session.expire_all()
    return session.scalars(select(Assignment)).one()


def test_b5_a_card_archived_in_trello_stays_archived_and_is_flagged(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    fake.update_card(card(fake)["id"], closed=True)
    [report] = run_sync(app)
    assert report.error == ""
    assert card(fake)["closed"] is True  # never silently un-archived
    assert link(session).archived_at is not None
    mark = fake.request_count
    run_sync(app)
    assert writes(fake.requests_since(mark)) == []
    assert card(fake)["closed"] is True and assignment(session).closed_at is None


def test_an_archived_card_can_be_restored_from_the_status_page(
    app: Flask,
    fake: FakeTrello,
    session: Session,
    plan: ActionPlan,
    leader: FlaskClient,
) -> None:
    fake.update_card(card(fake)["id"], closed=True)
    run_sync(app)
    html = leader.get("/trello/").get_data(as_text=True)
    assert "Kort som arkiverats i Trello" in html and "Uppdraget" in html
    assert "Avsluta uppdraget" in html
    response = post_form(leader, f"/trello/cards/{link(session).id}/restore")
    assert response.status_code == 302
    assert link(session).archived_at is None
    [report] = run_sync(app)
    assert report.error == ""
    assert card(fake)["closed"] is False
    assert link(session).archived_at is None
    run_sync(app)
    assert card(fake)["closed"] is False  # and it stays on the board


def test_ending_the_assignment_settles_an_archived_card(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    fake.update_card(card(fake)["id"], closed=True)
    run_sync(app)
    assignments.close_assignment(
        session, None, assignment(session), outcome="Klart.", now=clock.now()
    )
    session.commit()
    [report] = run_sync(app)
    assert report.error == ""
    assert card(fake)["closed"] is True and link(session).archived_at is None


def test_a_card_taken_out_of_the_archive_in_trello_is_no_longer_flagged(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    fake.update_card(card(fake)["id"], closed=True)
    run_sync(app)
    fake.update_card(card(fake)["id"], closed=False)
    run_sync(app)
    assert link(session).archived_at is None and card(fake)["closed"] is False


def test_b6_a_card_in_a_list_that_is_no_stage_follows_the_next_stage_change(
    app: Flask,
    fake: FakeTrello,
    session: Session,
    plan: ActionPlan,
    leader: FlaskClient,
) -> None:
    board_id = fake.board_by_name("Gester")["id"]
    parked = fake.store.create_list({"idBoard": board_id, "name": "Parkerat"})
    fake.update_card(card(fake)["id"], idList=parked["id"])
    [report] = run_sync(app)
    assert report.error == "" and report.conflicts == 0
    assert card(fake)["idList"] == parked["id"]  # the person's gesture is kept
    assert link(session).off_list_name == "Parkerat"
    html = leader.get("/trello/").get_data(as_text=True)
    assert "i listan Parkerat i Trello" in html
    mark = fake.request_count
    run_sync(app)
    assert writes(fake.requests_since(mark)) == []
    ongoing = next(s for s in stages.list_stages(session) if s.name == "Pågår")
    assignments.move_assignment(session, None, assignment(session), ongoing)
    session.commit()
    [report] = run_sync(app)
    assert report.error == ""
    assert card(fake)["idList"] == fake.list_named(board_id, "Pågår")["id"]
    assert link(session).off_list_name == ""
    assert assignment(session).stage.name == "Pågår"


def test_a_renamed_or_archived_stage_list_is_put_back(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    board_id = fake.board_by_name("Gester")["id"]
    planned = fake.list_named(board_id, "Planerad")
    fake.store.update_list(planned["id"], {"name": "Kanske"})
    ongoing = fake.list_named(board_id, "Pågår")
    fake.store.update_list(ongoing["id"], {"closed": True})
    [report] = run_sync(app)
    assert report.error == ""
    assert fake.store.lists[planned["id"]]["name"] == "Planerad"
    assert fake.store.lists[ongoing["id"]]["closed"] is False
    assert assignment(session).stage.name == "Planerad"
