"""What needs attention: late and near deadlines, missing reports, waiting decisions.

One list per reader, in a fixed number of queries whatever the data size. The same
items drive "Läget nu" on the overview, the to-do list on Mina sidor, the plan
cards' status and the due and late badges (see tracker.services.attention.status).
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from flask_babel import ngettext
from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from tracker.i18n import date_filter
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
from tracker.models.people import Person, Role
from tracker.services.attention import need_texts as say


class Severity(enum.Enum):
    """How urgent an item is; the order is the order of the lists."""

    LATE = "late"
    WAITING = "waiting"
    DUE_SOON = "due_soon"


class Kind(enum.Enum):
    """What an item is about."""

    MILESTONE = "milestone"
    ASSIGNMENT_END = "assignment_end"
    STALE = "stale"  # no progress report for STALE_DAYS
    TIME_BOX = "time_box"
    SELECTION = "selection"
    INVITATION = "invitation"
    APPLICATION = "application"
    DIGEST = "digest"


@dataclass(frozen=True)
class Horizon:
    """Today and how far ahead and back the rules look ([ATTENTION] in the config)."""

    today: date
    due_soon_days: int = 14
    stale_days: int = 30

    @classmethod
    def of(cls, config: Mapping[str, Any], today: date) -> Horizon:
        """The horizon of the app's [ATTENTION] settings."""
        section = config["ATTENTION"]
        return cls(today, section["DUE_SOON_DAYS"], section["STALE_DAYS"])

    @property
    def soon(self) -> date:
        """The last day that still counts as due soon."""
        return self.today + timedelta(days=self.due_soon_days)

    @property
    def stale_before(self) -> date:
        """A last report before this day makes an assignment stale."""
        return self.today - timedelta(days=self.stale_days)


@dataclass(frozen=True)
class Need:
    """One thing that needs attention, as a sentence with a link."""

    kind: Kind
    severity: Severity
    on: date
    text: str
    path: str
    plan_id: int | None = None
    subject_id: int | None = None  # the milestone, assignment or group
    assignment_id: int | None = None  # the assignment it belongs to, if any

    @property
    def sort_key(self) -> tuple[int, date, str]:
        """Most urgent first, then the earliest date."""
        return (list(Severity).index(self.severity), self.on, self.text)


def programme_needs(session: Session, horizon: Horizon) -> list[Need]:
    """Everything late, stale or waiting in the programme (leadership's view)."""
    found = deadlines(session, horizon) + stale(session, horizon)
    found += time_boxes(session, horizon) + selections(session, horizon)
    return sorted(found, key=lambda need: need.sort_key)


def personal_needs(session: Session, person: Person, horizon: Horizon) -> list[Need]:
    """What *person* has to do, by date: their assignments, groups and answers."""
    mine = Assignment.responsible_id == person.id
    found = deadlines(session, horizon, mine) + stale(session, horizon, mine)
    found += time_boxes(session, horizon, person)
    found += applications(session, person, horizon)
    if person.role in (Role.LEADERSHIP, Role.ADMIN):
        found += selections(session, horizon)
    if person.role in (Role.COMMUNICATOR, Role.ADMIN):
        found += digests(session, horizon)
    return sorted(found, key=lambda need: (need.on, need.sort_key))


def deadlines(
    session: Session, horizon: Horizon, *where: ColumnElement[bool]
) -> list[Need]:
    """Milestones and assignment end dates past or near, of open assignments."""
    milestones = session.execute(
        select(Milestone, Assignment.id, Assignment.title, Assignment.plan_id)
        .join(Assignment, Assignment.id == Milestone.assignment_id)
        .where(
            Milestone.done.is_(False),
            Milestone.due_on <= horizon.soon,
            Assignment.closed_at.is_(None),
            *where,
        )
    ).all()
    found = [
        _milestone(horizon, m, m.due_on, assignment_id, title, plan_id)
        for m, assignment_id, title, plan_id in milestones
        if m.due_on is not None
    ]
    ends = session.execute(
        select(Assignment.id, Assignment.title, Assignment.plan_id, Assignment.ends_on)
        .join(Stage, Stage.id == Assignment.stage_id)
        .where(
            Assignment.closed_at.is_(None),
            Assignment.ends_on <= horizon.soon,
            Stage.position < _last_position(),
            *where,
        )
    ).all()
    found += [
        _assignment_end(horizon, a_id, title, plan_id, ends_on)
        for a_id, title, plan_id, ends_on in ends
        if ends_on is not None
    ]
    return found


