"""The admins' outbox: every e-mail the tracker has queued, sent or not."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from tracker.auth import require_role
from tracker.db import get_session
from tracker.models.people import Role
from tracker.services import mail

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.get("/")
@require_role(Role.ADMIN)
def list_messages() -> str:
    """What was (or, without SMTP, would have been) sent."""
    return render_template(
        "outbox/list.html",
        messages=mail.recent(get_session()),
        smtp_configured=bool(current_app.config["SMTP"].get("HOST")),
    )
