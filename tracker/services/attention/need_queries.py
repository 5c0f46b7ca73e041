"""The one query behind tracker.services.attention.needs: every rule is a SELECT of
the same shape, and the reader's rules are sent as one UNION ALL, so the query count
stays the same whatever the data size and however many rules apply."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Date,
    Integer,
    Select,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)

from tracker.models.applications import Application, ApplicationStatus
from tracker.models.assignments import Assignment, Milestone, ProgressReport, Stage
from tracker.models.digests import Digest, DigestState
from tracker.models.groups import (
    GroupState,
    MemberRole,
    Membership,
    RecruitmentMode,
    WorkingGroup,
)

# kind, subject_id, assignment_id, plan_id, title, parent (title), on (the date
# that counts), last_on (the latest report), waiting (applications), slug
MILESTONE, END, STALE, TIME_BOX, SELECTION = (
    "milestone",
    "assignment_end",  # each kind is its needs.Kind's value: both order alike
    "stale",
    "time_box",
    "selection",
)
INVITATION, APPLICATION, DIGEST = "invitation", "application", "digest"


NAMES = (
    "kind",
    "subject_id",
    "assignment_id",
    "plan_id",
    "title",
    "parent",
    "on",
    "last_on",
    "waiting",
    "slug",
)


def _shape(kind: str, *columns: Any) -> list[Any]:
    """The row every rule selects, each column named (see NAMES)."""
    return [
        column.label(name)
        for column, name in zip((literal(kind, String), *columns), NAMES, strict=True)
    ]


def _none(kind: Any) -> Any:
    # typed: PostgreSQL will not unite an untyped NULL with an integer or a date
    return cast(null(), kind)


def milestones(soon: Any, where: tuple[ColumnElement[bool], ...]) -> Select[Any]:
    """Milestones of open assignments, not reached, due by *soon*."""
    return (
        select(
            *_shape(
                MILESTONE,
                Milestone.id,
                Assignment.id,
                Assignment.plan_id,
                Milestone.title,
                Assignment.title,
                Milestone.due_on,
                _none(Date),
                _none(Integer),
                _none(String),
            )
        )
        .join(Assignment, Assignment.id == Milestone.assignment_id)
        .where(
            Milestone.done.is_(False),
            Milestone.due_on <= soon,
            Assignment.closed_at.is_(None),
            *where,
        )
    )


def ends(soon: Any, where: tuple[ColumnElement[bool], ...]) -> Select[Any]:
    """Open assignments not in the last stage whose end date is by *soon*."""
    return (
        select(
            *_shape(
                END,
                Assignment.id,
                Assignment.id,
                Assignment.plan_id,
                Assignment.title,
                _none(String),
                Assignment.ends_on,
                _none(Date),
                _none(Integer),
                _none(String),
            )
        )
        .join(Stage, Stage.id == Assignment.stage_id)
        .where(
            Assignment.closed_at.is_(None),
            Assignment.ends_on <= soon,
            Stage.position < _last_position(),
            *where,
        )
    )


def stale(
    today: Any, cutoff: Any, where: tuple[ColumnElement[bool], ...]
) -> Select[Any]:
    """Started, unfinished assignments whose latest report (or start) is before
    *cutoff*."""
    if where:
        # a few assignments (a plan's, a person's): each one's latest report, looked
        # up in the index (assignment_id, reported_on)
        latest = (
            select(func.max(ProgressReport.reported_on))
            .where(ProgressReport.assignment_id == Assignment.id)
            .scalar_subquery()
        )
        found = select(Assignment.id.label("assignment_id"), latest.label("last_on"))
        last = found.where(*where).subquery()
    else:  # the whole programme: every assignment's, summed in one pass
        last = (
            select(
                ProgressReport.assignment_id.label("assignment_id"),
                func.max(ProgressReport.reported_on).label("last_on"),
            )
            .group_by(ProgressReport.assignment_id)
            .subquery()
        )
    created_on = func.date(Assignment.created_at)
    return (
        select(
            *_shape(
                STALE,
                Assignment.id,
                Assignment.id,
                Assignment.plan_id,
                Assignment.title,
                _none(String),
                # no CAST: SQLite would make a number of a date's text
                type_coerce(
                    func.coalesce(last.c.last_on, Assignment.starts_on, created_on),
                    Date,
                ),
                last.c.last_on,
                _none(Integer),
                _none(String),
            )
        )
        .join(Stage, Stage.id == Assignment.stage_id)
        .outerjoin(last, last.c.assignment_id == Assignment.id)
        .where(
            Assignment.closed_at.is_(None),
            Stage.position < _last_position(),
            or_(Assignment.starts_on.is_(None), Assignment.starts_on <= today),
            or_(
                last.c.last_on < cutoff,
                and_(
                    last.c.last_on.is_(None),
                    or_(
                        Assignment.starts_on < cutoff,
                        and_(Assignment.starts_on.is_(None), created_on < cutoff),
                    ),
                ),
            ),
            *where,
        )
    )


def time_boxes(soon: Any, lead_id: Any) -> Select[Any]:
    """Groups not closed whose time box ends by *soon*; only those *lead_id* leads."""
    statement = select(
        *_shape(
            TIME_BOX,
            WorkingGroup.id,
            _none(Integer),
            _none(Integer),
            WorkingGroup.name,
            _none(String),
            WorkingGroup.ends_on,
            _none(Date),
            _none(Integer),
            WorkingGroup.slug,
        )
    ).where(WorkingGroup.state != GroupState.CLOSED, WorkingGroup.ends_on <= soon)
    if lead_id is None:
        return statement
    return statement.where(
        WorkingGroup.memberships.any(
            and_(
                Membership.person_id == lead_id,
                Membership.role == MemberRole.LEAD,
                Membership.left_on.is_(None),
            )
        )
    )


def selections(today: Any) -> Select[Any]:
    """Open calls past their deadline with applications that wait for a selection."""
    waiting = (
        select(func.count(Application.id))
        .where(
            Application.group_id == WorkingGroup.id,
            Application.status == ApplicationStatus.SUBMITTED,
        )
        .scalar_subquery()
    )
    return select(
        *_shape(
            SELECTION,
            WorkingGroup.id,
            _none(Integer),
            _none(Integer),
            WorkingGroup.name,
            _none(String),
            WorkingGroup.signup_deadline,
            _none(Date),
            waiting,
            WorkingGroup.slug,
        )
    ).where(
        WorkingGroup.recruitment == RecruitmentMode.OPEN_CALL,
        WorkingGroup.state == GroupState.RECRUITING,
        WorkingGroup.signup_deadline < today,
        waiting > 0,
    )


def applications(person_id: Any) -> list[Select[Any]]:
    """*person_id*'s invitations not answered and applications not decided, to
    groups still planned or recruiting; "last_on" holds the deadline."""
    parts = []
    for kind, status in (
        (INVITATION, ApplicationStatus.INVITED),
        (APPLICATION, ApplicationStatus.SUBMITTED),
    ):
        day = func.coalesce(
            WorkingGroup.signup_deadline, func.date(Application.created_at)
        )
        parts.append(
            select(
                *_shape(
                    kind,
                    WorkingGroup.id,
                    _none(Integer),
                    _none(Integer),
                    WorkingGroup.name,
                    _none(String),
                    type_coerce(day, Date),
                    WorkingGroup.signup_deadline,
                    _none(Integer),
                    WorkingGroup.slug,
                )
            )
            .select_from(Application)
            .join(WorkingGroup, WorkingGroup.id == Application.group_id)
            .where(
                Application.person_id == person_id,
                Application.status == status,
                WorkingGroup.state.in_((GroupState.PLANNED, GroupState.RECRUITING)),
            )
        )
    return parts


def digests(month: Any) -> Select[Any]:
    """Digests of months before *month* (YYYY-MM) that wait for review."""
    return select(
        *_shape(
            DIGEST,
            Digest.id,
            _none(Integer),
            _none(Integer),
            Digest.title,
            _none(String),
            type_coerce(func.date(Digest.facts_at), Date),
            _none(Date),
            _none(Integer),
            Digest.period,
        )
    ).where(
        Digest.state.in_((DigestState.DRAFT, DigestState.EDITED)),
        Digest.period < month,
    )


def united(parts: list[Select[Any]]) -> CompoundSelect[Any] | Select[Any]:
    """The rules as one statement."""
    return parts[0] if len(parts) == 1 else union_all(*parts)


# the places of needs.Severity: late, waiting, due soon
LATE, WAITING, DUE_SOON = 0, 1, 2


def rank_of(found: Any, today: Any, soon: Any) -> Any:
    """A row's severity, as its place in needs.Severity (the one place that decides
    it, so that the database can order and count the rows): a stale assignment is
    late; a selection, an invitation or a digest waits; an application waits
    unless its deadline is near; a date past is late, a date near due soon."""
    c = found.c
    near = and_(c.last_on.is_not(None), c.on >= today, c.on <= soon)
    return case(
        (c.kind == STALE, LATE),
        (c.kind.in_((SELECTION, INVITATION, DIGEST)), WAITING),
        (c.kind == APPLICATION, case((near, DUE_SOON), else_=WAITING)),
        (c.on < today, LATE),
        else_=DUE_SOON,
    )


def _last_position() -> Any:
    return select(func.max(Stage.position)).scalar_subquery()
