"""The overview: what everyone needs to know."""

from __future__ import annotations

import time
from typing import Any

from flask import Blueprint, current_app, render_template
from markupsafe import Markup
from sqlalchemy import func, select

from tracker import clock
from tracker.auth import has_role, require_role
from tracker.db import get_session
from tracker.i18n import current_language
from tracker.models.activity import ActivityEvent
from tracker.models.people import Role
from tracker.services import overview

bp = Blueprint("overview", __name__)
CACHE_SECONDS = 60
CACHE_SIZE = 16


@bp.get("/")
@require_role(Role.STAFF)
def index() -> str:
    """Every plan's progress, groups recruiting now and recent activity."""
    return render_template("overview/index.html", content=_content())


def _content() -> Markup:
    # Every change appends an activity event, so the newest event id tells whether
    # the overview can have changed; the minute-long lifetime covers the rest
    # (stage renames, the date turning). Kept per app, i.e. per worker.
    session = get_session()
    today = clock.today()
    key = (
        session.scalar(select(func.max(ActivityEvent.id))),
        today,
        current_language(),
        has_role(Role.LEADERSHIP),
    )
    cache: dict[Any, tuple[float, Markup]] = current_app.extensions.setdefault(
        "tracker.overview_cache", {}
    )
    hit = cache.get(key)
    if hit is not None and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    data = overview.build_overview(session, today)
    html = Markup(render_template("overview/_content.html", overview=data))  # noqa: S704 - our own template's output
    if len(cache) >= CACHE_SIZE:
        cache.clear()
    cache[key] = (time.monotonic(), html)
    return html
