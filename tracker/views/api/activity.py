"""The activity feed, as the reader may see it on the activity page."""

from __future__ import annotations

from typing import Any

from marshmallow import RAISE
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from tracker.db import get_session
from tracker.models.activity import ActivityEvent
from tracker.models.people import Person
from tracker.services import activity, groups
from tracker.services.programme import plans
from tracker.views.api import render, schemas
from tracker.views.api.blueprint import bp, documented_errors
from tracker.views.api.security import caller, token_required


@bp.get("/activity")
@token_required()
@bp.arguments(schemas.ActivityArgs, location="query", unknown=RAISE)
@bp.response(200, schemas.EventPage)
@documented_errors
def list_activity(args: dict[str, Any]) -> dict[str, Any]:
    """Newest first: what the activity page shows this caller."""
    db = get_session()
    filters = activity.ActivityFilter(
        plan_id=_plan_id(args["plan"]), group_id=_group_id(args["group"])
    )
    # what the activity page shows, less recruitment: the API never shows
    # applications, not even to leadership (only the caller's own)
    reader = activity.Reader(person_id=caller().person.id, sees_recruitment=False)
    statement = activity.feed_statement(filters, reader)
    if args["cursor"] is not None:
        statement = statement.where(_after(db, int(args["cursor"])))
    limit = int(args["limit"])
    events = list(db.scalars(statement.limit(limit + 1)))
    more, events = len(events) > limit, events[:limit]
    hidden = _unnamed(db, {e.subject_id for e in events if e.subject_id})
    cursor = str(events[-1].id) if more else None
    return {"items": [render.event(e, hidden) for e in events], "next_cursor": cursor}


def _after(db: Session, last_id: int) -> ColumnElement[bool]:
    # newest first by (created_at, id): the page goes on after the cursor's event
    moment = db.scalar(
        select(ActivityEvent.created_at).where(ActivityEvent.id == last_id)
    )
    if moment is None:
        return ActivityEvent.id < last_id
    return or_(
        ActivityEvent.created_at < moment,
        and_(ActivityEvent.created_at == moment, ActivityEvent.id < last_id),
    )


def _plan_id(slug: str | None) -> int | None:
    if slug is None:
        return None
    plan = plans.get_by_slug(get_session(), slug)
    return plan.id if plan else -1


def _group_id(slug: str | None) -> int | None:
    if slug is None:
        return None
    group = groups.get_by_slug(get_session(), slug)
    return group.id if group else -1


def _unnamed(db: Session, person_ids: set[int]) -> set[int]:
    if not person_ids:
        return set()
    people = db.scalars(select(Person).where(Person.id.in_(person_ids)))
    return {p.id for p in people if not render.may_name(p)}
