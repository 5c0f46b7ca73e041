"""Evaluations of ended groups and assignments, and the lessons (lärdomar) in them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.db import contains
from tracker.errors import DomainError
from tracker.models.assignments import Assignment
from tracker.models.evaluations import Evaluation, Finding
from tracker.models.groups import (
    GroupState,
    MemberRole,
    Membership,
    WorkingGroup,
    group_assignments,
)
from tracker.models.people import Person, Role
from tracker.models.plans import ActionPlan
from tracker.services import activity
from tracker.services.programme import assignments as programme

LEADERS = (Role.LEADERSHIP, Role.ADMIN)
# what a list of evaluations shows, loaded with it rather than one by one
LISTED = (
    selectinload(Evaluation.assignment),
    selectinload(Evaluation.group),
    selectinload(Evaluation.findings),
)


@dataclass
class EvaluationValues:
    """What an evaluation records."""

    evaluated_on: date | None
    worked: str = ""
    did_not_work: str = ""
    adjust: str = ""
    interview_count: int | None = None
    interview_roles: str = ""
    findings: Sequence[str] = field(default_factory=list)


def may_evaluate(
    session: Session,
    person: Person,
    *,
    assignment: Assignment | None = None,
    group: WorkingGroup | None = None,
) -> bool:
    """Leadership, an assignment's responsible person and a group's leads may."""
    if person.role in LEADERS:
        return True
    if assignment is not None:
        return assignment.responsible_id == person.id
    if group is None:
        return False
    lead = select(Membership.id).where(
        Membership.group_id == group.id,
        Membership.person_id == person.id,
        Membership.role == MemberRole.LEAD,
    )
    return session.scalar(lead.limit(1)) is not None


def evaluation_of(
    session: Session,
    *,
    assignment: Assignment | None = None,
    group: WorkingGroup | None = None,
) -> Evaluation | None:
    """The evaluation of an assignment or a group, if it has one."""
    if assignment is not None:
        where = Evaluation.assignment_id == assignment.id
    elif group is not None:
        where = Evaluation.group_id == group.id
    else:
        return None
    return session.scalar(select(Evaluation).where(where))


def is_due(
    session: Session,
    *,
    assignment: Assignment | None = None,
    group: WorkingGroup | None = None,
    found: Evaluation | None = None,
) -> bool:
    """Whether an ended assignment or closed group still waits for its evaluation
    (*found*: its evaluation_of(), when the caller has already looked)."""
    ended = (assignment is not None and assignment.is_closed) or (
        group is not None and group.state is GroupState.CLOSED
    )
    if found is None and ended:
        found = evaluation_of(session, assignment=assignment, group=group)
    return ended and found is None


def waiting_for(session: Session, person: Person) -> list[Assignment | WorkingGroup]:
    """What *person* is asked to evaluate: their ended assignments and the closed
    groups they lead (all of them, for leadership) that have no evaluation yet."""
    leads = person.role in LEADERS
    evaluated_assignments = select(Evaluation.assignment_id).where(
        Evaluation.assignment_id.is_not(None)
    )
    ended = select(Assignment).where(
        Assignment.closed_at.is_not(None),
        Assignment.id.not_in(evaluated_assignments),
    )
    if not leads:
        ended = ended.where(Assignment.responsible_id == person.id)
    evaluated_groups = select(Evaluation.group_id).where(
        Evaluation.group_id.is_not(None)
    )
    closed = select(WorkingGroup).where(
        WorkingGroup.state == GroupState.CLOSED,
        WorkingGroup.id.not_in(evaluated_groups),
    )
    if not leads:
        led = select(Membership.group_id).where(
            Membership.person_id == person.id, Membership.role == MemberRole.LEAD
        )
        closed = closed.where(WorkingGroup.id.in_(led))
    waiting: list[Assignment | WorkingGroup] = list(
        session.scalars(ended.order_by(Assignment.closed_at.desc()))
    )
    waiting += list(session.scalars(closed.order_by(WorkingGroup.closed_at.desc())))
    return waiting


def record_evaluation(
    session: Session,
    actor: Person | None,
    values: EvaluationValues,
    *,
    assignment: Assignment | None = None,
    group: WorkingGroup | None = None,
) -> Evaluation:
    """Record the evaluation of an ended assignment or a closed group."""
    if evaluation_of(session, assignment=assignment, group=group) is not None:
        raise DomainError(_l("This has already been evaluated."))
    if not is_due(session, assignment=assignment, group=group):
        raise DomainError(_l("Only an ended assignment or group can be evaluated."))
    _validate(values)
    evaluation = Evaluation(
        assignment=assignment,
        group=group,
        author_id=actor.id if actor else None,
        evaluated_on=values.evaluated_on,
        worked=values.worked.strip(),
        did_not_work=values.did_not_work.strip(),
        adjust=values.adjust.strip(),
        interview_count=values.interview_count,
        interview_roles=values.interview_roles.strip(),
    )
    for position, text in enumerate(t.strip() for t in values.findings):
        if text:
            evaluation.findings.append(Finding(position=position, text=text))
    session.add(evaluation)
    session.flush()
    subject = assignment or group
    activity.record(
        session,
        actor,
        "evaluated",
        subject,
        plan_id=assignment.plan_id if assignment else None,
        assignment_id=assignment.id if assignment else None,
        group_id=group.id if group else None,
    )
    return evaluation


def lessons_for_plan(session: Session, plan: ActionPlan) -> list[Evaluation]:
    """The evaluations of the plan's assignments and of the groups serving them."""
    of_plan = select(Assignment.id).where(Assignment.plan_id == plan.id)
    groups_of_plan = select(group_assignments.c.group_id).where(
        group_assignments.c.assignment_id.in_(of_plan)
    )
    statement = (
        select(Evaluation)
        .where(
            or_(
                Evaluation.assignment_id.in_(of_plan),
                Evaluation.group_id.in_(groups_of_plan),
            )
        )
        .order_by(Evaluation.evaluated_on.desc(), Evaluation.id.desc())
        .options(*LISTED)
    )
    return list(session.scalars(statement))


