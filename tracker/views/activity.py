"""The activity feed, filtered by plan, group, person and dates."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, render_template, request

from tracker.auth import current_reader, require_role
from tracker.db import get_session
from tracker.models.people import Role
from tracker.services import activity
from tracker.services.programme import plans

bp = Blueprint("activity", __name__, url_prefix="/activity")


@bp.get("/", endpoint="list")
@require_role(Role.STAFF)
def list_activity() -> str:
    """What happened, newest first."""
    db = get_session()
    filters = activity.ActivityFilter(
        plan_id=_int_arg("plan"),
        group_id=_int_arg("group"),
        person_id=_int_arg("person"),
        actor=_text_arg("actor"),
        group_name=_text_arg("group_name"),
        since=_date_arg("since"),
        until=_date_arg("until"),
    )
    page = max(_int_arg("page") or 1, 1)
    size = 50
    events = activity.feed(
        db, filters, current_reader(), limit=size + 1, offset=(page - 1) * size
    )
    return render_template(
        "activity/list.html",
        events=events[:size],
        filters=filters,
        page=page,
        has_next=len(events) > size,
        plans=plans.filter_choices(db),
        bad_dates=_bad_dates(),
    )


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _text_arg(name: str) -> str:
    return request.args.get(name, "").strip()[:100]


def _date_arg(name: str) -> date | None:
    try:
        value = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    # year 1 or 9999 would overflow when turned into Stockholm day boundaries
    return value if date(1900, 1, 1) <= value <= date(2999, 12, 31) else None


def _bad_dates() -> bool:
    return any(
        request.args.get(name) and _date_arg(name) is None
        for name in ("since", "until")
    )
