"""Writing and reading the activity log."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    cast,
    func,
    not_,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.db import contains
from tracker.models.activity import ActivityEvent
from tracker.models.groups import WorkingGroup
from tracker.models.people import Person, Role

# Recruitment is private: who applied, changed or withdrew an application, whose
# application leadership read, who was selected or not. Only leadership and the
# applicant see these events; everyone else sees counts (recruitment services).
PRIVATE_OBJECTS = frozenset({"Application", "SelectionRun"})
PRIVATE_VERBS = frozenset({"applications_viewed", "applications_downloaded"})
# What a reader without a login sees (PUBLIC_READ): the programme's own objects,
# never an event that names a person (members, profiles), never who did it.
PUBLIC_OBJECTS = frozenset(
    {"ActionPlan", "Assignment", "Milestone", "WorkingGroup", "Digest"}
)
NAMING_VERBS = frozenset({"member_added", "member_left"})
RECRUITMENT_ROLES = frozenset({Role.LEADERSHIP, Role.ADMIN})


@dataclass(frozen=True)
class Reader:
    """Who reads the activity log, as far as what they may see of it depends."""

    person_id: int | None = None  # sees the events about them (their applications)
    sees_recruitment: bool = False  # leadership and admins
    public: bool = False  # not logged in (PUBLIC_READ): programme events only

    @classmethod
    def of(cls, person: Person | None, *, personal: bool = True) -> Reader:
        """The reader *person* is; None is the public. *personal*=False: their role's
        view only (a page shared by everyone with that role)."""
        if person is None:
            return PUBLIC_READER
        return cls(
            person_id=person.id if personal else None,
            sees_recruitment=person.role in RECRUITMENT_ROLES,
        )


PUBLIC_READER = Reader(public=True)
LEADERSHIP_READER = Reader(sees_recruitment=True)


def is_private(event: ActivityEvent) -> bool:
    """Whether *event* is about recruitment (see PRIVATE_OBJECTS)."""
    return event.object_type in PRIVATE_OBJECTS or event.verb in PRIVATE_VERBS


def may_see(reader: Reader, event: ActivityEvent) -> bool:
    """Whether *reader* may see *event* (the same rule as visible_to())."""
    if reader.public:
        return event.object_type in PUBLIC_OBJECTS and not (
            event.verb in NAMING_VERBS or is_private(event)
        )
    if reader.sees_recruitment or not is_private(event):
        return True
    return reader.person_id is not None and event.subject_id == reader.person_id


def visible_to(reader: Reader) -> ColumnElement[bool]:
    """The events *reader* may see, as a WHERE clause (the rule of may_see())."""
    private = or_(
        ActivityEvent.object_type.in_(PRIVATE_OBJECTS),
        ActivityEvent.verb.in_(PRIVATE_VERBS),
    )
    if reader.public:
        return and_(
            ActivityEvent.object_type.in_(PUBLIC_OBJECTS),
            ActivityEvent.verb.not_in(NAMING_VERBS),
            not_(private),
        )
    if reader.sees_recruitment:
        return true()
    if reader.person_id is None:
        return not_(private)
    return or_(not_(private), ActivityEvent.subject_id == reader.person_id)


def has_own_private(session: Session, reader: Reader) -> bool:
    """Whether *reader* sees private events of their own beyond their role's view
    (a staff member's own applications): pages shared by the role must not do."""
    if reader.person_id is None or reader.sees_recruitment or reader.public:
        return False
    own = select(ActivityEvent.id).where(
        ActivityEvent.subject_id == reader.person_id,
        or_(
            ActivityEvent.object_type.in_(PRIVATE_OBJECTS),
            ActivityEvent.verb.in_(PRIVATE_VERBS),
        ),
    )
    return bool(session.scalar(select(own.exists())))


def record(
    session: Session,
    actor: Person | None,
    verb: str,
    obj: Any,
    *,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
    plan_id: int | None = None,
    assignment_id: int | None = None,
    group_id: int | None = None,
    label: str | None = None,
    subject: Person | None = None,
) -> ActivityEvent:
    """Append an event for *obj*; the caller's transaction makes it permanent.

    *subject* is the person the event is about; by default *obj* itself when it is
    a person, or its person (an application's applicant, a membership's member).
    """
    session.flush()  # obj needs its id before we point at it
    subject = subject or _subject(obj)
    event = ActivityEvent(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.name if actor is not None else "",
        subject_id=subject.id if subject is not None else None,
        verb=verb,
        object_type=type(obj).__name__,
        object_id=getattr(obj, "id", None),
        object_label=(label or _label(obj))[:200],
        plan_id=plan_id,
        assignment_id=assignment_id,
        group_id=group_id,
        before=_jsonable(before) if before else None,
        after=_jsonable(after) if after else None,
    )
    session.add(event)
    return event


def changes(
    obj: Any, values: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Apply *values* to *obj* and return (before, after) of the fields that changed."""
    before: dict[str, Any] = {}
    after: dict[str, Any] = {}
    for field, value in values.items():
        old = getattr(obj, field)
        if old != value:
            before[field], after[field] = old, value
            setattr(obj, field, value)
    return before, after


@dataclass(frozen=True)
class ActivityFilter:
    """What the activity feed is narrowed to."""

    plan_id: int | None = None
    group_id: int | None = None
    person_id: int | None = None
    actor: str = ""  # part of the name of who did it
    group_name: str = ""  # part of the name of the working group it concerns
    since: date | None = None
    until: date | None = None


def feed_statement(filters: ActivityFilter, reader: Reader) -> Select[Any]:
    """Newest-first events matching *filters* that *reader* may see (dates are
    Stockholm calendar days)."""
    statement = (
        select(ActivityEvent)
        .where(visible_to(reader))
        .order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
    )
    if filters.plan_id is not None:
        statement = statement.where(ActivityEvent.plan_id == filters.plan_id)
    if filters.group_id is not None:
        statement = statement.where(ActivityEvent.group_id == filters.group_id)
    if filters.person_id is not None:
        statement = statement.where(ActivityEvent.actor_id == filters.person_id)
    if filters.actor:
        statement = statement.where(
            ActivityEvent.actor_label.ilike(contains(filters.actor), escape="\\")
        )
    if filters.group_name:
        groups = select(WorkingGroup.id).where(
            WorkingGroup.name.ilike(contains(filters.group_name), escape="\\")
        )
        statement = statement.where(ActivityEvent.group_id.in_(groups))
    if filters.since is not None:
        statement = statement.where(
            ActivityEvent.created_at >= day_start(filters.since)
        )
    if filters.until is not None:
        end = day_start(filters.until + timedelta(days=1))
        statement = statement.where(ActivityEvent.created_at < end)
    return statement


def feed(
    session: Session,
    filters: ActivityFilter,
    reader: Reader,
    *,
    limit: int = 50,
    offset: int = 0,
) -> list[ActivityEvent]:
    """One page of the activity feed as *reader* may see it."""
    statement = feed_statement(filters, reader).limit(limit).offset(offset)
    return list(session.scalars(statement))


def recent(session: Session, reader: Reader, *, limit: int = 10) -> list[ActivityEvent]:
    """The newest events *reader* may see."""
    return feed(session, ActivityFilter(), reader, limit=limit)


HISTORY_ROWS = 20  # an audit history shows the newest; "Visa fler" up to HISTORY_MAX
HISTORY_MAX = 200


def newest(
    fetch: Callable[[int], list[ActivityEvent]], everything: bool
) -> tuple[list[ActivityEvent], bool]:
    """An audit history's rows: the newest HISTORY_ROWS (HISTORY_MAX when the reader
    asked for *everything*), and whether there are more than shown. *fetch* takes a
    limit, e.g. ``lambda n: history_of(session, "WorkingGroup", 3, reader, limit=n)``.
    """
    wanted = HISTORY_MAX if everything else HISTORY_ROWS
    found = fetch(wanted + 1)
    return found[:wanted], not everything and len(found) > wanted


def history_of(
    session: Session,
    object_type: str,
    object_id: int,
    reader: Reader,
    *,
    limit: int = HISTORY_MAX,
) -> list[ActivityEvent]:
    """The newest *limit* entries of one object's audit trail that *reader* may see,
    newest first."""
    statement = (
        select(ActivityEvent)
        .where(
            ActivityEvent.object_type == object_type,
            ActivityEvent.object_id == object_id,
            visible_to(reader),
        )
        .order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def assignment_history(
    session: Session, assignment_id: int, reader: Reader, *, limit: int = HISTORY_MAX
) -> list[ActivityEvent]:
    """The newest *limit* changes to an assignment that *reader* may see, its
    milestones and reports included, newest first."""
    statement = (
        select(ActivityEvent)
        .where(
            visible_to(reader),
            (ActivityEvent.assignment_id == assignment_id)
            | (
                (ActivityEvent.object_type == "Assignment")
                & (ActivityEvent.object_id == assignment_id)
            ),
        )
        .order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))


def version_expression(dialect: str) -> ColumnElement[Any]:
    """An SQL value that is different after every change a reader could see."""
    latest = cast(select(func.max(ActivityEvent.id)).scalar_subquery(), String)
    if dialect != "postgresql":
        # SQLite writers take the lock at BEGIN, so event ids follow commit order;
        # a change without an event waits for the page cache's lifetime
        return latest
    # The snapshot changes whenever any transaction that wrote ends, with or without
    # an event; the newest event id adds what the reader's own transaction did.
    return func.concat(cast(func.pg_current_snapshot(), String), "/", latest)


def data_version(session: Session) -> str | None:
    """The current value of version_expression()."""
    dialect = session.get_bind().dialect.name
    return session.scalar(select(version_expression(dialect)))


def day_start(day: date) -> datetime:
    """Midnight in Stockholm of *day*, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM)


def _subject(obj: Any) -> Person | None:
    if isinstance(obj, Person):
        return obj
    person = getattr(obj, "person", None)
    return person if isinstance(person, Person) else None


def _label(obj: Any) -> str:
    for attribute in ("title", "name", "email"):
        value = getattr(obj, attribute, None)
        if value:
            return str(value)
    return type(obj).__name__


def _jsonable(values: Mapping[str, Any]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in values.items():
        if isinstance(value, date | datetime):
            result[key] = value.isoformat()
        elif hasattr(value, "value") and not isinstance(value, int | str):
            result[key] = value.value  # enums
        elif isinstance(value, int | float | str | bool | list | dict) or value is None:
            result[key] = value
        else:
            result[key] = str(value)
    return result
