"""Undoing a withdrawal until the deadline: answers kept, seats not stolen back."""

from __future__ import annotations

import re
from datetime import date

import pytest
from conftest import login, post_form
from factories import (
    make_application,
    make_competence,
    make_department,
    make_group,
    make_open_call,
    make_person,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.clock import now
from tracker.errors import DomainError
from tracker.models.activity import ActivityEvent
from tracker.models.applications import Application, ApplicationStatus
from tracker.models.groups import GroupState, RecruitmentMode, WorkingGroup
from tracker.models.mail import OutboxMessage
from tracker.services import groups
from tracker.services.recruitment import applications

TODAY = date(2026, 1, 10)
AFTER_DEADLINE = date(2026, 2, 2)  # make_open_call's deadline is 2026-02-01


def event_count(session: Session) -> int:
    """How many activity events there are."""
    return session.scalar(select(func.count()).select_from(ActivityEvent)) or 0


def first_come(session: Session, seats: int) -> WorkingGroup:
    """A first-come group recruiting until 2026-02-01."""
    return make_open_call(session, recruitment=RecruitmentMode.FIRST_COME, seats=seats)


def test_undo_restores_the_open_call_application_with_its_answers(
    session: Session,
) -> None:
    group = make_open_call(session)
    a = make_application(
        session,
        group,
        department=make_department(session, "Kultur"),
        competences=[make_competence(session, "Juridik")],
        years_experience=7,
        motivation="Jag kan avtal.",
    )
    applications.withdraw(session, a, today=TODAY)
    assert applications.my_rows(session, a.person, today=TODAY)[0].can_undo
    assert applications.undo_withdrawal(session, a, today=TODAY) is True
    assert a.status is ApplicationStatus.SUBMITTED
    assert (a.department, a.competences, a.years_experience, a.motivation) == (
        "Kultur",
        ["Juridik"],
        7,
        "Jag kan avtal.",
    )
    assert applications.received_counts(session, [group.id]) == {group.id: 1}
    last = session.scalars(select(ActivityEvent).order_by(ActivityEvent.id.desc()))
    event = last.first()
    assert event is not None and event.verb == "applied"
    assert event.before == {"status": "withdrawn"}
    assert not applications.my_rows(session, a.person, today=TODAY)[0].can_undo


def test_undo_twice_does_nothing_more(session: Session) -> None:
    group = make_open_call(session)
    a = make_application(session, group)
    applications.withdraw(session, a, today=TODAY)
    applications.undo_withdrawal(session, a, today=TODAY)
    events = event_count(session)
    mails = session.scalar(select(func.count()).select_from(OutboxMessage))
    assert applications.undo_withdrawal(session, a, today=TODAY) is False
    assert a.status is ApplicationStatus.SUBMITTED
    assert event_count(session) == events
    assert session.scalar(select(func.count()).select_from(OutboxMessage)) == mails


@pytest.mark.parametrize("problem", ["after_deadline", "closed"])
def test_undo_is_refused_once_the_call_takes_no_changes(
    app: Flask, session: Session, problem: str
) -> None:
    group = make_open_call(session)
    a = make_application(session, group)
    applications.withdraw(session, a, today=TODAY)
    day = TODAY
    if problem == "after_deadline":
        day = AFTER_DEADLINE
    else:
        groups.set_state(session, None, group, GroupState.CLOSED, now())
    assert not applications.my_rows(session, a.person, today=day)[0].can_undo
    events = event_count(session)
    with app.test_request_context(), pytest.raises(DomainError, match="ångras"):
        applications.undo_withdrawal(session, a, today=day)
    assert a.status is ApplicationStatus.WITHDRAWN
    assert event_count(session) == events


def test_first_come_seat_given_onwards_is_not_stolen_back(session: Session) -> None:
    group = first_come(session, seats=1)
    early, late = make_person(session), make_person(session)
    mine = make_application(session, group, early)
    theirs = make_application(session, group, late)
    assert (mine.status, theirs.status) == (
        ApplicationStatus.MEMBER,
        ApplicationStatus.WAITLISTED,
    )
    applications.withdraw(session, mine, today=TODAY)
    assert theirs.status is ApplicationStatus.MEMBER  # moved up
    applications.undo_withdrawal(session, mine, today=TODAY)
    assert mine.status is ApplicationStatus.WAITLISTED  # queues as a new sign-up
    assert theirs.status is ApplicationStatus.MEMBER
    assert [m.person for m in groups.current_members(session, group)] == [late]
    assert applications.waitlist_rank(session, mine) == 1


def test_first_come_seat_still_free_is_taken_again(session: Session) -> None:
    group = first_come(session, seats=2)
    person = make_person(session)
    mine = make_application(session, group, person)
    applications.withdraw(session, mine, today=TODAY)
    assert groups.current_members(session, group) == []
    applications.undo_withdrawal(session, mine, today=TODAY)
    assert mine.status is ApplicationStatus.MEMBER
    assert [m.person for m in groups.current_members(session, group)] == [person]


def test_first_come_goes_behind_those_who_queued_meanwhile(session: Session) -> None:
    group = first_come(session, seats=1)
    holder = make_application(session, group)
    mine = make_application(session, group)  # first on the waitlist
    applications.withdraw(session, mine, today=TODAY)
    later = make_application(session, group)
    applications.undo_withdrawal(session, mine, today=TODAY)
    assert holder.status is ApplicationStatus.MEMBER
    assert applications.waitlist_rank(session, later) == 1
    assert applications.waitlist_rank(session, mine) == 2


def test_an_invitation_declined_is_no_withdrawal_to_undo(session: Session) -> None:
    group = make_group(session)  # invited only: no sign-up to return to
    assert group.recruitment is RecruitmentMode.INVITED
    a = Application(group=group, person=make_person(session))
    a.status = ApplicationStatus.DECLINED
    session.add(a)
    session.flush()
    assert applications.undo_withdrawal(session, a, today=TODAY) is False
    assert a.status is ApplicationStatus.DECLINED


# Through the pages: My pages offers "Ångra", only the applicant may post it


def withdrawn_application(client: FlaskClient, session: Session) -> Application:
    group = make_open_call(session, signup_deadline=date(2099, 1, 1))
    person = make_person(session, email="angrar@test.se")
    a = make_application(session, group, person, motivation="Min motivering.")
    session.commit()
    login(client, "angrar@test.se")
    return a


def test_my_pages_offer_undo_after_withdrawing(
    client: FlaskClient, session: Session
) -> None:
    a = withdrawn_application(client, session)
    response = post_form(client, f"/anmalningar/{a.id}/aterkalla")
    assert response.status_code == 302
    assert f"aterkallad={a.id}" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Din anmälan har återkallats." in page  # the flash
    offer = re.search(r'<div class="undo-offer".*?</div>', page, re.S)
    assert offer is not None and f"/anmalningar/{a.id}/angra" in offer.group(0)
    assert ">Ångra</button>" in offer.group(0)
    assert 'name="csrf_token"' in offer.group(0)
    assert ">Ångra återkallandet</button>" in page  # the row under My applications
    assert ">Ångra återkallandet</button>" in client.get(
        f"/groups/{a.group.slug}"
    ).get_data(as_text=True)


def test_undo_through_the_page_then_twice(
    client: FlaskClient, session: Session
) -> None:
    a = withdrawn_application(client, session)
    post_form(client, f"/anmalningar/{a.id}/aterkalla")
    done = post_form(client, f"/anmalningar/{a.id}/angra", follow_redirects=True)
    page = done.get_data(as_text=True)
    assert "Återkallandet är ångrat: Inskickad." in page
    assert "Ångra återkallandet" not in page
    session.refresh(a)
    assert (a.status, a.motivation) == (ApplicationStatus.SUBMITTED, "Min motivering.")
    events = event_count(session)
    again = post_form(client, f"/anmalningar/{a.id}/angra", follow_redirects=True)
    assert "Det finns inget att ångra" in again.get_data(as_text=True)
    assert event_count(session) == events


def test_only_the_applicant_may_undo(client: FlaskClient, session: Session) -> None:
    a = withdrawn_application(client, session)
    post_form(client, f"/anmalningar/{a.id}/aterkalla")
    client.post("/logout", data={})
    make_person(session, email="annan@test.se")
    session.commit()
    other = client.application.test_client()
    login(other, "annan@test.se")
    assert post_form(other, f"/anmalningar/{a.id}/angra").status_code == 404
    session.refresh(a)
    assert a.status is ApplicationStatus.WITHDRAWN
    # a stale "aterkallad" in the address offers nothing to someone else
    page = other.get(f"/me/?aterkallad={a.id}").get_data(as_text=True)
    assert "undo-offer" not in page
