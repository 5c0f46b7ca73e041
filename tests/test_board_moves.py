"""Who may move an assignment on the board, to which stages, and what they are told."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from conftest import login, post_form
from factories import make_assignment, make_group, make_person
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker.db import get_session
from tracker.errors import DomainError
from tracker.models.assignments import Assignment
from tracker.models.people import Role
from tracker.services import groups
from tracker.services.programme import moves, stages

STAGES = ["Planerad", "Pågår", "Klar"]


def setup(session: Session) -> dict[str, Any]:
    """A member of a group working on an assignment, and an outsider."""
    planned, ongoing, done = stages.ensure_stages(session, STAGES)
    assignment = make_assignment(session)
    member = make_person(session, email="medlem@test.se")
    outsider = make_person(session, email="annan@test.se")
    leader = make_person(session, email="ledning@test.se", role=Role.LEADERSHIP)
    group = make_group(session, assignments=[assignment])
    groups.add_member(session, None, group, member, today=date(2026, 3, 1))
    session.flush()
    return {
        "assignment": assignment,
        "member": member,
        "outsider": outsider,
        "leader": leader,
        "stages": (planned, ongoing, done),
    }


def test_members_may_reach_every_stage_by_default(session: Session) -> None:
    """By default the assignment's own people may move it anywhere, even to Klar."""
    w = setup(session)
    done = w["stages"][2]
    moves.check_move(session, w["member"], w["assignment"], done)
    assert moves.reachable_stages(session, w["member"]) == list(w["stages"])
    assert w["assignment"].id in moves.own_assignment_ids(session, w["member"])


def test_leadership_closes_a_stage_and_members_are_told_why(session: Session) -> None:
    """A stage leadership has not opened is refused with the stage named."""
    w = setup(session)
    planned, ongoing, done = w["stages"]
    moves.open_stages_to_members(session, [planned.id, ongoing.id])
    with pytest.raises(DomainError, match="Klar"):
        moves.check_move(session, w["member"], w["assignment"], done)
    moves.check_move(session, w["member"], w["assignment"], ongoing)
    moves.check_move(session, w["leader"], w["assignment"], done)
    assert moves.reachable_stages(session, w["member"]) == [planned, ongoing]


def test_others_may_not_move_it(session: Session) -> None:
    """Someone outside the assignment may not move it at all."""
    w = setup(session)
    assert not moves.may_move(session, w["outsider"], w["assignment"])
    assert moves.may_move(session, w["member"], w["assignment"])
    with pytest.raises(DomainError, match="Only leadership"):
        moves.check_move(session, w["outsider"], w["assignment"], w["stages"][1])


def build(app: Flask) -> dict[str, Any]:
    with app.app_context():
        w = setup(get_session())
        ids = {
            "assignment": w["assignment"].id,
            "stages": [s.id for s in w["stages"]],
            "slug": w["assignment"].plan.slug,
        }
        get_session().commit()
    return ids


def stage_of(app: Flask, assignment_id: int) -> str:
    with app.app_context():
        return get_session().get(Assignment, assignment_id).stage.name  # type: ignore[union-attr]


def test_a_member_moves_their_assignment_from_the_board(
    app: Flask, client: FlaskClient
) -> None:
    """The board shows the member a move form for their card; moving goes back."""
    ids = build(app)
    login(client, "medlem@test.se")
    board = client.get(f"/plans/{ids['slug']}").get_data(as_text=True)
    assert f'id="move-{ids["assignment"]}"' in board
    response = post_form(
        client,
        f"/assignments/{ids['assignment']}/move",
        {"stage_id": ids["stages"][2], "return_to": "board"},
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/plans/{ids['slug']}#card-{ids['assignment']}"
    )
    assert stage_of(app, ids["assignment"]) == "Klar"
    page = client.get(f"/plans/{ids['slug']}").get_data(as_text=True)
    assert "Flyttat till Klar." in page


def test_a_refused_move_says_why_and_changes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    """Leadership closes Klar; the member's move there is refused with a reason."""
    ids = build(app)
    login(client, "ledning@test.se")
    page = client.get("/board/stages").get_data(as_text=True)
    assert page.count('type="checkbox"') == 3
    post_form(client, "/board/stages", {"open_ids": ids["stages"][:2]})
    post_form(client, "/logout")
    login(client, "medlem@test.se")
    board = client.get(f"/plans/{ids['slug']}").get_data(as_text=True)
    assert f'<option value="{ids["stages"][2]}"' not in board  # Klar not offered
    response = post_form(
        client,
        f"/assignments/{ids['assignment']}/move",
        {"stage_id": ids["stages"][2]},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 403
    assert "ledningen som flyttar uppdrag till ”Klar”" in response.get_json()["message"]
    assert stage_of(app, ids["assignment"]) == "Planerad"
    ok = post_form(
        client,
        f"/assignments/{ids['assignment']}/move",
        {"stage_id": ids["stages"][1]},
        headers={"Accept": "application/json"},
    )
    assert ok.get_json() == {
        "ok": True,
        "message": ok.get_json()["message"],
        "stage_id": ids["stages"][1],
    }
    assert "Pågår" in ok.get_json()["message"]
    assert stage_of(app, ids["assignment"]) == "Pågår"


def test_an_outsider_gets_no_form_and_a_403(app: Flask, client: FlaskClient) -> None:
    """Someone else sees the board without move forms and may not move."""
    ids = build(app)
    login(client, "annan@test.se")
    board = client.get(f"/plans/{ids['slug']}").get_data(as_text=True)
    assert "move-form" not in board
    response = post_form(
        client, f"/assignments/{ids['assignment']}/move", {"stage_id": ids["stages"][2]}
    )
    assert response.status_code == 403
    assert stage_of(app, ids["assignment"]) == "Planerad"
