"""Public pages: the accessibility statement, the health check and the favicon."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from flask import Blueprint, current_app, render_template
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


@bp.get("/favicon.ico")
@public
def favicon() -> Response:
    """The icon browsers ask for at the root, whatever the page links."""
    assert current_app.static_folder  # noqa: S101 - tracker/static ships with the app
    response = Response(_icon(current_app.static_folder), mimetype="image/x-icon")
    response.cache_control.public = True
    response.cache_control.max_age = 86_400
    return response


@cache
def _icon(folder: str) -> bytes:
    # 170 bytes read once: no open file handed to the server per request
    return (Path(folder) / "favicon.ico").read_bytes()
