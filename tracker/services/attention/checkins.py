"""Check-ins (avstämningar): book, change, cancel, and keep the notes as a report.

Everyone taking part gets an e-mail with a METHOD:REQUEST calendar invitation; a
change sends it again with a higher SEQUENCE, a cancellation a METHOD:CANCEL.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.errors import DomainError
from tracker.models.assignments import Assignment, ProgressReport
from tracker.models.checkins import CheckIn
from tracker.models.groups import (
    MemberRole,
    Membership,
    WorkingGroup,
    group_assignments,
)
from tracker.models.people import Person, Role
from tracker.services import activity
from tracker.services.attention import invitations
from tracker.services.attention.invitations import InviteSettings
from tracker.services.programme import assignments as assignment_service
from tracker.services.programme import reports


@dataclass(frozen=True)
class CheckInValues:
    """What the booking form gives."""

    title: str
    starts_at: datetime
    ends_at: datetime
    location: str = ""
    agenda: str = ""


def can_book(
    session: Session,
    person: Person,
    *,
    assignment: Assignment | None = None,
    group: WorkingGroup | None = None,
) -> bool:
    """Leadership, the assignment's responsible person and the leads of its groups."""
    if person.role in (Role.LEADERSHIP, Role.ADMIN):
        return True
    if assignment is not None and assignment.responsible_id == person.id:
        return True
    leads = select(Membership.id).where(
        Membership.person_id == person.id,
        Membership.role == MemberRole.LEAD,
        Membership.left_on.is_(None),
    )
    if group is not None:
        leads = leads.where(Membership.group_id == group.id)
    elif assignment is not None:
        serving = select(group_assignments.c.group_id).where(
            group_assignments.c.assignment_id == assignment.id
        )
        leads = leads.where(Membership.group_id.in_(serving))
    return session.scalar(leads.limit(1)) is not None


def book(
    session: Session,
    actor: Person,
    values: CheckInValues,
    *,
    now: datetime,
    settings: InviteSettings,
    assignment: Assignment | None = None,
    group: WorkingGroup | None = None,
) -> CheckIn:
    """Book a check-in on an assignment or a group and invite everyone in it."""
    _validate(values, now)
    checkin = CheckIn(assignment=assignment, group=group, organizer=actor)
    _apply(checkin, values)
    session.add(checkin)
    session.flush()
    _log(session, actor, "created", checkin, after={"starts_at": checkin.starts_at})
    _invite(session, checkin, settings, now=now, method="REQUEST")
    return checkin


def update(
    session: Session,
    actor: Person,
    checkin: CheckIn,
    values: CheckInValues,
    *,
    now: datetime,
    settings: InviteSettings,
) -> bool:
    """Change a coming check-in; everyone gets the update. False if nothing changed."""
    _check_coming(checkin, now)
    _validate(values, now)
    before, after = activity.changes(checkin, _fields(values))
    if not after:
        return False
    checkin.sequence += 1
    _log(session, actor, "updated", checkin, before=before, after=after)
    _invite(session, checkin, settings, now=now, method="REQUEST")
    return True


def cancel(
    session: Session,
    actor: Person,
    checkin: CheckIn,
    *,
    now: datetime,
    settings: InviteSettings,
) -> None:
    """Call off a coming check-in; everyone's calendar is told."""
    _check_coming(checkin, now)
    checkin.cancelled_at = now
    checkin.sequence += 1
    _log(session, actor, "cancelled", checkin, after={"cancelled": True})
    _invite(session, checkin, settings, now=now, method="CANCEL")


def save_notes(
    session: Session,
    actor: Person,
    checkin: CheckIn,
    *,
    notes: str,
    assignment: Assignment,
    now: datetime,
) -> ProgressReport:
    """Keep what was said as a progress report of the assignment (once)."""
    if checkin.is_cancelled or checkin.starts_at > now:
        raise DomainError(_l("Notes can be saved once the check-in has begun."))
    if checkin.report_id is not None:
        raise DomainError(_l("The notes of this check-in are already saved."))
    if assignment not in assignments_of(checkin):
        raise DomainError(_l("Choose one of the check-in's assignments."), "assignment")
    if not notes.strip():
        raise DomainError(_l("Write what was said."), field="notes")
    heading = _("Notes from the check-in “%(title)s”", title=checkin.title)
    report = reports.add_report(
        session,
        actor,
        assignment,
        body=f"**{heading}**\n\n{notes.strip()}",
        reported_on=checkin.starts_at.astimezone(STOCKHOLM).date(),
    )
    checkin.report = report
    session.flush()
    return report


