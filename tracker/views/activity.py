"""The activity feed, filtered by plan, group, person and dates."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, Response, render_template, request, url_for

from tracker import clock, labels
from tracker.auth import current_reader, require_role
from tracker.clock import STOCKHOLM
from tracker.db import get_session
from tracker.models.people import Role
from tracker.page_cache import data_version, render_cached
from tracker.services import activity, activity_groups
from tracker.services.interchange.files import CsvOptions, write_csv
from tracker.services.programme import plans
from tracker.views.plans import csv_download

bp = Blueprint("activity", __name__, url_prefix="/activity")


PAGE_SIZE = 50
CSV_MAX_ROWS = 10_000
CSV_COLUMNS = ("time", "actor", "verb", "object_type", "object")
FILTER_ARGS = ("plan", "group", "person", "actor", "group_name", "since", "until")


@bp.get("/", endpoint="list")
@require_role(Role.STAFF)
def list_activity() -> str:
    """What happened, newest first.

    The unfiltered first page comes from the page cache, one per role, unless the
    reader is also shown events of their own that the role's view leaves out.
    """
    db = get_session()
    filters = _filters()
    page = max(_int_arg("page") or 1, 1)
    reader = current_reader()
    if not request.args and not activity.has_own_private(db, reader):
        version = (data_version(db), clock.today())
        role_reader = current_reader(personal=False)
        return render_cached(
            "activity/list.html",
            version,
            lambda: _context(filters, role_reader, 1),
            host_wide=True,
        )
    return render_template("activity/list.html", **_context(filters, reader, page))


@bp.get("/handelser.csv")
@require_role(Role.STAFF)
def csv_file() -> Response:
    """The filtered feed as a CSV file: what this reader may see, newest first."""
    events = activity.feed(
        get_session(), _filters(), current_reader(), limit=CSV_MAX_ROWS, offset=0
    )
    rows = [
        [
            e.created_at.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M"),
            e.actor_label,
            labels.verb(e.verb),
            labels.object_type(e.object_type),
            e.object_label,
        ]
        for e in events
    ]
    data = write_csv(CSV_COLUMNS, rows, CsvOptions(separator=";"))
    return csv_download(data, "handelser.csv")


def _filter_args() -> dict[str, Any]:
    return {k: v for k, v in request.args.items() if k in FILTER_ARGS}


def _filters() -> activity.ActivityFilter:
    return activity.ActivityFilter(
        plan_id=_int_arg("plan"),
        group_id=_int_arg("group"),
        person_id=_int_arg("person"),
        actor=_text_arg("actor"),
        group_name=_text_arg("group_name"),
        since=_date_arg("since"),
        until=_date_arg("until"),
    )


def _context(
    filters: activity.ActivityFilter, reader: activity.Reader, page: int
) -> dict[str, Any]:
    db = get_session()
    # pages are cut by events, not rows: activity_groups.group_events() says why
    rows = activity_groups.feed_page(db, filters, reader, page=page, size=PAGE_SIZE)
    return {
        "groups": rows.groups,
        "filters": filters,
        "page": page,
        "has_next": rows.has_next,
        "plans": plans.filter_choices(db),
        "bad_dates": _bad_dates(),
        # the download keeps the page's filters
        "csv_url": url_for("activity.csv_file", **_filter_args()),
    }


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
