"""Public pages: the accessibility statement."""

from __future__ import annotations

from flask import Blueprint, render_template

from tracker.auth import public
from tracker.i18n import current_language

bp = Blueprint("pages", __name__)


@bp.get("/tillganglighet")
@public
def accessibility() -> str:
    """The accessibility statement (tillgänglighetsredogörelse)."""
    language = "sv" if current_language() == "sv" else "en"
    return render_template(f"pages/accessibility_{language}.html")