def assignments_of(checkin: CheckIn) -> list[Assignment]:
    """The assignments its notes may report on."""
    if checkin.assignment is not None:
        return [checkin.assignment]
    return list(checkin.group.assignments) if checkin.group is not None else []


def can_save_notes(session: Session, person: Person, checkin: CheckIn) -> bool:
    """Whether *person* may report on at least one of the check-in's assignments."""
    return any(
        assignment_service.can_report(session, person, a)
        for a in assignments_of(checkin)
    )


def participants(session: Session, checkin: CheckIn) -> list[Person]:
    """The assignment's responsible person and group members, or the group's members."""
    members = select(Membership.person_id).where(Membership.left_on.is_(None))
    chosen: ColumnElement[bool]
    if checkin.group_id is not None:
        chosen = Person.id.in_(members.where(Membership.group_id == checkin.group_id))
    else:
        serving = select(group_assignments.c.group_id).where(
            group_assignments.c.assignment_id == checkin.assignment_id
        )
        responsible = select(Assignment.responsible_id).where(
            Assignment.id == checkin.assignment_id
        )
        chosen = or_(
            Person.id.in_(members.where(Membership.group_id.in_(serving))),
            Person.id.in_(responsible),
        )
    statement = select(Person).where(Person.active.is_(True), chosen)
    return list(session.scalars(statement.order_by(Person.name, Person.id)))


def listed_for(
    session: Session, *, assignment_id: int | None = None, group_id: int | None = None
) -> list[CheckIn]:
    """The check-ins of an assignment or a group, the latest first."""
    column = CheckIn.assignment_id if assignment_id is not None else CheckIn.group_id
    target = assignment_id if assignment_id is not None else group_id
    statement = select(CheckIn).where(column == target)
    return list(session.scalars(statement.order_by(CheckIn.starts_at.desc()).limit(50)))


def subject_name(checkin: CheckIn) -> str:
    """The assignment's title or the group's name."""
    if checkin.assignment is not None:
        return checkin.assignment.title
    return checkin.group.name if checkin.group is not None else ""


def _invite(
    session: Session,
    checkin: CheckIn,
    settings: InviteSettings,
    *,
    now: datetime,
    method: str,
) -> None:
    invitations.send(
        session,
        checkin,
        participants(session, checkin),
        about=subject_name(checkin),
        settings=settings,
        now=now,
        method=method,
    )


def _validate(values: CheckInValues, now: datetime) -> None:
    if not values.title.strip():
        raise DomainError(_l("Write a title."), field="title")
    if values.starts_at < now:
        raise DomainError(_l("Choose a time that has not passed."), field="day")
    if values.ends_at <= values.starts_at:
        raise DomainError(_l("The end must be after the start."), field="ends")


def _check_coming(checkin: CheckIn, now: datetime) -> None:
    if checkin.is_cancelled:
        raise DomainError(_l("This check-in is cancelled."))
    if checkin.starts_at <= now:
        raise DomainError(_l("This check-in has already begun."))


def _fields(values: CheckInValues) -> dict[str, Any]:
    return {
        "title": values.title.strip(),
        "starts_at": values.starts_at,
        "ends_at": values.ends_at,
        "location": values.location.strip(),
        "agenda": values.agenda.strip(),
    }


def _apply(checkin: CheckIn, values: CheckInValues) -> None:
    for name, value in _fields(values).items():
        setattr(checkin, name, value)


def _log(
    session: Session,
    actor: Person,
    verb: str,
    checkin: CheckIn,
    *,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> None:
    plan_id = checkin.assignment.plan_id if checkin.assignment is not None else None
    activity.record(
        session,
        actor,
        verb,
        checkin,
        before=before or None,
        after=after or None,
        plan_id=plan_id,
        assignment_id=checkin.assignment_id,
        group_id=checkin.group_id,
    )
