"""`tracker sync trello`: the run with its summary, --dry-run, --plan, and link."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from factories import make_assignment, make_plan
from fakes.trello import FakeTrello
from fakes.trello_app import sync_app, writes
from flask import Flask
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from tracker.models.assignments import Assignment
from tracker.models.plans import ActionPlan
from tracker.models.trello import TrelloCard, TrelloMatchProposal


@pytest.fixture
def fake() -> Iterator[FakeTrello]:
    with FakeTrello() as server:
        yield server


@pytest.fixture
def app(db_url: str, connection: Connection, fake: FakeTrello) -> Flask:
    return sync_app(db_url, connection, fake)


@pytest.fixture
def plan(session: Session) -> ActionPlan:
    plan = make_plan(session, title="Bli en processorganisation")
    make_assignment(session, plan)
    make_assignment(session, plan)
    session.commit()
    return plan


def invoke(app: Flask, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
    return app.test_cli_runner().invoke(args=["sync", "trello", *args], input=input)


def test_sync_lists_the_changes_and_ends_with_a_summary(
    app: Flask, fake: FakeTrello, plan: ActionPlan
) -> None:
    result = invoke(app)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "Bli en processorganisation"
    assert "  Tavla skapad: Bli en processorganisation" in lines
    assert sum(line.startswith("  Kort skapat: ") for line in lines) == 2
    assert lines[-1] == (
        "Skapade: 6, uppdaterade: 0, hämtade: 0, konflikter: 0, "
        f"anrop till Trello: {fake.request_count}"
    )
    again = invoke(app)
    assert again.stdout.splitlines()[-1].endswith("anrop till Trello: 1")


def test_dry_run_prints_the_changes_and_writes_nothing(
    app: Flask, fake: FakeTrello, plan: ActionPlan, session: Session
) -> None:
    result = invoke(app, "--dry-run")
    assert result.exit_code == 0, result.output
    assert "Kort skapat: " in result.output
    assert "Provkörning: ingenting ändrades i Trello eller i trackern." in result.output
    assert writes(fake.log) == [] and fake.store.boards == {}
    session.expire_all()
    assert session.scalars(select(TrelloCard)).all() == []


def test_plan_option_syncs_only_that_plan(
    app: Flask, fake: FakeTrello, plan: ActionPlan, session: Session
) -> None:
    make_plan(session, title="Annan plan")
    session.commit()
    result = invoke(app, "--plan", plan.slug)
    assert result.exit_code == 0, result.output
    assert [b["name"] for b in fake.store.boards.values()] == [plan.title]
    unknown = invoke(app, "--plan", "finns-inte")
    assert unknown.exit_code != 0
    assert "Ingen handlingsplan har kortnamnet finns-inte." in unknown.output


def test_an_unconfigured_trello_is_explained(
    db_url: str, connection: Connection, fake: FakeTrello
) -> None:
    app = sync_app(db_url, connection, fake, API_KEY="", TOKEN="")
    result = invoke(app)
    assert result.exit_code != 0
    assert "Trello är inte inställt" in result.output


def test_a_failing_board_is_reported_and_the_exit_code_says_so(
    app: Flask, fake: FakeTrello, plan: ActionPlan
) -> None:
    fake.fail_next(50, 401)
    result = invoke(app)
    assert result.exit_code == 1
    assert "Fel: " in result.output


def test_link_adopts_a_board_and_asks_before_matching_by_name(
    app: Flask, fake: FakeTrello, plan: ActionPlan, session: Session
) -> None:
    first, second = plan.assignments
    board = fake.make_board("Processer (gammal tavla)", ["Planerad", "Pågår", "Klar"])
    doing = fake.list_named(board["id"], "Pågår")
    same = fake.store.create_card(
        {"idList": doing["id"], "name": first.title, "desc": "Kortets egen text."}
    )
    lookalike = fake.store.create_card({"idList": doing["id"], "name": second.title})
    other = fake.store.create_card({"idList": doing["id"], "name": "Något annat"})
    result = invoke(app, "link", plan.slug, board["url"], input="y\nn\n")
    assert result.exit_code == 0, result.output
    assert f"Är kortet {first.title} uppdraget {first.title}?" in result.output
    session.expire_all()
    links = {c.assignment_id: c.card_id for c in session.scalars(select(TrelloCard))}
    assert links == {first.id: same["id"]}
    result = invoke(app, "--plan", plan.slug)
    assert result.exit_code == 0, result.output
    cards = fake.cards(board["id"])
    assert len(fake.store.boards) == 1 and len(cards) == 4  # +1: the rejected one
    assert fake.store.cards[same["id"]]["idList"] == doing["id"]  # Trello's stage kept
    assert fake.store.cards[same["id"]]["desc"].startswith("Kortets egen text.")
    assert f"[tracker:assignment:{first.id}]" in fake.store.cards[same["id"]]["desc"]
    session.expire_all()
    adopted = session.get(Assignment, first.id)
    assert adopted is not None and adopted.description == "Kortets egen text."
    assert adopted.stage.name == "Pågår"
    proposed = session.scalars(select(Assignment).where(Assignment.proposed)).all()
    assert sorted(a.title for a in proposed) == sorted(
        [f"{second.title} (Trello)", "Något annat"]
    )
    assert lookalike["id"] in {c.card_id for c in session.scalars(select(TrelloCard))}
    assert other["id"] in {c.card_id for c in session.scalars(select(TrelloCard))}


def test_link_without_prompt_leaves_the_matches_for_leadership(
    app: Flask, fake: FakeTrello, plan: ActionPlan, session: Session
) -> None:
    first = plan.assignments[0]
    board = fake.make_board("Gammal tavla", ["Planerad"])
    todo = fake.list_named(board["id"], "Planerad")
    fake.store.create_card({"idList": todo["id"], "name": first.title})
    result = invoke(app, "link", plan.slug, board["id"], "--no-prompt")
    assert result.exit_code == 0, result.output
    assert "1 föreslagna kopplingar väntar" in result.output
    mark = fake.request_count
    invoke(app, "--plan", plan.slug)
    posted = [e for e in writes(fake.requests_since(mark)) if e.path == "/1/cards"]
    assert len(posted) == 1  # only the other assignment; the matched one waits
    session.expire_all()
    [proposal] = session.scalars(select(TrelloMatchProposal)).all()
    assert proposal.decided_at is None and proposal.assignment_id == first.id


def test_link_refuses_an_unknown_board(
    app: Flask, fake: FakeTrello, plan: ActionPlan
) -> None:
    result = invoke(app, "link", plan.slug, "0" * 24)
    assert result.exit_code != 0
    assert "Trello känner inte till den tavlan." in result.output


def test_a_run_shows_its_progress_on_stderr(
    app: Flask, fake: FakeTrello, plan: ActionPlan
) -> None:
    result = invoke(app)
    assert result.exit_code == 0, result.output
    progress = [line for line in result.stderr.splitlines() if line.startswith("[")]
    assert progress, result.stderr
    assert progress[-1].startswith("[" + "#" * 24 + "] 2 av 2 kort, ")
    assert "anrop" in progress[-1] and "per sekund" in progress[-1]
    assert "min kvar" in progress[-1]
    assert "[" not in result.stdout.splitlines()[0]
