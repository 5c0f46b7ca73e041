"""What needs attention: late and near deadlines, missing reports, waiting decisions.

One list per reader, in a fixed number of queries whatever the data size. The same
items drive "Läget nu" on the overview, the to-do list on Mina sidor, the plan
cards' status and the due and late badges (see tracker.services.attention.status).
"""

from __future__ import annotations

import enum
import heapq
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property
from itertools import islice
from typing import Any, cast

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

from tracker import stamps
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


@dataclass(frozen=True)
class Summary:
    """The programme's needs as the overview shows them: the most urgent ones, how
    many there are, and which plans they flag, in two queries whatever their
    number (a large programme has thousands of late milestones)."""

    first: list[Need]  # programme_needs()[:limit]
    total: int
    plans: PlanFlags


@dataclass(frozen=True)
class PlanPart:
    """One plan's share of programme_summary(): its needs' rows by urgency, and
    whether a milestone or end date of it is past."""

    rows: tuple[Row[Any], ...]
    late: bool

    @property
    def total(self) -> int:
        """How many needs the plan has."""
        return len(self.rows)

    def worst(self) -> list[tuple[int, Kind, Severity]]:
        """worst_per_assignment() of the plan, from its rows."""
        found: dict[tuple[int, str], int] = {}
        for row in self.rows:
            key = (row.assignment_id, row.kind)
            found[key] = min(found.get(key, row.rank), row.rank)
        return [
            (aid, Kind(kind), _SEVERITIES[rank]) for (aid, kind), rank in found.items()
        ]


# what the plans' shares read (tracker.stamps.per_plan)
PART_TABLES = ("assignments", "milestones", "progress_reports", "stages")
Parts = stamps.PerPlan[PlanPart]


def programme_summary(
    session: Session, horizon: Horizon, limit: int, kept: Parts | None = None
) -> Summary:
    """programme_needs(), its first *limit* needs only, counted and summed per plan
    by the database; with the plans' shares of an earlier summary (*kept*), only
    those of the plans written since are read again."""
    return summed(session, plan_parts(session, horizon, limit, kept))


def plan_parts(
    session: Session,
    horizon: Horizon,
    limit: int,
    kept: Parts | None = None,
    lifetime: float = 60.0,
) -> Parts:
    """Each plan's share of the summary: *kept*'s where no write in the plan came
    since, the others' read in one query."""

    def read(plan_ids: set[int] | None) -> dict[int, PlanPart]:
        return _plan_parts(session, horizon, plan_ids)

    return stamps.per_plan(session, PART_TABLES, (horizon, limit), read, kept, lifetime)


def summed(
    session: Session, parts: Parts, groups: list[Row[Any]] | None = None
) -> Summary:
    """The summary of the plans' *parts* and the groups' needs (*groups*: as
    group_rows() gives them, else read now)."""
    horizon, limit = cast(tuple[Horizon, int], parts.key)
    if groups is None:
        groups = group_rows(session, horizon)
    shares = parts.values
    ordered = heapq.merge(*(part.rows for part in shares.values()), groups, key=_key)
    return Summary(
        [_need(horizon, row) for row in islice(ordered, limit)],
        sum(part.total for part in shares.values()) + len(groups),
        PlanFlags(
            frozenset(plan_id for plan_id, part in shares.items() if part.late),
            frozenset(plan_id for plan_id, part in shares.items() if part.total),
        ),
    )


# what group_rows() reads
GROUP_TABLES = ("applications", "working_groups")


def group_rows(session: Session, horizon: Horizon) -> list[Row[Any]]:
    """The programme's needs that belong to no plan (groups' time boxes, open
    calls waiting for a selection), most urgent first, as rows for summed()."""
    return sorted(session.execute(_groups_statement(), _values(horizon)), key=_key)


def _key(row: Row[Any]) -> tuple[int, date, int, str]:
    # Need.sort_key of the row's need
    return (row.rank, row.on, row.subject_id or 0, row.kind)


def _plan_parts(
    session: Session, horizon: Horizon, plan_ids: set[int] | None
) -> dict[int, PlanPart]:
    values = _values(horizon)
    if plan_ids is not None:
        values["plans"] = sorted(plan_ids)
    found: dict[int, list[Row[Any]]] = {}
    for row in session.execute(_parts_statement(plan_ids is not None), values):
        found.setdefault(row.plan_id, []).append(row)
    deadlines = (q.MILESTONE, q.END)
    return {
        plan_id: PlanPart(
            tuple(sorted(rows, key=_key)),
            any(r.kind in deadlines and r.on < horizon.today for r in rows),
        )
        for plan_id, rows in found.items()
    }


