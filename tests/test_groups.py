"""Working groups and memberships through the services."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from factories import make_assignment, make_group, make_person
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.groups import GroupState, RecruitmentMode
from tracker.services import groups
from tracker.services.programme import assignments
from tracker.services.recruitment import seats

TODAY = date(2026, 11, 3)
NOW = datetime(2026, 11, 3, 10, tzinfo=UTC)


def test_seats_below_one_are_refused(session: Session) -> None:
    with pytest.raises(DomainError) as error:
        make_group(session, seats=0)
    assert error.value.field == "seats"


def test_duplicate_group_name_is_refused(session: Session) -> None:
    make_group(session, name="Multiteamsgruppen")
    with pytest.raises(DomainError):
        make_group(session, name="multiteamsgruppen")


def test_members_fill_seats_and_then_it_is_full(session: Session) -> None:
    group = make_group(session, seats=2)
    first, second, third = (make_person(session) for _ in range(3))
    groups.add_member(session, None, group, first, today=TODAY)
    with pytest.raises(DomainError):
        groups.add_member(session, None, group, first, today=TODAY)
    groups.add_member(session, None, group, second, today=TODAY)
    with pytest.raises(DomainError):
        groups.add_member(session, None, group, third, today=TODAY)
    assert groups.count_members(session, group) == 2


def test_leaving_keeps_the_row_and_frees_the_seat(session: Session) -> None:
    group = make_group(session, seats=1)
    person = make_person(session)
    membership = groups.add_member(session, None, group, person, today=TODAY)
    seats.remove_member(session, None, membership, today=TODAY)
    assert membership.left_on == TODAY
    assert groups.count_members(session, group) == 0
    assert groups.current_membership(session, group, person) is None


def test_open_call_needs_a_deadline_to_recruit(session: Session) -> None:
    group = make_group(session, recruitment=RecruitmentMode.OPEN_CALL)
    with pytest.raises(DomainError):
        groups.set_state(session, None, group, GroupState.RECRUITING, NOW)
    group.signup_deadline = date(2026, 12, 1)
    groups.set_state(session, None, group, GroupState.RECRUITING, NOW)
    assert group in groups.recruiting(session)


def test_members_of_a_group_may_report_on_its_assignments(session: Session) -> None:
    assignment = make_assignment(session)
    group = make_group(session, assignments=[assignment])
    member, outsider = make_person(session), make_person(session)
    groups.add_member(session, None, group, member, today=TODAY)
    assert assignments.can_report(session, member, assignment)
    assert not assignments.can_report(session, outsider, assignment)
    assert assignments.assignments_of(session, member) == [assignment]


def test_closed_group_takes_no_members(session: Session) -> None:
    group = make_group(session)
    groups.set_state(session, None, group, GroupState.CLOSED, NOW)
    with pytest.raises(DomainError):
        groups.add_member(session, None, group, make_person(session), today=TODAY)
