"""The admins' outbox: every e-mail the tracker has queued, sent or not."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from tracker.auth import require_role
from tracker.db import get_session
from tracker.models.people import Role
from tracker.services import mail
from tracker.services.accounts.links import hide_links

bp = Blueprint("outbox", __name__, url_prefix="/admin/outbox")


@bp.get("/")
@require_role(Role.ADMIN)
def list_messages() -> str:
    """What was (or, without SMTP, would have been) sent."""
    messages = mail.recent(get_session())
    smtp_configured = bool(current_app.config["SMTP"].get("HOST"))
    # With SMTP the mail goes out by itself: an admin never needs someone's
    # set-password link, and must not be able to use it. Without SMTP the admin
    # passes the messages on, links included.
    bodies = {m.id: hide_links(m.body) if smtp_configured else m.body for m in messages}
    return render_template(
        "outbox/list.html",
        messages=messages,
        bodies=bodies,
        smtp_configured=smtp_configured,
    )