@cache
def _parts_statement(some: bool) -> Any:
    # built once per kind: each miss of the overview or a plan page runs one
    plans: Any = bindparam("plans", expanding=True)
    where = (Assignment.plan_id.in_(plans),) if some else ()
    return _ranked(_assignment_parts(BOUND, where), BOUND)


@cache
def _groups_statement() -> Any:
    return _ranked([q.time_boxes(BOUND.soon, None), q.selections(BOUND.today)], BOUND)


def plan_flags(session: Session, horizon: Horizon) -> PlanFlags:
    """The plans that programme_needs() flags, summed by the database."""
    found = q.united(_assignment_parts(horizon, ())).subquery()
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
    values = _values(horizon, person=person.id, month=horizon.today.strftime("%Y-%m"))
    found = [_need(horizon, row) for row in session.execute(statement, values)]
    return sorted(found, key=lambda need: (need.on, need.sort_key))


@cache
def _personal_statement(selections: bool, digests: bool) -> Any:
    # built once per kind of reader: the overview runs it for each staff request
    person = bindparam("person", type_=Integer)
    parts = _assignment_parts(BOUND, (Assignment.responsible_id == person,))
    parts.append(q.time_boxes(BOUND.soon, person))
    parts += q.applications(person)
    if selections:
        parts.append(q.selections(BOUND.today))
    if digests:
        parts.append(q.digests(bindparam("month", type_=String)))
    return _ranked(parts, BOUND)


def assignment_needs(
    session: Session, horizon: Horizon, *where: ColumnElement[bool]
) -> list[Need]:
    """Deadlines and missing reports of the assignments *where* selects (a plan's,
    one assignment)."""
    return _run(session, horizon, _assignment_parts(horizon, where))


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
    rows = session.execute(_worst_statement(), _values(horizon, plan=plan_id))
    return [(aid, Kind(kind), _SEVERITIES[worst]) for aid, kind, worst in rows]


@cache
def _worst_statement() -> Select[Any]:
    # built once: each miss of a plan page runs it
    where = (Assignment.plan_id == bindparam("plan", type_=Integer),)
    found = q.united(_assignment_parts(BOUND, where)).subquery()
    c = found.c
    rank = q.rank_of(found, BOUND.today, BOUND.soon)
    return (
        select(c.assignment_id, c.kind, func.min(rank))
        .where(c.on.is_not(None))
        .group_by(c.assignment_id, c.kind)
    )


def _programme_parts(horizon: Horizon | _Bound) -> list[Select[Any]]:
    parts = _assignment_parts(horizon, ())
    return [*parts, q.time_boxes(horizon.soon, None), q.selections(horizon.today)]


def _assignment_parts(
    horizon: Horizon | _Bound, where: tuple[ColumnElement[bool], ...]
) -> list[Select[Any]]:
    return [
        q.milestones(horizon.soon, where),
        q.ends(horizon.soon, where),
        q.stale(horizon.today, horizon.stale_before, where),
    ]


def _run(session: Session, horizon: Horizon, parts: list[Select[Any]]) -> list[Need]:
    return [_need(horizon, row) for row in session.execute(_ranked(parts, horizon))]


def _ranked(parts: list[Select[Any]], dates: Horizon | _Bound) -> Select[Any]:
    found = q.united(parts).subquery()
    rank = q.rank_of(found, dates.today, dates.soon).label("rank")
    return select(found, rank).where(found.c.on.is_not(None))


class _Bound:
    """A horizon's dates as the parameters of a statement built once (values())."""

    today = bindparam("today", type_=Date)
    soon = bindparam("soon", type_=Date)
    stale_before = bindparam("stale_before", type_=Date)


BOUND = _Bound()


def _values(horizon: Horizon, **more: object) -> dict[str, object]:
    dates = {"today": horizon.today, "soon": horizon.soon}
    return dates | {"stale_before": horizon.stale_before} | more


_SEVERITIES = list(Severity)


def _need(horizon: Horizon, row: Row[Any]) -> Need:
    severity = _SEVERITIES[row.rank]
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
