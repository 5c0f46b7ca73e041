"""The activity feed, as the reader may see it on the activity page."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import and_, or_, select

from tracker.db import get_session
from tracker.models.activity import ActivityEvent
from tracker.models.people import Person
from tracker.services import activity, groups
from tracker.services.programme import plans
from tracker.views.api import paging, render, schemas
from tracker.views.api.blueprint import bp, documented_errors
from tracker.views.api.security import caller, token_required


@bp.get("/activity")
@token_required()
@bp.arguments(schemas.ActivityArgs, location="query")
@bp.response(200, schemas.EventPage)
@documented_errors
def list_activity(args: dict[str, Any]) -> dict[str, Any]:
    """Newest first: what the activity page shows this caller."""
    db = get_session()
    filters = activity.ActivityFilter(
        plan_id=_plan_id(args["plan"]), group_id=_group_id(args["group"])
    )
    statement = activity.feed_statement(filters, activity.Reader.of(caller().person))
    if args["cursor"] is not None:
        moment, last_id = _position(args["cursor"])
        statement = statement.where(
            or_(
                ActivityEvent.created_at < moment,
                and_(ActivityEvent.created_at == moment, ActivityEvent.id < last_id),
            )
        )
    limit = int(args["limit"])
    events = list(db.scalars(statement.limit(limit + 1)))
    more, events = len(events) > limit, events[:limit]
    hidden = _unnamed(db, {e.subject_id for e in events if e.subject_id})
    cursor = None
    if more:
        last = events[-1]
        cursor = paging.encode(f"{last.created_at.isoformat()}|{last.id}")
    return {"items": [render.event(e, hidden) for e in events], "next_cursor": cursor}


def _position(cursor: str) -> tuple[datetime, int]:
    moment, _sep, last_id = paging.decode(cursor).partition("|")
    try:
        when = datetime.fromisoformat(moment)
    except ValueError:
        when = None
    if (
        when is None
        or when.tzinfo is None
        or not last_id.isdigit()
        or len(last_id) > 12
    ):
        abort(400, description=_("The cursor is not valid; start from the first page."))
    return when, int(last_id)


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


def _unnamed(db: Any, person_ids: set[int]) -> set[int]:
    if not person_ids:
        return set()
    people = db.scalars(select(Person).where(Person.id.in_(person_ids)))
    return {p.id for p in people if not render.may_name(p)}
