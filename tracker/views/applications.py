"""Sign-ups, applications and member selection."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.auth import require_role
from tracker.db import get_session
from tracker.models.people import Role
from tracker.services import groups

bp = Blueprint("applications", __name__, url_prefix="/anmalningar")


@bp.get("/")
@require_role(Role.STAFF)
def open_calls() -> str:
    """Every group recruiting now."""
    return render_template(
        "applications/open_calls.html", groups=groups.recruiting(get_session())
    )