def search(session: Session, text: str) -> list[Evaluation]:
    """Evaluations whose text or findings contain *text*, newest first."""
    pattern = contains(text.strip())
    in_findings = exists().where(
        Finding.evaluation_id == Evaluation.id,
        Finding.text.ilike(pattern, escape="\\"),
    )
    statement = (
        select(Evaluation)
        .where(
            or_(
                Evaluation.worked.ilike(pattern, escape="\\"),
                Evaluation.did_not_work.ilike(pattern, escape="\\"),
                Evaluation.adjust.ilike(pattern, escape="\\"),
                in_findings,
            )
        )
        .order_by(Evaluation.evaluated_on.desc(), Evaluation.id.desc())
        .options(*LISTED)
    )
    return list(session.scalars(statement))


def list_evaluations(session: Session) -> list[Evaluation]:
    """Every evaluation, newest first."""
    statement = (
        select(Evaluation)
        .order_by(Evaluation.evaluated_on.desc(), Evaluation.id.desc())
        .options(*LISTED)
    )
    return list(session.scalars(statement))


def finding_to_assignment(
    session: Session, actor: Person | None, finding: Finding, plan: ActionPlan
) -> Assignment:
    """Make a new assignment in *plan* of a finding, in one step."""
    if finding.assignment_id is not None:
        raise DomainError(_l("This finding has already become an assignment."))
    title = finding.text.splitlines()[0].strip()
    if len(title) > 200:
        title = title[:199].rstrip() + "…"
    values = programme.AssignmentValues(
        title=title,
        description=f"Från en utvärdering: {finding.text}",
    )
    assignment = programme.create_assignment(session, actor, plan, values)
    finding.assignment_id = assignment.id
    session.flush()
    return assignment


def plans_of(evaluation: Evaluation) -> list[ActionPlan]:
    """The plans an evaluation's lessons belong to."""
    if evaluation.assignment is not None:
        return [evaluation.assignment.plan]
    group = evaluation.group
    plans = {a.plan.id: a.plan for a in group.assignments} if group else {}
    return list(plans.values())


def _validate(values: EvaluationValues) -> None:
    if values.evaluated_on is None:
        raise DomainError(_l("Give the date of the evaluation."), field="evaluated_on")
    if not (
        values.worked.strip() or values.did_not_work.strip() or values.adjust.strip()
    ):
        raise DomainError(
            _l("Write at least what worked, what did not or what you adjust."),
            field="worked",
        )
    count = values.interview_count
    if count is not None and not 0 <= count <= 10000:
        raise DomainError(
            _l("Give the number of interviews as a whole number, 0 or more."),
            field="interview_count",
        )
