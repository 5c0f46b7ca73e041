"""Writing and reading the activity log."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, String, cast, func, select
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.db import contains
from tracker.models.activity import ActivityEvent
from tracker.models.groups import WorkingGroup
from tracker.models.people import Person


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
) -> ActivityEvent:
    """Append an event for *obj*; the caller's transaction makes it permanent."""
    session.flush()  # obj needs its id before we point at it
    event = ActivityEvent(
        actor_id=actor.id if actor is not None else None,
        actor_label=actor.name if actor is not None else "",
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


def feed_statement(filters: ActivityFilter) -> Select[Any]:
    """Newest-first events matching *filters* (dates are Stockholm calendar days)."""
    statement = select(ActivityEvent).order_by(
        ActivityEvent.created_at.desc(), ActivityEvent.id.desc()
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
    session: Session, filters: ActivityFilter, *, limit: int = 50, offset: int = 0
) -> list[ActivityEvent]:
    """One page of the activity feed."""
    statement = feed_statement(filters).limit(limit).offset(offset)
    return list(session.scalars(statement))


def history_of(
    session: Session, object_type: str, object_id: int
) -> list[ActivityEvent]:
    """The audit trail of one object, newest first."""
    statement = (
        select(ActivityEvent)
        .where(
            ActivityEvent.object_type == object_type,
            ActivityEvent.object_id == object_id,
        )
        .order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
        .limit(200)
    )
    return list(session.scalars(statement))


def assignment_history(session: Session, assignment_id: int) -> list[ActivityEvent]:
    """Every change to an assignment, its milestones and reports included."""
    statement = (
        select(ActivityEvent)
        .where(
            (ActivityEvent.assignment_id == assignment_id)
            | (
                (ActivityEvent.object_type == "Assignment")
                & (ActivityEvent.object_id == assignment_id)
            )
        )
        .order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
        .limit(200)
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
