"""Applying, first-come sign-ups, selection runs, invitations, through the services."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from factories import (
    make_application,
    make_competence,
    make_department,
    make_group,
    make_open_call,
    make_person,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.config import DEFAULTS
from tracker.errors import DomainError
from tracker.models.activity import ActivityEvent
from tracker.models.applications import ApplicationStatus
from tracker.models.groups import GroupState, RecruitmentMode
from tracker.models.mail import OutboxMessage
from tracker.services import groups, privacy
from tracker.services.recruitment import applications, invitations, participation, seats
from tracker.services.selection import confirmation
from tracker.services.selection import runs as selection_runs

TODAY = date(2026, 1, 10)
CLOSED = date(2026, 2, 2)  # the day after make_open_call's deadline
RECRUITMENT = DEFAULTS["RECRUITMENT"]


def mails_to(session: Session, email: str) -> list[OutboxMessage]:
    """Queued messages to *email*."""
    rows = session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)).all()
    return [m for m in rows if email in m.to]


def test_application_snapshots_profile_and_mails_receipt(session: Session) -> None:
    group = make_open_call(session)
    dept = make_department(session, "Socialtjänst")
    person = make_person(session, department=dept)
    a = make_application(
        session,
        group,
        person,
        competences=[make_competence(session, "IT")],
        years_experience=4,
    )
    assert (a.status, a.department, a.competences) == (
        ApplicationStatus.SUBMITTED,
        "Socialtjänst",
        ["IT"],
    )
    assert mails_to(session, person.email or "")[-1].subject.endswith(group.name)


@pytest.mark.parametrize(
    "problem",
    ["twice", "after_deadline", "closed", "no_department", "no_motivation", "invited"],
)
def test_bad_applications_are_refused_and_change_nothing(
    session: Session, problem: str
) -> None:
    group = make_open_call(session)
    person = make_person(session)
    today, extra = TODAY, {}
    if problem == "twice":
        make_application(session, group, person)
    elif problem == "after_deadline":
        today = date(2026, 2, 2)
    elif problem == "closed":
        groups.set_state(session, None, group, GroupState.CLOSED, datetime.now(UTC))
    elif problem == "no_department":
        extra = {"department": None}
    elif problem == "no_motivation":
        extra = {"motivation": "  "}
    else:
        group.recruitment = RecruitmentMode.INVITED
    before = len(applications.applications_to(session, group))
    with pytest.raises(DomainError) as error:
        make_application(session, group, person, today=today, **extra)
    assert str(error.value)
    assert len(applications.applications_to(session, group)) == before


def test_edit_and_withdraw_only_before_deadline(session: Session) -> None:
    group = make_open_call(session)
    a = make_application(session, group)
    values = applications.ApplicationValues(
        department=make_department(session, "Ny avdelning"), motivation="Ändrad."
    )
    applications.update_application(session, a, values, today=TODAY)
    assert a.department == "Ny avdelning"
    with pytest.raises(DomainError):
        applications.update_application(session, a, values, today=date(2026, 2, 5))
    with pytest.raises(DomainError):
        applications.withdraw(session, a, today=date(2026, 2, 5))
    applications.withdraw(session, a, today=TODAY)
    assert a.status is ApplicationStatus.WITHDRAWN


def first_come(session: Session, seats: int) -> object:
    group = make_group(
        session,
        recruitment=RecruitmentMode.FIRST_COME,
        seats=seats,
        signup_deadline=date(2026, 2, 1),
    )
    groups.set_state(session, None, group, GroupState.RECRUITING, datetime.now(UTC))
    return group


def test_first_come_fills_seats_then_waitlists_and_moves_up(session: Session) -> None:
    group = first_come(session, 2)
    people = [make_person(session) for _ in range(4)]
    apps = [make_application(session, group, p, motivation="") for p in people]
    assert [a.status for a in apps] == [ApplicationStatus.MEMBER] * 2 + [
        ApplicationStatus.WAITLISTED
    ] * 2
    assert [a.position for a in apps] == [1, 2, 3, 4]
    membership = groups.current_membership(session, group, people[0])  # type: ignore[arg-type]
    assert membership is not None
    seats.remove_member(session, None, membership, today=TODAY)
    assert apps[2].status is ApplicationStatus.MEMBER
    assert apps[3].status is ApplicationStatus.WAITLISTED
    assert any(
        "ledig" in m.body or "free" in m.body
        for m in mails_to(session, people[2].email or "")
    )
    # a seated person withdrawing frees the seat for the next in line
    applications.withdraw(session, apps[1], today=TODAY)
    assert apps[3].status is ApplicationStatus.MEMBER


def open_call_with(session: Session, n: int, seats: int = 3) -> tuple[object, list]:
    group = make_open_call(session, seats=seats)
    depts = [make_department(session) for _ in range(4)]
    comps = [make_competence(session) for _ in range(5)]
    apps = [
        make_application(
            session,
            group,
            department=depts[i % 4],
            competences=[comps[i % 5]],
            years_experience=i,
        )
        for i in range(n)
    ]
    return group, apps


def test_selection_confirm_seats_mails_and_keeps_replacements(session: Session) -> None:
    group, apps = open_call_with(session, 7)
    leader = make_person(session)
    run = selection_runs.run_selection(
        session, leader, group, selection_runs.Choices(seed=42), RECRUITMENT
    )
    chosen = set(run.proposal["selected"])
    assert len(chosen) == 3 and run.proposal["optimal"]
    assert run.proposal["breadth"]["departments"] == 3
    again, same = selection_runs.verify(run)
    assert same and set(again.selected) == chosen
    confirmation.confirm(session, leader, run, today=CLOSED)
    assert groups.count_members(session, group) == 3
    statuses = {a.id: a.status for a in apps}
    assert {i for i, s in statuses.items() if s is ApplicationStatus.SELECTED} == chosen
    assert sum(s is ApplicationStatus.NOT_SELECTED for s in statuses.values()) == 4
    assert all(
        mails_to(session, a.person.email)[-1].subject.startswith(
            ("Utfallet", "The outcome")
        )
        for a in apps
    )
    with pytest.raises(DomainError):
        confirmation.confirm(session, leader, run, today=CLOSED)
    # a member leaves: the first of the replacement order takes the seat
    first = run.proposal["replacement_order"][0]
    leaver = next(a for a in apps if a.id in chosen)
    membership = groups.current_membership(session, group, leaver.person)
    assert membership is not None
    seats.remove_member(session, None, membership, today=TODAY)
    assert next(a for a in apps if a.id == first).status is ApplicationStatus.SELECTED


def test_same_seed_same_panel_and_pins_beyond_seats_refused(session: Session) -> None:
    group, apps = open_call_with(session, 6, seats=2)
    runs = [
        selection_runs.run_selection(
            session, None, group, selection_runs.Choices(seed=7), RECRUITMENT
        )
        for _ in range(2)
    ]
    assert runs[0].proposal["selected"] == runs[1].proposal["selected"]
    pins = frozenset(a.id for a in apps[:3])
    with pytest.raises(DomainError) as error:
        selection_runs.run_selection(
            session,
            None,
            group,
            selection_runs.Choices(seed=7, pinned=pins),
            RECRUITMENT,
        )
    assert "3" in str(error.value) and "2" in str(error.value)


def test_swap_needs_a_reason_and_is_logged(session: Session) -> None:
    group, apps = open_call_with(session, 5, seats=2)
    run = selection_runs.run_selection(
        session, None, group, selection_runs.Choices(seed=1), RECRUITMENT
    )
    out_id = run.proposal["selected"][0]
    in_id = next(a.id for a in apps if a.id not in run.proposal["selected"])
    with pytest.raises(DomainError):
        selection_runs.swap(session, None, run, out_id=out_id, in_id=in_id, reason=" ")
    selection_runs.swap(
        session, None, run, out_id=out_id, in_id=in_id, reason="Behövs språk."
    )
    assert in_id in run.proposal["selected"] and out_id not in run.proposal["selected"]
    assert run.changes[0]["reason"] == "Behövs språk."
    event = session.scalars(
        select(ActivityEvent).where(ActivityEvent.verb == "selection_changed")
    ).one()
    assert event.after == {"out": out_id, "in": in_id, "reason": "Behövs språk."}
    _again, same = selection_runs.verify(run)  # the draw itself is unchanged
    assert same


def test_invitation_accept_and_decline(session: Session) -> None:
    group = make_group(session, recruitment=RecruitmentMode.INVITED)
    yes, no = make_person(session), make_person(session)
    a = invitations.invite(session, None, group, yes, message="Vi behöver dig.")
    b = invitations.invite(session, None, group, no)
    assert mails_to(session, yes.email or "")[-1].body.endswith("Vi behöver dig.")
    with pytest.raises(DomainError):
        invitations.invite(session, None, group, yes)
    invitations.answer(session, a, accept=True, today=TODAY)
    invitations.answer(session, b, accept=False, today=TODAY)
    assert groups.current_membership(session, group, yes) is not None
    assert groups.current_membership(session, group, no) is None
    with pytest.raises(DomainError):
        invitations.answer(session, b, accept=True, today=TODAY)


def test_purge_blanks_old_non_selected_only(session: Session) -> None:
    group, apps = open_call_with(session, 4, seats=2)
    run = selection_runs.run_selection(
        session, None, group, selection_runs.Choices(seed=3), RECRUITMENT
    )
    confirmation.confirm(session, None, run, today=CLOSED)
    decided = apps[0].decided_at
    assert decided is not None
    assert privacy.purge(session, now=decided, retention_months=12) == 0
    count = privacy.purge(
        session, now=decided + timedelta(days=380), retention_months=12
    )
    assert count == 2
    blanked = [a for a in apps if a.status is ApplicationStatus.NOT_SELECTED]
    assert all(a.person_id is None and a.motivation == "" for a in blanked)
    kept = [a for a in apps if a.status is ApplicationStatus.SELECTED]
    assert all(a.person_id is not None and a.motivation for a in kept)


def test_export_and_participation_map(session: Session) -> None:
    dept = make_department(session, "Kultur")
    make_department(session, "Fritid")
    person = make_person(session, department=dept, name="Dana Data")
    a, b = make_group(session), make_group(session)
    for g in (a, b):
        groups.set_state(session, None, g, GroupState.ACTIVE, datetime.now(UTC))
        groups.add_member(session, None, g, person, today=TODAY)
    group = make_open_call(session)
    make_application(session, group, person, motivation="Min motivering.")
    data = privacy.export(session, person, now=datetime.now(UTC))
    assert data["people"][0]["name"] == "Dana Data"
    assert data["applications"][0]["motivation"] == "Min motivering."
    assert len(data["memberships"]) == 2
    pmap = participation.participation_map(session)
    assert "Kultur" in pmap.departments and "Fritid" in pmap.missing_departments
    assert [p.name for p, _g in pmap.several] == ["Dana Data"]
