"""Choosing one's own password: "Forgot your password?" and set-password links."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker import clock
from tracker.auth import open_session, public
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.auth import ForgotPasswordForm, SetPasswordForm
from tracker.forms.common import attach_error
from tracker.services.accounts import links
from tracker.views.auth import passwords_allowed, throttle

bp = Blueprint("accounts", __name__, url_prefix="/password")
# the route below, for the links that leave the app in e-mails
SET_PASSWORD_PATH = "/password/set/"  # noqa: S105 - a path, not a password
LINK_STATUS = {"invalid": 404, "expired": 410, "used": 410}


def link_settings() -> links.LinkSettings:
    """Signing key, addresses and clock for set-password links."""
    config = current_app.config
    base = str(config["PUBLIC_URL"]).rstrip("/")
    return links.LinkSettings(
        secret=str(config["SECRET_KEY"]),
        set_password_url=base + SET_PASSWORD_PATH,
        login_url=base + "/login",
        passwords=passwords_allowed(),
        now=clock.now(),
    )


@bp.route("/forgot", methods=["GET", "POST"])
@public
def forgot() -> ResponseReturnValue:
    """Ask for a link to choose a new password (never says whether the address
    has a login)."""
    if not passwords_allowed():
        abort(404)
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        db = get_session()
        links.send_reset_link(
            db,
            form.email.data or "",
            link_settings(),
            remote_addr=request.remote_addr or "",
            throttle=throttle(),
        )
        db.commit()
        flash(
            _(
                "If %(email)s has a login here, a link to choose a new password is on "
                "its way. The link is valid for 72 hours.",
                email=form.email.data,
            ),
            "success",
        )
        return redirect(url_for("auth.login"))
    return render_template("auth/forgot.html", form=form)


@bp.route("/set/<token>", methods=["GET", "POST"])
@public
def set_password(token: str) -> ResponseReturnValue:
    """Choose a password with a link from an e-mail, then be logged in."""
    if not passwords_allowed():
        abort(404)
    db = get_session()
    settings = link_settings()
    try:
        person = links.person_for_link(db, settings, token[:1000])
    except DomainError as error:
        page = render_template("auth/link_dead.html", message=str(error))
        return _private(page, LINK_STATUS.get(error.field or "", 404))
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            links.set_password_from_link(db, settings, token, form.password.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            open_session(db, person)
            flash(_("Your password is saved and you are logged in."), "success")
            return redirect(url_for("overview.index"))
    page = render_template("auth/set_password.html", form=form, person=person)
    return _private(page, 200)


def _private(page: str, status: int) -> Response:
    # the address holds a key to the account: no cache may keep the page
    response = make_response(page, status)
    response.headers["Cache-Control"] = "no-store"
    return response
