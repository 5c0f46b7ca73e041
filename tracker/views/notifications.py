"""Notiser: what happened in what I follow, the unread count, e-mail settings."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.auth import current_person, public, require_role
from tracker.db import get_session
from tracker.forms.common import EmptyForm
from tracker.forms.notifications import NotificationSettingsForm
from tracker.labels import object_type
from tracker.models.notifications import EmailSchedule, FollowTarget
from tracker.models.people import Person, Role
from tracker.page_cache import fragment, reader_part, render_macro, role_part
from tracker.services.attention import follows, notifications, tokens, wording

bp = Blueprint("notifications", __name__)
PARTS = "notifications/_parts.html"


@bp.get("/notiser/")
@require_role(Role.STAFF)
def index() -> str:
    """What happened in what I follow, newest first."""
    db = get_session()
    person = current_person()
    offset = max(request.args.get("fran", 0, type=int), 0)
    rows = notifications.page(db, person.id, offset=offset)
    return render_template(
        "notifications/index.html",
        lines=[wording.describe(row) for row in rows[: notifications.PAGE_SIZE]],
        older=offset + notifications.PAGE_SIZE
        if len(rows) > notifications.PAGE_SIZE
        else None,
        followed=follows.listing(db, person.id),
        nouns={
            FollowTarget.PLAN: object_type("ActionPlan"),
            FollowTarget.ASSIGNMENT: object_type("Assignment"),
            FollowTarget.GROUP: object_type("WorkingGroup"),
        },
        action_form=EmptyForm(),
    )


@bp.post("/notiser/las")
@require_role(Role.STAFF)
def mark_all_read() -> ResponseReturnValue:
    """Mark every notification as read."""
    return _mark_read(None)


@bp.post("/notiser/<int:notification_id>/las")
@require_role(Role.STAFF)
def mark_read(notification_id: int) -> ResponseReturnValue:
    """Mark one of my notifications as read."""
    if (
        notifications.get_for(get_session(), current_person().id, notification_id)
        is None
    ):
        abort(404)
    return _mark_read(notification_id)


def _mark_read(notification_id: int | None) -> ResponseReturnValue:
    if not EmptyForm().validate_on_submit():
        abort(400)
    db = get_session()
    notifications.mark_read(
        db, current_person().id, now=clock.now(), notification_id=notification_id
    )
    db.commit()
    flash(
        _("All notifications are marked as read.")
        if notification_id is None
        else _("The notification is marked as read."),
        "success",
    )
    return redirect(url_for("notifications.index"))


@bp.post("/notiser/installningar")
@require_role(Role.STAFF)
def save_settings() -> ResponseReturnValue:
    """Choose how often e-mail comes about what I follow."""
    form = NotificationSettingsForm()
    if form.validate_on_submit():
        db = get_session()
        notifications.save_settings(
            db,
            current_person(),
            schedule=EmailSchedule(form.schedule.data),
            open_calls=bool(form.open_calls.data),
        )
        db.commit()
        flash(_("Your e-mail settings were saved."), "success")
    else:
        flash(_("Choose how often you want e-mail."), "error")
    return redirect(url_for("me.profile") + "#notification-settings")


@bp.get("/avregistrera/<token>")
@public
def unsubscribe(token: str) -> str:
    """Ask before stopping the e-mail (a link prefetcher must not unsubscribe)."""
    person = _person_or_404(token)
    return render_template(
        "notifications/unsubscribe.html", person=person, done=False, token=token
    )


@bp.post("/avregistrera/<token>")
@public
def unsubscribe_one_click(token: str) -> str:
    """Stop e-mail about what one follows (RFC 8058 one-click: no login, no CSRF).

    Exempt from CSRF by design: the signed token in the address is the proof, and a
    mail program posts "List-Unsubscribe=One-Click" here without any page.
    """
    person = _person_or_404(token)
    db = get_session()
    current = notifications.settings_of(db, person.id, default=_default_schedule())
    notifications.save_settings(
        db, person, schedule=EmailSchedule.NEVER, open_calls=current.open_calls
    )
    db.commit()
    return render_template(
        "notifications/unsubscribe.html", person=person, done=True, token=token
    )


def _person_or_404(token: str) -> Person:
    person = tokens.person_for_unsubscribe_token(
        get_session(), token, secret_key=str(current_app.config["SECRET_KEY"])
    )
    if person is None:
        abort(404)
    return person


def _default_schedule() -> EmailSchedule:
    return EmailSchedule(current_app.config["NOTIFICATIONS"]["DEFAULT_SCHEDULE"])


def unread_part(_argument: str) -> str:
    """The header's link to Notiser with the reader's unread count."""
    if not current_user.is_authenticated:
        return ""
    if "unread_notifications" in g:  # read with the login (tracker.auth)
        count = int(g.unread_notifications or 0)
    else:
        count = notifications.unread_count(get_session(), current_user.id)
    return render_macro(PARTS, "unread_link", count=count)


def settings_part(_argument: str) -> str:
    """The e-mail settings form on the profile page."""
    row = notifications.settings_of(
        get_session(), current_person().id, default=_default_schedule()
    )
    form = NotificationSettingsForm(
        formdata=None, schedule=row.schedule.value, open_calls=row.open_calls
    )
    return render_macro(PARTS, "settings_form", form=form)


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    from tracker.extensions import csrf  # exempt from it by design

    csrf.exempt(unsubscribe_one_click)
    state.app.jinja_env.globals["reader_part"] = reader_part
    state.app.jinja_env.globals["role_part"] = role_part
    state.app.jinja_env.globals["fragment"] = fragment
    parts = state.app.extensions.setdefault("tracker.reader_parts", {})
    parts.update(unread=unread_part, notification_settings=settings_part)
