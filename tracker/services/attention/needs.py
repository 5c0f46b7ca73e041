"""What needs attention: late and near deadlines, missing reports, waiting decisions.

One list per reader, in a fixed number of queries whatever the data size. The same
items drive "Läget nu" on the overview, the to-do list on Mina sidor, the plan
cards' status and the due and late badges (see tracker.services.attention.status).
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Row,
    Select,
    String,
    and_,
    bindparam,
    case,
    func,
    select,
)
from sqlalchemy.orm import Session

from tracker.i18n import date_filter
from tracker.models.assignments import Assignment
from tracker.models.people import Person, Role
from tracker.services.attention import need_queries as q
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


_RANK = {severity: rank for rank, severity in enumerate(Severity)}


@dataclass(frozen=True)
class Need:
    """One thing that needs attention, as a sentence with a link."""

    kind: Kind
    severity: Severity
    on: date
    title: str  # what it is about: the milestone, assignment or group
    path: str
    plan_id: int | None = None
    subject_id: int | None = None  # the milestone, assignment or group
    assignment_id: int | None = None  # the assignment it belongs to, if any
    # makes the sentence in the reader's language; only the needs shown call it (a
    # large programme has thousands of late milestones, the overview shows 25)
    sentence: Callable[[], str] = field(default=str, compare=False, repr=False)
    # everything its line shows (page_cache.fragment's key): the values the
    # sentence is made of, with the day they were judged on
    shown_key: tuple[object, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if not self.shown_key:  # made by hand: keyed by what it shows
            shown = (self.kind, self.severity, self.on, self.path, self.text)
            object.__setattr__(self, "shown_key", shown)

    @cached_property
    def text(self) -> str:
        """The sentence, e.g. "The milestone “Pilot” of “Intake” was due on …"."""
        return self.sentence()

    @property
    def sort_key(self) -> tuple[int, date, int, str]:
        """Most urgent first, then the earliest date (then a fixed order: what it is
        about, and what kind of item; the database orders programme_summary's
        rows alike)."""
        return (_RANK[self.severity], self.on, self.subject_id or 0, self.kind.value)


def programme_needs(session: Session, horizon: Horizon) -> list[Need]:
    """Everything late, stale or waiting in the programme (leadership's view)."""
    parts = _programme_parts(horizon)
    return sorted(_run(session, horizon, parts), key=lambda need: need.sort_key)


@dataclass(frozen=True)
class PlanFlags:
    """Which plans the programme's needs flag (tracker.services.attention.status
    makes their status of it)."""

    late: frozenset[int]  # plans with a milestone or end date past
    flagged: frozenset[int]  # plans with anything that needs attention


def plan_flags(session: Session, horizon: Horizon) -> PlanFlags:
    """The plans that programme_needs() flags, summed by the database."""
    found = q.united(assignment_parts(horizon, ())).subquery()
    c = found.c
    late = and_(c.kind.in_((q.MILESTONE, q.END)), c.on < horizon.today)
    per_plan = session.execute(
        select(c.plan_id, func.max(case((late, 1), else_=0)))
        .where(c.on.is_not(None), c.plan_id.is_not(None))
        .group_by(c.plan_id)
    ).all()
    return PlanFlags(
        frozenset(plan_id for plan_id, is_late in per_plan if is_late),
        frozenset(plan_id for plan_id, _is_late in per_plan),
    )


def personal_needs(session: Session, person: Person, horizon: Horizon) -> list[Need]:
    """What *person* has to do, by date: their assignments, groups and answers."""
    statement = _personal_statement(
        person.role in (Role.LEADERSHIP, Role.ADMIN),
        person.role in (Role.COMMUNICATOR, Role.ADMIN),
    )
    values = values_of(horizon, person=person.id, month=horizon.today.strftime("%Y-%m"))
    found = [need_of(horizon, row) for row in session.execute(statement, values)]
    return sorted(found, key=lambda need: (need.on, need.sort_key))


@cache
def _personal_statement(selections: bool, digests: bool) -> Any:
    # built once per kind of reader: the overview runs it for each staff request
    person = bindparam("person", type_=Integer)
    parts = assignment_parts(BOUND, (Assignment.responsible_id == person,))
    parts.append(q.time_boxes(BOUND.soon, person))
    parts += q.applications(person)
    if selections:
        parts.append(q.selections(BOUND.today))
    if digests:
        parts.append(q.digests(bindparam("month", type_=String)))
    return ranked(parts, BOUND)


def assignment_needs(
    session: Session, horizon: Horizon, *where: ColumnElement[bool]
) -> list[Need]:
    """Deadlines and missing reports of the assignments *where* selects (a plan's,
    one assignment)."""
    return _run(session, horizon, assignment_parts(horizon, where))


def deadlines(
    session: Session, horizon: Horizon, *where: ColumnElement[bool]
) -> list[Need]:
    """Milestones and assignment end dates past or near, of open assignments."""
    parts = [q.milestones(horizon.soon, where), q.ends(horizon.soon, where)]
    return _run(session, horizon, parts)


def stale(
    session: Session, horizon: Horizon, *where: ColumnElement[bool]
) -> list[Need]:
    """Started, unfinished assignments with no progress report for STALE_DAYS."""
    parts = [q.stale(horizon.today, horizon.stale_before, where)]
    return _run(session, horizon, parts)


def time_boxes(
    session: Session, horizon: Horizon, lead: Person | None = None
) -> list[Need]:
    """Groups whose time box ends soon, or ended while the group goes on."""
    parts = [q.time_boxes(horizon.soon, lead.id if lead else None)]
    return _run(session, horizon, parts)


def selections(session: Session, horizon: Horizon) -> list[Need]:
    """Open calls past their deadline whose applications wait for a selection."""
    return _run(session, horizon, [q.selections(horizon.today)])


def worst_per_assignment(
    session: Session, horizon: Horizon, plan_id: int
) -> list[tuple[int, Kind, Severity]]:
    """The most urgent of each kind of assignment_needs() per assignment of the
    plan, summed by the database (a plan's board: one badge per card, however many
    milestones)."""
    rows = session.execute(_worst_statement(), values_of(horizon, plan=plan_id))
    return [(aid, Kind(kind), SEVERITIES[worst]) for aid, kind, worst in rows]


@cache
def _worst_statement() -> Select[Any]:
    # built once: each miss of a plan page runs it
    where = (Assignment.plan_id == bindparam("plan", type_=Integer),)
    found = q.united(assignment_parts(BOUND, where)).subquery()
    c = found.c
    rank = q.rank_of(found, BOUND.today, BOUND.soon)
    return (
        select(c.assignment_id, c.kind, func.min(rank))
        .where(c.on.is_not(None))
        .group_by(c.assignment_id, c.kind)
    )


def _programme_parts(horizon: Horizon | _Bound) -> list[Select[Any]]:
    parts = assignment_parts(horizon, ())
    return [*parts, q.time_boxes(horizon.soon, None), q.selections(horizon.today)]


def assignment_parts(
    horizon: Horizon | _Bound, where: tuple[ColumnElement[bool], ...]
) -> list[Select[Any]]:
    return [
        q.milestones(horizon.soon, where),
        q.ends(horizon.soon, where),
        q.stale(horizon.today, horizon.stale_before, where),
    ]


def _run(session: Session, horizon: Horizon, parts: list[Select[Any]]) -> list[Need]:
    return [need_of(horizon, row) for row in session.execute(ranked(parts, horizon))]


def ranked(parts: list[Select[Any]], dates: Horizon | _Bound) -> Select[Any]:
    found = q.united(parts).subquery()
    rank = q.rank_of(found, dates.today, dates.soon).label("rank")
    return select(found, rank).where(found.c.on.is_not(None))


class _Bound:
    """A horizon's dates as the parameters of a statement built once (values())."""

    today = bindparam("today", type_=Date)
    soon = bindparam("soon", type_=Date)
    stale_before = bindparam("stale_before", type_=Date)


BOUND = _Bound()


def values_of(horizon: Horizon, **more: object) -> dict[str, object]:
    dates = {"today": horizon.today, "soon": horizon.soon}
    return dates | {"stale_before": horizon.stale_before} | more


SEVERITIES = list(Severity)


def need_of(horizon: Horizon, row: Row[Any]) -> Need:
    severity = SEVERITIES[row.rank]
    kind, sentence, path = _WORDS[row.kind](horizon, row, severity)
    return Need(
        kind,
        severity,
        row.on,
        row.title,
        path,
        row.plan_id,
        row.subject_id,
        row.assignment_id,
        sentence,
        (*row, horizon.today),
    )


Words = tuple[Kind, Callable[[], str], str]


def _milestone(h: Horizon, row: Row[Any], severity: Severity) -> Words:
    title, parent, day = row.title, row.parent, row.on
    late = severity is Severity.LATE

    def sentence() -> str:
        return say.milestone(title, parent, date_filter(day), late=late)

    return Kind.MILESTONE, sentence, f"/assignments/{row.assignment_id}#milestones"


def _end(h: Horizon, row: Row[Any], severity: Severity) -> Words:
    title, day, late = row.title, row.on, severity is Severity.LATE

    def sentence() -> str:
        return say.assignment_end(title, date_filter(day), late=late)

    return Kind.ASSIGNMENT_END, sentence, f"/assignments/{row.assignment_id}"


def _stale(h: Horizon, row: Row[Any], severity: Severity) -> Words:
    title, day, ever = row.title, row.on, row.last_on is not None

    def sentence() -> str:
        return say.stale(title, date_filter(day), ever=ever)

    return Kind.STALE, sentence, f"/assignments/{row.assignment_id}#timeline"


def _time_box(h: Horizon, row: Row[Any], severity: Severity) -> Words:
    title, day, late = row.title, row.on, severity is Severity.LATE

    def sentence() -> str:
        return say.time_box(title, date_filter(day), late=late)

    return Kind.TIME_BOX, sentence, f"/groups/{row.slug}"


def _selection(h: Horizon, row: Row[Any], severity: Severity) -> Words:
    title, day, waiting = row.title, row.on, row.waiting

    def sentence() -> str:
        return say.selection(title, date_filter(day), waiting)

    return Kind.SELECTION, sentence, f"/anmalningar/{row.slug}/urval"


def _invitation(h: Horizon, row: Row[Any], severity: Severity) -> Words:
    title = row.title
    return Kind.INVITATION, lambda: say.invitation(title), "/me/#my-applications"


def _application(h: Horizon, row: Row[Any], severity: Severity) -> Words:
    title, deadline = row.title, row.last_on
    still_open = deadline is not None and deadline >= h.today

    def sentence() -> str:
        if still_open:
            return say.application_open(title, date_filter(deadline))
        return say.application_waiting(title)

    return Kind.APPLICATION, sentence, "/me/#my-applications"


def _digest(h: Horizon, row: Row[Any], severity: Severity) -> Words:
    title = row.title
    return Kind.DIGEST, lambda: say.digest(title), f"/manadsbrev/{row.slug}"


_WORDS = {
    q.MILESTONE: _milestone,
    q.END: _end,
    q.STALE: _stale,
    q.TIME_BOX: _time_box,
    q.SELECTION: _selection,
    q.INVITATION: _invitation,
    q.APPLICATION: _application,
    q.DIGEST: _digest,
}
