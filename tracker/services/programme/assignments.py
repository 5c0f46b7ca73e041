"""Assignments: create, edit, move through the workflow, end, reopen."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload, selectinload

from tracker.errors import DomainError
from tracker.models.assignments import Assignment, Stage
from tracker.models.groups import (
    MemberRole,
    Membership,
    WorkingGroup,
    group_assignments,
)
from tracker.models.people import Person, Role
from tracker.models.plans import ActionPlan
from tracker.services import activity
from tracker.services.programme import documents, stages


@dataclass
class AssignmentValues:
    """The editable fields of an assignment, as a form delivers them."""

    title: str
    description: str = ""
    responsible: Person | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    documents_link: str = ""


def create_assignment(
    session: Session,
    actor: Person | None,
    plan: ActionPlan,
    values: AssignmentValues,
    *,
    stage: Stage | None = None,
) -> Assignment:
    """Add an assignment to *plan*, in the first stage unless told otherwise."""
    _validate(session, plan, values, None)
    _check_responsible(values.responsible, None)
    documents.check_link(values.documents_link.strip())
    position = session.scalar(
        select(func.coalesce(func.max(Assignment.position), 0)).where(
            Assignment.plan_id == plan.id
        )
    )
    assignment = Assignment(
        plan=plan,
        stage=stage or stages.first_stage(session),
        position=(position or 0) + 1,
        **_fields(values),
    )
    session.add(assignment)
    session.flush()
    activity.record(
        session,
        actor,
        "created",
        assignment,
        after={"title": assignment.title, "stage": assignment.stage.name},
        plan_id=plan.id,
        assignment_id=assignment.id,
    )
    return assignment


def update_assignment(
    session: Session,
    actor: Person | None,
    assignment: Assignment,
    values: AssignmentValues,
) -> Assignment:
    """Change an assignment's fields; the activity log keeps the old values."""
    _validate(session, assignment.plan, values, assignment.id)
    _check_responsible(values.responsible, assignment.responsible_id)
    fields = _fields(values)
    if fields["documents_link"] != assignment.documents_link:
        documents.check_link(fields["documents_link"])  # an older value may stay
    responsible = fields.pop("responsible")
    before, after = activity.changes(assignment, fields)
    if assignment.responsible_id != (responsible.id if responsible else None):
        before["responsible"] = (
            assignment.responsible.name if assignment.responsible else None
        )
        after["responsible"] = responsible.name if responsible else None
        assignment.responsible = responsible
    if after:
        _log(session, actor, "updated", assignment, before, after)
    return assignment


def move_assignment(
    session: Session, actor: Person | None, assignment: Assignment, stage: Stage
) -> bool:
    """Move to another stage; returns False when it already was there."""
    if assignment.stage_id == stage.id:
        return False
    if assignment.is_closed:
        raise DomainError(_l("An ended assignment cannot be moved."))
    before = {"stage": assignment.stage.name}
    assignment.stage = stage
    _log(session, actor, "moved", assignment, before, {"stage": stage.name})
    return True


def close_assignment(
    session: Session,
    actor: Person | None,
    assignment: Assignment,
    *,
    outcome: str,
    now: datetime,
) -> None:
    """End an assignment with its outcome; it stays in the history."""
    if assignment.is_closed:
        raise DomainError(_l("The assignment has already ended."))
    assignment.outcome, assignment.closed_at = outcome.strip(), now
    _log(
        session,
        actor,
        "closed",
        assignment,
        {"closed": False},
        {"closed": True, "outcome": outcome},
    )


def reopen_assignment(
    session: Session, actor: Person | None, assignment: Assignment
) -> None:
    """Bring an ended assignment back."""
    if not assignment.is_closed:
        raise DomainError(_l("The assignment has not ended."))
    assignment.closed_at = None
    _log(session, actor, "reopened", assignment, {"closed": True}, {"closed": False})


def accept_proposed(
    session: Session, actor: Person | None, assignment: Assignment
) -> None:
    """Accept an assignment proposed from a Trello card."""
    if not assignment.proposed:
        raise DomainError(_l("The assignment is not a proposal."))
    assignment.proposed = False
    _log(
        session, actor, "accepted", assignment, {"proposed": True}, {"proposed": False}
    )


def load_for_page(session: Session, assignment_id: int) -> Assignment | None:
    """An assignment with everything its page shows, in a fixed number of queries."""
    return session.scalars(
        select(Assignment)
        .where(Assignment.id == assignment_id)
        .options(
            selectinload(Assignment.milestones),
            selectinload(Assignment.groups)
            .selectinload(WorkingGroup.memberships)
            .joinedload(Membership.person),
            joinedload(Assignment.plan),
            joinedload(Assignment.responsible),
            joinedload(Assignment.stage),
        )
    ).one_or_none()


def can_report(session: Session, person: Person, assignment: Assignment) -> bool:
    """Leaders, the responsible person and current members of its groups may report."""
    if assignment.responsible_id == person.id:
        return True
    return may_report_on(session, person, assignment.id)


def may_report_on(session: Session, person: Person, assignment_id: int) -> bool:
    """can_report() for an assignment not loaded: at most one query."""
    if person.role in (Role.LEADERSHIP, Role.ADMIN):
        return True
    return standing(session, person, assignment_id).may_report


