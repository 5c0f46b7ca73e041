"""Public pages: the accessibility statement and the health check."""

from __future__ import annotations

from flask import Blueprint, render_template
from werkzeug.wrappers import Response

from tracker.auth import public
from tracker.i18n import current_language

bp = Blueprint("pages", __name__)


@bp.get("/tillganglighet")
@public
def accessibility() -> str:
    """The accessibility statement (tillgänglighetsredogörelse)."""
    language = "sv" if current_language() == "sv" else "en"
    return render_template(f"pages/accessibility_{language}.html")


@bp.get("/healthz")
@public
def healthz() -> Response:
    """A trivial answer for load balancers (and the load benchmark's baseline)."""
    return Response("ok", mimetype="text/plain")
