"""The overview: what everyone needs to know."""

from __future__ import annotations

from flask import Blueprint

from tracker import clock
from tracker.auth import PUBLIC_READER, current_reader, require_role
from tracker.db import get_session
from tracker.models.people import Role
from tracker.page_cache import data_version, render_cached
from tracker.services.attention import overview

bp = Blueprint("overview", __name__)


@bp.get("/")
@require_role(Role.STAFF, PUBLIC_READER)
def index() -> str:
    """Every plan's progress, groups recruiting now and recent activity."""
    session = get_session()
    today = clock.today()
    return render_cached(
        "overview/index.html",
        (data_version(session), today),
        # one page per role (the page cache's key): the role's view, not the person's
        lambda: {
            "overview": overview.build_overview(
                session, today, current_reader(personal=False)
            )
        },
    )
