"""The overview: what everyone needs to know."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker import clock
from tracker.auth import require_role
from tracker.db import get_session
from tracker.models.people import Role
from tracker.services import overview

bp = Blueprint("overview", __name__)


@bp.get("/")
@require_role(Role.STAFF)
def index() -> str:
    """Every plan's progress, groups recruiting now and recent activity."""
    data = overview.build_overview(get_session(), clock.today())
    return render_template("overview/index.html", overview=data)
