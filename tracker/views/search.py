"""Search over plans, assignments and groups."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from tracker.auth import require_role
from tracker.db import get_session
from tracker.models.people import Role
from tracker.services import search as search_service

bp = Blueprint("search", __name__, url_prefix="/search")


@bp.get("/")
@require_role(Role.STAFF)
def index() -> str:
    """Results for ?q=."""
    query = request.args.get("q", "").strip()[:200]
    results = search_service.search(get_session(), query) if query else None
    return render_template("search/index.html", query=query, results=results)
