"""'Öppna anmälan nu': deadline and recruiting in one step, page and create form."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import login, post_form
from factories import make_group, make_person
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.errors import DomainError
from tracker.models.activity import ActivityEvent
from tracker.models.groups import GroupState, RecruitmentMode, WorkingGroup
from tracker.models.people import Role
from tracker.services import groups

TODAY = date(2026, 3, 10)
NOW = clock.now()


def events(session: Session, group: WorkingGroup) -> list[str]:
    """The verbs recorded about *group*, oldest first."""
    rows = session.scalars(
        select(ActivityEvent.verb)
        .where(
            ActivityEvent.object_type == "WorkingGroup",
            ActivityEvent.object_id == group.id,
        )
        .order_by(ActivityEvent.id)
    )
    return list(rows)


def test_open_signup_sets_deadline_and_state_through_set_state(
    session: Session,
) -> None:
    group = make_group(session, recruitment=RecruitmentMode.OPEN_CALL)
    leader = make_person(session, role=Role.LEADERSHIP)
    deadline = TODAY + timedelta(days=14)
    groups.open_signup(session, leader, group, deadline, today=TODAY, now=NOW)
    assert (group.state, group.signup_deadline) == (GroupState.RECRUITING, deadline)
    # the deadline change and the state change, the same events as the two steps
    assert events(session, group)[-2:] == ["updated", "state_changed"]
    assert group in groups.recruiting(session)


@pytest.mark.parametrize(
    ("deadline", "mode", "message"),
    [
        (None, RecruitmentMode.FIRST_COME, "Välj sista dag"),
        (TODAY, RecruitmentMode.FIRST_COME, "tidigast i morgon"),
        (TODAY - timedelta(days=3), RecruitmentMode.OPEN_CALL, "tidigast i morgon"),
        (TODAY + timedelta(days=5), RecruitmentMode.INVITED, "inbjudna"),
    ],
)
def test_bad_openings_are_refused_and_change_nothing(
    app: Flask,
    session: Session,
    deadline: date | None,
    mode: RecruitmentMode,
    message: str,
) -> None:
    group = make_group(session, recruitment=mode)
    before = events(session, group)
    with app.test_request_context(), pytest.raises(DomainError, match=message):
        groups.open_signup(session, None, group, deadline, today=TODAY, now=NOW)
    assert (group.state, group.signup_deadline) == (GroupState.PLANNED, None)
    assert events(session, group) == before


def test_an_open_group_is_not_opened_twice(app: Flask, session: Session) -> None:
    group = make_group(session, recruitment=RecruitmentMode.OPEN_CALL)
    groups.open_signup(session, None, group, TODAY + timedelta(1), today=TODAY, now=NOW)
    with app.test_request_context(), pytest.raises(DomainError, match="redan öppen"):
        groups.open_signup(
            session, None, group, TODAY + timedelta(9), today=TODAY, now=NOW
        )
    assert group.signup_deadline == TODAY + timedelta(1)


def leader_client(client: FlaskClient, session: Session) -> None:
    make_person(session, role=Role.LEADERSHIP, email="ledning@test.se")
    session.commit()
    login(client, "ledning@test.se")


def test_leadership_opens_signup_from_the_group_page(
    client: FlaskClient, session: Session
) -> None:
    group = make_group(session, recruitment=RecruitmentMode.FIRST_COME)
    leader_client(client, session)
    page = client.get(f"/groups/{group.slug}").get_data(as_text=True)
    tomorrow = clock.today() + timedelta(days=1)
    assert "Öppna anmälan nu" in page
    assert f'min="{tomorrow.isoformat()}"' in page
    deadline = clock.today() + timedelta(days=20)
    response = post_form(
        client,
        f"/groups/{group.slug}/open-signup",
        {"signup_deadline": deadline.isoformat()},
        follow_redirects=True,
    )
    page = response.get_data(as_text=True)
    assert "Anmälan är öppen till och med" in page
    session.refresh(group)
    assert (group.state, group.signup_deadline) == (GroupState.RECRUITING, deadline)
    assert "Öppna anmälan nu" not in page  # offered only before recruiting


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Välj sista dag för anmälan."),
        ("2020-01-01", "Sista dag för anmälan måste vara tidigast i morgon."),
        ("inte-ett-datum", "Sista dag för anmälan"),
    ],
)
def test_missing_or_past_date_is_told_beside_the_field(
    client: FlaskClient, session: Session, value: str, message: str
) -> None:
    group = make_group(session, recruitment=RecruitmentMode.OPEN_CALL)
    leader_client(client, session)
    response = post_form(
        client, f"/groups/{group.slug}/open-signup", {"signup_deadline": value}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert message in page and 'aria-invalid="true"' in page
    session.refresh(group)
    assert (group.state, group.signup_deadline) == (GroupState.PLANNED, None)


def test_invited_groups_and_staff_are_not_offered_the_form(
    client: FlaskClient, session: Session
) -> None:
    invited = make_group(session)
    open_call = make_group(session, recruitment=RecruitmentMode.OPEN_CALL)
    make_person(session, email="personal@test.se")
    session.commit()
    login(client, "personal@test.se")
    page = client.get(f"/groups/{open_call.slug}").get_data(as_text=True)
    assert "Öppna anmälan nu" not in page
    refused = post_form(
        client,
        f"/groups/{open_call.slug}/open-signup",
        {"signup_deadline": "2099-01-01"},
    )
    assert refused.status_code == 403
    session.refresh(open_call)
    assert open_call.state is GroupState.PLANNED
    client.post("/logout", data={})
    leader_client(client, session)
    assert "Öppna anmälan nu" not in client.get(f"/groups/{invited.slug}").get_data(
        as_text=True
    )


def new_group_form(name: str, **extra: str) -> dict[str, str]:
    """What the create form sends, with *extra* fields."""
    return {"name": name, "seats": "5", "recruitment": "first_come"} | extra


def test_creating_with_open_now_and_a_deadline_opens_signup(
    client: FlaskClient, session: Session
) -> None:
    leader_client(client, session)
    deadline = clock.today() + timedelta(days=10)
    response = post_form(
        client,
        "/groups/new",
        new_group_form(
            "Snabbstart", open_now="y", signup_deadline=deadline.isoformat()
        ),
        follow_redirects=True,
    )
    assert "Arbetsgruppen skapades och anmälan är öppen." in response.get_data(
        as_text=True
    )
    group = session.scalars(
        select(WorkingGroup).where(WorkingGroup.name == "Snabbstart")
    ).one()
    assert (group.state, group.signup_deadline) == (GroupState.RECRUITING, deadline)
    assert events(session, group) == ["created", "state_changed"]


def test_creating_with_open_now_without_deadline_shows_the_error_on_the_form(
    client: FlaskClient, session: Session
) -> None:
    leader_client(client, session)
    response = post_form(
        client, "/groups/new", new_group_form("Ingen dag", open_now="y")
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200  # the form again, not a redirect
    assert "Välj sista dag för anmälan." in page
    assert 'value="Ingen dag"' in page  # what was typed is kept
    assert (
        session.scalars(
            select(WorkingGroup).where(WorkingGroup.name == "Ingen dag")
        ).all()
        == []
    )


def test_creating_without_open_now_still_plans_the_group(
    client: FlaskClient, session: Session
) -> None:
    leader_client(client, session)
    deadline = (clock.today() + timedelta(days=10)).isoformat()
    post_form(
        client, "/groups/new", new_group_form("Planerad", signup_deadline=deadline)
    )
    group = session.scalars(
        select(WorkingGroup).where(WorkingGroup.name == "Planerad")
    ).one()
    assert group.state is GroupState.PLANNED


def test_the_create_form_offers_opening_at_once_and_the_edit_form_does_not(
    client: FlaskClient, session: Session
) -> None:
    leader_client(client, session)
    page = client.get("/groups/new").get_data(as_text=True)
    assert 'type="checkbox"' in page and 'name="open_now"' in page
    group = make_group(session, name="Redan planerad")
    session.commit()
    edit = client.get(f"/groups/{group.slug}/edit").get_data(as_text=True)
    assert 'name="open_now"' not in edit
