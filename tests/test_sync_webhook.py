"""Webhooks: the HEAD check, signatures, debounced reconciles, echoes, registration."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from apscheduler.schedulers.background import BackgroundScheduler
from factories import make_assignment, make_plan
from fakes.trello import Delivery, FakeTrello
from fakes.trello_app import run_sync, sync_app, writes
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from sync import jobs
from tracker import clock
from tracker import jobs as tracker_jobs
from tracker.models.assignments import Assignment
from tracker.models.trello import TrelloBoard
from tracker.services.programme import assignments

CALLBACK = "https://tracker.test/trello/webhook"


@pytest.fixture
def fake() -> Iterator[FakeTrello]:
    with FakeTrello() as server:
        yield server


@pytest.fixture
def app(db_url: str, connection: Connection, fake: FakeTrello) -> Flask:
    return sync_app(db_url, connection, fake, DEBOUNCE_SECONDS=10)


@pytest.fixture
def board(app: Flask, fake: FakeTrello, session: Session) -> TrelloBoard:
    """A synced plan with one assignment, its board watched by a webhook."""
    plan = make_plan(session, title="Dela myndighet")
    make_assignment(session, plan, ends_on=date(2026, 5, 1))
    session.commit()
    run_sync(app)
    link = session.scalars(select(TrelloBoard)).one()
    link.token_member_id = fake.me["id"]
    session.commit()
    fake.watch(link.board_id, CALLBACK)
    return link


def deliver(client: FlaskClient, delivery: Delivery, **headers: str) -> Any:
    sent = {"X-Trello-Webhook": delivery.signature} | headers
    return client.post(
        "/trello/webhook",
        data=delivery.body,
        headers=sent,
        content_type="application/json",
    )


def event_times(session: Session) -> tuple[Any, Any]:
    session.expire_all()
    link = session.scalars(select(TrelloBoard)).one()
    return link.event_first_at, link.event_last_at


def move_card_in_trello(fake: FakeTrello, board: TrelloBoard, list_name: str) -> None:
    [card] = fake.cards(board.board_id)
    fake.update_card(
        card["id"], idList=fake.list_named(board.board_id, list_name)["id"]
    )


def test_trello_s_head_check_is_answered(client: FlaskClient) -> None:
    assert client.head("/trello/webhook").status_code == 200


def test_a_forged_or_unsigned_event_is_refused_and_changes_nothing(
    client: FlaskClient, fake: FakeTrello, board: TrelloBoard, session: Session
) -> None:
    move_card_in_trello(fake, board, "Pågår")
    delivery = fake.deliveries[-1]
    assert (
        deliver(client, delivery, **{"X-Trello-Webhook": "Zm9yZ2Vk"}).status_code == 401
    )
    tampered = Delivery(delivery.callback_url, delivery.body + b" ", delivery.signature)
    assert deliver(client, tampered).status_code == 401
    response = client.post("/trello/webhook", data=delivery.body)  # no signature
    assert response.status_code == 401
    assert client.get("/trello/webhook").status_code == 401
    assert event_times(session) == (None, None)


def test_a_signed_event_queues_a_debounced_reconcile(
    app: Flask,
    client: FlaskClient,
    fake: FakeTrello,
    board: TrelloBoard,
    session: Session,
) -> None:
    move_card_in_trello(fake, board, "Pågår")
    assert deliver(client, fake.deliveries[-1]).status_code == 200
    first, last = event_times(session)
    assert first is not None and last is not None
    with app.app_context():
        assert jobs.reconcile_pending(session, app.config, last) == []  # not quiet yet
        later = last + timedelta(seconds=11)
        [report] = jobs.reconcile_pending(session, app.config, later)
    assert report.pulled == 1
    assert event_times(session) == (None, None)
    moved = session.scalars(select(Assignment)).one()
    assert moved.stage.name == "Pågår"


def test_many_events_in_a_row_make_one_reconcile(
    app: Flask,
    client: FlaskClient,
    fake: FakeTrello,
    board: TrelloBoard,
    session: Session,
) -> None:
    for list_name in ("Pågår", "Klar", "Pågår"):
        move_card_in_trello(fake, board, list_name)
        assert deliver(client, fake.deliveries[-1]).status_code == 200
    _, last = event_times(session)
    mark = fake.request_count
    with app.app_context():
        reports = jobs.reconcile_pending(
            session, app.config, last + timedelta(seconds=11)
        )
    assert len(reports) == 1
    assert len(fake.requests_since(mark)) == 1


def test_echoes_of_the_tracker_s_own_writes_change_nothing(
    app: Flask,
    client: FlaskClient,
    fake: FakeTrello,
    board: TrelloBoard,
    session: Session,
) -> None:
    assignment = session.scalars(select(Assignment)).one()
    values = assignments.AssignmentValues(title="Nytt namn", ends_on=date(2026, 5, 1))
    assignments.update_assignment(session, None, assignment, values)
    session.commit()
    run_sync(app)
    echo = fake.deliveries[-1]
    assert echo.action["idMemberCreator"] == fake.me["id"]
    assert deliver(client, echo).status_code == 200
    assert event_times(session) == (None, None)


def test_an_event_for_an_unknown_board_asks_trello_to_drop_the_webhook(
    client: FlaskClient, fake: FakeTrello, board: TrelloBoard
) -> None:
    other = fake.make_board("Okänd", ["A"])
    fake.watch(other["id"], CALLBACK)
    fake.add_card(fake.list_named(other["id"], "A")["id"], "Kort")
    assert deliver(client, fake.deliveries[-1]).status_code == 410


def test_webhooks_command_registers_one_per_board_after_trello_s_head_check(
    db_url: str, connection: Connection, fake: FakeTrello, session: Session
) -> None:
    holder: dict[str, Flask] = {}
    server = make_server("127.0.0.1", 0, lambda env, start: holder["app"](env, start))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        callback = f"http://127.0.0.1:{server.server_port}/trello/webhook"
        app = sync_app(db_url, connection, fake, WEBHOOK_CALLBACK_URL=callback)
        holder["app"] = app
        make_plan(session, title="Plan A")
        make_plan(session, title="Plan B")
        session.commit()
        run_sync(app)
        runner = app.test_cli_runner()
        result = runner.invoke(args=["sync", "trello", "webhooks"])
        assert result.exit_code == 0, result.output
        assert "2 skapade" in result.output
        again = runner.invoke(args=["sync", "trello", "webhooks"])
        assert "0 skapade, 2 fanns redan" in again.output
    finally:
        server.shutdown()
    hooks = list(fake.store.webhooks.values())
    session.expire_all()
    links = session.scalars(select(TrelloBoard)).all()
    assert sorted(h["idModel"] for h in hooks) == sorted(x.board_id for x in links)
    assert {h["callbackURL"] for h in hooks} == {callback}
    assert all(x.webhook_id and x.token_member_id == fake.me["id"] for x in links)


def test_registration_fails_when_the_callback_does_not_answer(
    app: Flask, fake: FakeTrello, board: TrelloBoard
) -> None:
    fake.store.webhooks.clear()
    result = app.test_cli_runner().invoke(args=["sync", "trello", "webhooks"])
    assert result.exit_code != 0
    assert "did not return 200" in result.output
    assert fake.store.webhooks == {}


def test_jobs_are_registered_only_when_trello_is_configured(
    db_url: str, connection: Connection, fake: FakeTrello
) -> None:
    configured = sync_app(db_url, connection, fake, RECONCILE_MINUTES=15)
    scheduler = BackgroundScheduler()
    for registrar in configured.extensions["tracker.job_registrars"]:
        registrar(scheduler, configured)
    by_id = {job.id: job for job in scheduler.get_jobs()}
    assert set(by_id) == {"trello-reconcile", "trello-webhook-events"}
    assert by_id["trello-reconcile"].trigger.interval == timedelta(minutes=15)
    bare = sync_app(db_url, connection, fake, API_KEY="", TOKEN="")
    empty = BackgroundScheduler()
    for registrar in bare.extensions["tracker.job_registrars"]:
        registrar(empty, bare)
    assert empty.get_jobs() == []


def test_the_periodic_job_opens_its_own_app_context_and_is_idempotent(
    app: Flask, fake: FakeTrello, board: TrelloBoard
) -> None:
    previous = list(tracker_jobs._bound)
    tracker_jobs.bind(app)
    try:
        jobs.reconcile_all_job()
        mark = fake.request_count
        jobs.reconcile_all_job()
    finally:
        tracker_jobs._bound[:] = previous
    made = fake.requests_since(mark)
    assert len(made) == 1 and writes(made) == []


def test_a_board_stopped_after_failures_waits_for_leadership(
    app: Flask,
    client: FlaskClient,
    fake: FakeTrello,
    board: TrelloBoard,
    session: Session,
) -> None:
    link = session.scalars(select(TrelloBoard)).one()
    link.stopped_at = clock.now()
    session.commit()
    move_card_in_trello(fake, board, "Klar")
    deliver(client, fake.deliveries[-1])
    _, last = event_times(session)
    with app.app_context():
        later = last + timedelta(seconds=60)
        assert jobs.reconcile_pending(session, app.config, later) == []
