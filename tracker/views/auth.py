"""Login, logout, password and language."""

from __future__ import annotations

from datetime import timedelta

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from tracker import clock
from tracker.auth import (
    current_person,
    public,
    redirect_to_next,
    require_role,
    safe_next,
)
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.auth import ChangePasswordForm, LoginForm
from tracker.forms.common import EmptyForm, LanguageForm, attach_error
from tracker.models.people import Role
from tracker.services import people

bp = Blueprint("auth", __name__)


@bp.route("/login", methods=["GET", "POST"])
@public
def login() -> ResponseReturnValue:
    """Log in with e-mail and password; throttled after repeated failures."""
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        db = get_session()
        try:
            person = people.authenticate(
                db,
                form.email.data or "",
                form.password.data or "",
                remote_addr=request.remote_addr or "",
                now=clock.now(),
                max_failures=current_app.config["LOGIN_MAX_FAILURES"],
                window=timedelta(
                    minutes=current_app.config["LOGIN_FAILURE_WINDOW_MINUTES"]
                ),
            )
        except DomainError as error:
            db.commit()  # keep the failure count
            form.form_errors.append(str(error))
            status = 429 if error.field == "throttled" else 200
        else:
            db.commit()
            session.clear()
            login_user(person)
            flash(_("You are logged in."), "success")
            return redirect_to_next("overview.index")
    return render_template("auth/login.html", form=form), status


@bp.post("/logout")
@require_role(Role.STAFF)
def logout() -> ResponseReturnValue:
    """Log out."""
    if EmptyForm().validate_on_submit():
        logout_user()
        session.clear()
        flash(_("You are logged out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@require_role(Role.STAFF)
def change_password() -> ResponseReturnValue:
    """Change one's own password."""
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            people.change_password(
                current_person(), form.current.data or "", form.new.data or ""
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            get_session().commit()
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
    return redirect(safe_next(form.next.data) or url_for("overview.index"))
