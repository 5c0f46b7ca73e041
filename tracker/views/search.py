"""Search over the programme, its people and its digests."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import lazy_gettext as _l

from tracker.auth import has_role, require_role
from tracker.db import get_session
from tracker.models.people import Role
from tracker.services import search as search_service

bp = Blueprint("search", __name__, url_prefix="/search")

KIND_LABELS = {
    "person": _l("Person"),
    "plan": _l("Action plan"),
    "assignment": _l("Assignment"),
    "milestone": _l("Milestone"),
    "group": _l("Working group"),
    "report": _l("Progress report"),
    "decision": _l("Decision"),
    "digest": _l("Monthly digest"),
}


@bp.get("/")
@require_role(Role.STAFF)
def index() -> str:
    """Ranked results for ?q=, with the matched words marked."""
    query = request.args.get("q", "").strip()[:200]
    logins = has_role(Role.STAFF)  # decisions only for logins, as on /beslut/
    found = search_service.search(get_session(), query, with_decisions=logins)
    results = found if query else None
    return render_template(
        "search/index.html", query=query, results=results, kind_labels=KIND_LABELS
    )
