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

from sqlalchemy import ColumnElement, Row, Select
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
    parts = _assignment_parts(horizon, ())
    parts += [q.time_boxes(horizon.soon, None), q.selections(horizon.today)]
    return sorted(_run(session, horizon, parts), key=lambda need: need.sort_key)


def personal_needs(session: Session, person: Person, horizon: Horizon) -> list[Need]:
    """What *person* has to do, by date: their assignments, groups and answers."""
    parts = _assignment_parts(horizon, (Assignment.responsible_id == person.id,))
    parts.append(q.time_boxes(horizon.soon, person.id))
    parts += q.applications(person.id)
    if person.role in (Role.LEADERSHIP, Role.ADMIN):
        parts.append(q.selections(horizon.today))
    if person.role in (Role.COMMUNICATOR, Role.ADMIN):
        parts.append(q.digests(horizon.today.strftime("%Y-%m")))
    found = _run(session, horizon, parts)
    return sorted(found, key=lambda need: (need.on, need.sort_key))


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


def _assignment_parts(
    horizon: Horizon, where: tuple[ColumnElement[bool], ...]
) -> list[Select[Any]]:
    return [
        q.milestones(horizon.soon, where),
        q.ends(horizon.soon, where),
        q.stale(horizon.today, horizon.stale_before, where),
    ]


def _run(session: Session, horizon: Horizon, parts: list[Select[Any]]) -> list[Need]:
    return [
        _need(horizon, row)
        for row in session.execute(q.united(parts))
        if row.on is not None
    ]


def _due(horizon: Horizon, day: date) -> Severity:
    return Severity.LATE if day < horizon.today else Severity.DUE_SOON


def _need(horizon: Horizon, row: Row[Any]) -> Need:
    on: date = row.on
    severity = _due(horizon, on)
    kind, text, path = _WORDS[row.kind](horizon, row, date_filter(on), severity)
    if kind is Kind.STALE:
        severity = Severity.LATE
    elif kind in _WAITING:
        severity = Severity.WAITING
    elif kind is Kind.APPLICATION:
        near = row.last_on is not None and horizon.today <= on <= horizon.soon
        severity = Severity.DUE_SOON if near else Severity.WAITING
    return Need(
        kind, severity, on, text, path, row.plan_id, row.subject_id, row.assignment_id
    )


_WAITING = (Kind.SELECTION, Kind.INVITATION, Kind.DIGEST)
Words = tuple[Kind, str, str]


def _milestone(h: Horizon, row: Row[Any], day: str, severity: Severity) -> Words:
    late = severity is Severity.LATE
    text = say.milestone(row.title, row.parent, day, late=late)
    return Kind.MILESTONE, text, f"/assignments/{row.assignment_id}#milestones"


def _end(h: Horizon, row: Row[Any], day: str, severity: Severity) -> Words:
    text = say.assignment_end(row.title, day, late=severity is Severity.LATE)
    return Kind.ASSIGNMENT_END, text, f"/assignments/{row.assignment_id}"


def _stale(h: Horizon, row: Row[Any], day: str, severity: Severity) -> Words:
    text = say.stale(row.title, day, ever=row.last_on is not None)
    return Kind.STALE, text, f"/assignments/{row.assignment_id}#timeline"


def _time_box(h: Horizon, row: Row[Any], day: str, severity: Severity) -> Words:
    text = say.time_box(row.title, day, late=severity is Severity.LATE)
    return Kind.TIME_BOX, text, f"/groups/{row.slug}"


def _selection(h: Horizon, row: Row[Any], day: str, severity: Severity) -> Words:
    text = say.selection(row.title, day, row.waiting)
    return Kind.SELECTION, text, f"/anmalningar/{row.slug}/urval"


def _invitation(h: Horizon, row: Row[Any], day: str, severity: Severity) -> Words:
    return Kind.INVITATION, say.invitation(row.title), "/me/#my-applications"


def _application(h: Horizon, row: Row[Any], day: str, severity: Severity) -> Words:
    deadline: date | None = row.last_on
    if deadline is not None and deadline >= h.today:
        text = say.application_open(row.title, date_filter(deadline))
    else:
        text = say.application_waiting(row.title)
    return Kind.APPLICATION, text, "/me/#my-applications"


def _digest(h: Horizon, row: Row[Any], day: str, severity: Severity) -> Words:
    return Kind.DIGEST, say.digest(row.title), f"/manadsbrev/{row.slug}"


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