def stale(
    session: Session, horizon: Horizon, *where: ColumnElement[bool]
) -> list[Need]:
    """Started, unfinished assignments with no progress report for STALE_DAYS."""
    last = (
        select(
            ProgressReport.assignment_id.label("assignment_id"),
            func.max(ProgressReport.reported_on).label("last_on"),
        )
        .group_by(ProgressReport.assignment_id)
        .subquery()
    )
    cutoff = horizon.stale_before
    rows = session.execute(
        select(
            Assignment.id,
            Assignment.title,
            Assignment.plan_id,
            Assignment.starts_on,
            Assignment.created_at,
            last.c.last_on,
        )
        .join(Stage, Stage.id == Assignment.stage_id)
        .outerjoin(last, last.c.assignment_id == Assignment.id)
        .where(
            Assignment.closed_at.is_(None),
            Stage.position < _last_position(),
            or_(Assignment.starts_on.is_(None), Assignment.starts_on <= horizon.today),
            or_(
                last.c.last_on < cutoff,
                and_(
                    last.c.last_on.is_(None),
                    or_(
                        Assignment.starts_on < cutoff,
                        and_(
                            Assignment.starts_on.is_(None),
                            func.date(Assignment.created_at) < cutoff,
                        ),
                    ),
                ),
            ),
            *where,
        )
    ).all()
    return [_stale(horizon, *row) for row in rows]


def time_boxes(
    session: Session, horizon: Horizon, lead: Person | None = None
) -> list[Need]:
    """Groups whose time box ends soon, or ended while the group goes on."""
    statement = select(WorkingGroup).where(
        WorkingGroup.state != GroupState.CLOSED,
        WorkingGroup.ends_on <= horizon.soon,
    )
    if lead is not None:
        statement = statement.where(
            WorkingGroup.memberships.any(
                and_(
                    Membership.person_id == lead.id,
                    Membership.role == MemberRole.LEAD,
                    Membership.left_on.is_(None),
                )
            )
        )
    return [
        _time_box(horizon, group, group.ends_on)
        for group in session.scalars(statement)
        if group.ends_on is not None
    ]


def selections(session: Session, horizon: Horizon) -> list[Need]:
    """Open calls past their deadline whose applications wait for a selection."""
    rows = session.execute(
        select(WorkingGroup, func.count(Application.id))
        .join(Application, Application.group_id == WorkingGroup.id)
        .where(
            WorkingGroup.recruitment == RecruitmentMode.OPEN_CALL,
            WorkingGroup.state == GroupState.RECRUITING,
            WorkingGroup.signup_deadline < horizon.today,
            Application.status == ApplicationStatus.SUBMITTED,
        )
        .group_by(WorkingGroup.id)
    ).all()
    return [
        _selection(group, group.signup_deadline, count)
        for group, count in rows
        if group.signup_deadline is not None
    ]


def applications(session: Session, person: Person, horizon: Horizon) -> list[Need]:
    """Invitations waiting for *person*'s answer, and their applications' deadlines."""
    rows = session.scalars(
        select(Application).where(
            Application.person_id == person.id,
            Application.status.in_(
                (ApplicationStatus.INVITED, ApplicationStatus.SUBMITTED)
            ),
        )
    ).all()
    return [_application(horizon, a) for a in rows if a.group.state in _OPEN_GROUPS]


