"""Login, logout, password and language."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import logout_user

from tracker import clock, oidc
from tracker.auth import (
    current_person,
    open_session,
    public,
    redirect_to_next,
    require_role,
    safe_next,
    session_key,
    stay_logged_in,
)
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.auth import ChangePasswordForm, LoginForm
from tracker.forms.common import EmptyForm, LanguageForm, attach_error
from tracker.models.people import Role
from tracker.services import people
from tracker.services.accounts import login as password_login
from tracker.services.accounts import sessions

bp = Blueprint("auth", __name__)


def passwords_allowed() -> bool:
    """Whether local passwords are on ([OIDC] ALLOW_PASSWORDS)."""
    return bool(current_app.config["OIDC"]["ALLOW_PASSWORDS"])


def throttle() -> password_login.Throttle:
    """The login limits of the configuration (also used for link requests)."""
    config = current_app.config
    return password_login.Throttle(
        per_account=config["LOGIN_MAX_FAILURES"],
        per_address=config["LOGIN_MAX_FAILURES_PER_ADDRESS"],
        window=timedelta(minutes=config["LOGIN_FAILURE_WINDOW_MINUTES"]),
    )


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    """Log in with e-mail and password (throttled), or through single sign-on."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        outcome = _check_password(form)
        if not isinstance(outcome, int):
            return outcome
        status = outcome
    return render_template(
        "auth/login.html",
        form=form,
        passwords=passwords_allowed(),
        sso=oidc.enabled(),
        next=safe_next(request.args.get("next")),
    ), status


def _check_password(form: LoginForm) -> ResponseReturnValue | int:
    """Log in with the form's e-mail and password, or say why not (the status)."""
    if not passwords_allowed():
        form.form_errors.append(_("Log in with your organisation account."))
        return 403
    db = get_session()
    try:
        person = password_login.authenticate(
            db,
            form.email.data or "",
            form.password.data or "",
            remote_addr=request.remote_addr or "",
            now=clock.now(),
            throttle=throttle(),
        )
    except DomainError as error:
        db.commit()  # keep the failure count
        form.form_errors.append(str(error))
        return 429 if error.field == "throttled" else 200
    open_session(db, person)
    flash(_("You are logged in."), "success")
    return redirect_to_next("overview.index")


@bp.post("/logout")
@require_role(Role.STAFF)
def logout() -> ResponseReturnValue:
    """Log out: this browser's session ends (with single sign-on, the provider's
    session too); other browsers stay logged in."""
    if not EmptyForm().validate_on_submit():
        return redirect(url_for("auth.login"))
    db = get_session()
    id_token = sessions.end_session(db, session_key())
    db.commit()
    logout_user()
    session.clear()
    flash(_("You are logged out."), "success")
    if id_token and oidc.enabled() and (provider := oidc.logout_url(id_token)):
        return redirect(provider)
    return redirect(url_for("auth.login"))


@bp.post("/logout/everywhere")
@require_role(Role.STAFF)
def logout_everywhere() -> ResponseReturnValue:
    """End my sessions in every other browser; this one stays logged in."""
    if EmptyForm().validate_on_submit():
        db = get_session()
        person = current_person()
        sessions.end_other_sessions(db, person, session_key())
        db.commit()
        stay_logged_in(person)
        flash(_("You are logged out everywhere else."), "success")
    return redirect(url_for("me.index"))


@bp.route("/password", methods=["GET", "POST"])
@require_role(Role.STAFF)
def change_password() -> ResponseReturnValue:
    """Change one's own password; every other session ends."""
    if not passwords_allowed():
        abort(404)
    form = ChangePasswordForm()
    if form.validate_on_submit():
        db = get_session()
        person = current_person()
        try:
            people.change_password(person, form.current.data or "", form.new.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            sessions.end_other_sessions(db, person, session_key())
            db.commit()
            stay_logged_in(person)
            flash(_("Your password was changed."), "success")
            return redirect(url_for("me.index"))
    return render_template("auth/password.html", form=form)


@bp.post("/language")
@public
def language() -> ResponseReturnValue:
    """Switch the interface language for this browser session."""
    form = LanguageForm()
    if form.validate_on_submit():
        session["lang"] = form.lang.data
        with force_locale(form.lang.data):  # told in the language just chosen
            flash(_("The language was changed."), "success")
    return redirect(safe_next(form.next.data) or url_for("overview.index"))