class Standing(NamedTuple):
    """What a person (not leadership) is to an assignment: all that decides what
    they may do on its page (report, book a check-in, evaluate)."""

    responsible: bool = False
    member: bool = False  # a current member of a group that serves it
    lead: bool = False  # a current lead of such a group

    @property
    def may_report(self) -> bool:
        return self.responsible or self.member


def standing(session: Session, person: Person, assignment_id: int) -> Standing:
    """*person*'s Standing on the assignment, in one query."""
    responsible = select(Assignment.id).where(
        Assignment.id == assignment_id, Assignment.responsible_id == person.id
    )
    member = (
        select(Membership.id)
        .join(group_assignments, group_assignments.c.group_id == Membership.group_id)
        .where(
            group_assignments.c.assignment_id == assignment_id,
            Membership.person_id == person.id,
            Membership.left_on.is_(None),
        )
    )
    lead = member.where(Membership.role == MemberRole.LEAD)
    row = session.execute(
        select(responsible.exists(), member.exists(), lead.exists())
    ).one()
    return Standing(*(bool(flag) for flag in row))


def assignments_of(session: Session, person: Person) -> list[Assignment]:
    """Open assignments the person is responsible for or works on through a group."""
    via_groups = (
        select(group_assignments.c.assignment_id)
        .join(Membership, Membership.group_id == group_assignments.c.group_id)
        .where(Membership.person_id == person.id, Membership.left_on.is_(None))
    )
    statement = (
        select(Assignment)
        .where(
            (Assignment.responsible_id == person.id) | Assignment.id.in_(via_groups),
            Assignment.closed_at.is_(None),
        )
        .options(selectinload(Assignment.plan))
        .order_by(Assignment.ends_on.is_(None), Assignment.ends_on, Assignment.title)
    )
    return list(session.scalars(statement))


def _validate(
    session: Session, plan: ActionPlan, values: AssignmentValues, current_id: int | None
) -> None:
    if values.starts_on and values.ends_on and values.ends_on < values.starts_on:
        raise DomainError(
            _l("The end date must not be before the start date."), field="ends_on"
        )
    clash = session.scalar(
        select(Assignment.id).where(
            Assignment.plan_id == plan.id,
            func.lower(Assignment.title) == values.title.strip().lower(),
            Assignment.id != (current_id or -1),
        )
    )
    if clash is not None:
        raise DomainError(
            _l("This action plan already has an assignment with this title."),
            field="title",
        )


def _check_responsible(person: Person | None, current_id: int | None) -> None:
    """Only active staff may become responsible (not citizens or partners, nor
    people who have left); whoever already is may stay, so old assignments save."""
    if person is None or person.id == current_id:
        return
    if not person.active or person.external:
        raise DomainError(
            _l(
                "Choose an active member of staff as responsible. Citizens, partners "
                "and people who have left cannot be responsible for an assignment."
            ),
            field="responsible_id",
        )


def _fields(values: AssignmentValues) -> dict[str, Any]:
    return {
        "title": values.title.strip(),
        "description": values.description,
        "responsible": values.responsible,
        "starts_on": values.starts_on,
        "ends_on": values.ends_on,
        "documents_link": values.documents_link.strip(),
    }


def _log(
    session: Session,
    actor: Person | None,
    verb: str,
    assignment: Assignment,
    before: dict[str, Any],
    after: dict[str, Any],
) -> None:
    session.flush()
    activity.record(
        session,
        actor,
        verb,
        assignment,
        before=before,
        after=after,
        plan_id=assignment.plan_id,
        assignment_id=assignment.id,
    )


@dataclass(frozen=True)
class Card:
    """What a plan's board shows of one assignment (read as plain columns)."""

    id: int
    title: str
    proposed: bool
    responsible_name: str  # "" when nobody is responsible
    ends_on: date | None
    stage_id: int
    closed_at: datetime | None

    @property
    def key(self) -> tuple[object, ...]:
        """Every value its card shows (page_cache.fragment's key)."""
        shown = (self.id, self.title, self.proposed, self.responsible_name)
        return ("board-card", *shown, self.ends_on)


@dataclass(frozen=True)
class BoardColumn:
    """One stage of a plan's board with its open assignments."""

    stage: Stage
    assignments: list[Card]


@dataclass(frozen=True)
class Board:
    """A plan's assignments by stage, plus the ended ones."""

    columns: list[BoardColumn]
    closed: list[Card]


def board(session: Session, plan: ActionPlan) -> Board:
    """The plan page's board, in a fixed number of queries."""
    rows = session.execute(
        select(
            Assignment.id,
            Assignment.title,
            Assignment.proposed,
            func.coalesce(Person.name, ""),
            Assignment.ends_on,
            Assignment.stage_id,
            Assignment.closed_at,
        )
        .outerjoin(Person, Person.id == Assignment.responsible_id)
        .where(Assignment.plan_id == plan.id)
        .order_by(Assignment.position, Assignment.id)
    )
    columns = [BoardColumn(stage, []) for stage in stages.list_stages(session)]
    by_stage = {column.stage.id: column for column in columns}
    closed = []
    for card in (Card(*row) for row in rows):
        if card.closed_at is not None:
            closed.append(card)
        elif card.stage_id in by_stage:
            by_stage[card.stage_id].assignments.append(card)
    return Board(columns, closed)