def digests(session: Session, horizon: Horizon) -> list[Need]:
    """Digests of months that have ended, still waiting for a communicator's review."""
    month = horizon.today.strftime("%Y-%m")
    rows = session.scalars(
        select(Digest).where(
            Digest.state.in_((DigestState.DRAFT, DigestState.EDITED)),
            Digest.period < month,
        )
    ).all()
    return [
        Need(
            Kind.DIGEST,
            Severity.WAITING,
            d.facts_at.date(),
            say.digest(d.title),
            f"/manadsbrev/{d.period}",
            subject_id=d.id,
        )
        for d in rows
    ]


_OPEN_GROUPS = (GroupState.PLANNED, GroupState.RECRUITING)


def _last_position() -> Any:
    return select(func.max(Stage.position)).scalar_subquery()


def _due(horizon: Horizon, day: date) -> Severity:
    return Severity.LATE if day < horizon.today else Severity.DUE_SOON


def _milestone(
    horizon: Horizon,
    m: Milestone,
    due_on: date,
    assignment_id: int,
    title: str,
    plan_id: int,
) -> Need:
    severity = _due(horizon, due_on)
    late = severity is Severity.LATE
    return Need(
        Kind.MILESTONE,
        severity,
        due_on,
        say.milestone(m.title, title, date_filter(due_on), late=late),
        f"/assignments/{assignment_id}#milestones",
        plan_id,
        m.id,
        assignment_id,
    )


def _assignment_end(
    horizon: Horizon, assignment_id: int, title: str, plan_id: int, ends_on: date
) -> Need:
    severity = _due(horizon, ends_on)
    return Need(
        Kind.ASSIGNMENT_END,
        severity,
        ends_on,
        say.assignment_end(title, date_filter(ends_on), late=severity is Severity.LATE),
        f"/assignments/{assignment_id}",
        plan_id,
        assignment_id,
        assignment_id,
    )


def _stale(
    horizon: Horizon,
    assignment_id: int,
    title: str,
    plan_id: int,
    starts_on: date | None,
    created_at: Any,
    last_on: date | None,
) -> Need:
    since = last_on or starts_on or created_at.date()
    return Need(
        Kind.STALE,
        Severity.LATE,
        since,
        say.stale(title, date_filter(since), ever=last_on is not None),
        f"/assignments/{assignment_id}#timeline",
        plan_id,
        assignment_id,
        assignment_id,
    )


def _time_box(horizon: Horizon, group: WorkingGroup, ends_on: date) -> Need:
    severity = _due(horizon, ends_on)
    return Need(
        Kind.TIME_BOX,
        severity,
        ends_on,
        say.time_box(group.name, date_filter(ends_on), late=severity is Severity.LATE),
        f"/groups/{group.slug}",
        subject_id=group.id,
    )


def _selection(group: WorkingGroup, deadline: date, count: int) -> Need:
    return Need(
        Kind.SELECTION,
        Severity.WAITING,
        deadline,
        ngettext(
            "%(num)d application to “%(group)s” waits for a selection; the last day "
            "to apply was %(date)s.",
            "%(num)d applications to “%(group)s” wait for a selection; the last day "
            "to apply was %(date)s.",
            count,
            group=group.name,
            date=date_filter(deadline),
        ),
        f"/anmalningar/{group.slug}/urval",
        subject_id=group.id,
    )


def _application(horizon: Horizon, application: Application) -> Need:
    group = application.group
    deadline = group.signup_deadline
    day = deadline or application.created_at.date()
    if application.status is ApplicationStatus.INVITED:
        text, severity = say.invitation(group.name), Severity.WAITING
    elif deadline is not None and deadline >= horizon.today:
        text = say.application_open(group.name, date_filter(deadline))
        severity = Severity.DUE_SOON if deadline <= horizon.soon else Severity.WAITING
    else:
        text, severity = say.application_waiting(group.name), Severity.WAITING
    return Need(
        Kind.INVITATION
        if application.status is ApplicationStatus.INVITED
        else Kind.APPLICATION,
        severity,
        day,
        text,
        "/me/#my-applications",
        subject_id=group.id,
    )
