"""Administration: logins (invited to choose their own password), roles and the
vocabularies."""

from __future__ import annotations

from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tracker.auth import current_person, require_role, stay_logged_in
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.common import EmptyForm, attach_error
from tracker.forms.people import RoleForm, TermForm, UserForm
from tracker.models.people import Competence, Department, Person, Role
from tracker.services import people
from tracker.services.accounts import logins
from tracker.services.programme import stages
from tracker.views.accounts import link_settings
from tracker.views.people import profile_values

bp = Blueprint("admin", __name__, url_prefix="/admin")
VOCABULARIES: dict[str, type[Department] | type[Competence]] = {
    "departments": Department,
    "competences": Competence,
}


@bp.get("/users")
@require_role(Role.ADMIN)
def users() -> str:
    """Everyone with a login, their roles and whether they have logged in yet."""
    rows = logins.list_logins(get_session())
    forms = {r.person.id: RoleForm(prefix=f"p{r.person.id}") for r in rows}
    for row in rows:
        forms[row.person.id].role.data = row.person.role.value
    return render_template(
        "admin/users.html", rows=rows, forms=forms, action_form=EmptyForm()
    )


@bp.route("/users/new", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def new_user() -> ResponseReturnValue:
    """Create a login, or give one to someone already in the register; either way
    an invitation to choose a password goes out."""
    db = get_session()
    form = UserForm()
    form.set_choices(db)
    candidates = []
    if form.validate_on_submit():
        candidates = logins.candidates(db, form.name.data or "", form.email.data)
        if not candidates or form.confirm_new.data:
            try:
                logins.create_login(
                    db,
                    current_person(),
                    profile_values(form),
                    Role(form.role.data),
                    link_settings(),
                )
            except DomainError as error:
                attach_error(form, error)
            else:
                db.commit()
                flash(_("The login was created and the invitation sent."), "success")
                return redirect(url_for("admin.users"))
    return render_template(
        "admin/user_form.html",
        form=form,
        candidates=candidates,
        grant_form=RoleForm(formdata=None, role=form.role.data),
    )


@bp.post("/users/<int:person_id>/login")
@require_role(Role.ADMIN)
def grant_login(person_id: int) -> ResponseReturnValue:
    """Give a person already in the register a login, with an invitation."""
    db = get_session()
    person = get_or_404(db, Person, person_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        logins.grant_login(
            db, current_person(), person, Role(form.role.data), link_settings()
        )
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.new_user"))
    db.commit()
    flash(_("%(name)s got a login and an invitation.", name=person.name), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:person_id>/invite")
@require_role(Role.ADMIN)
def send_invitation(person_id: int) -> ResponseReturnValue:
    """Send a login a new invitation link."""
    return _login_action(
        person_id,
        lambda db, _actor, person: logins.send_invitation(db, person, link_settings()),
        lambda person: _("A new invitation went to %(name)s.", name=person.name),
    )


@bp.post("/users/<int:person_id>/switch-off")
@require_role(Role.ADMIN)
def switch_off(person_id: int) -> ResponseReturnValue:
    """Switch a login off: every session it has ends at once."""
    return _login_action(
        person_id,
        logins.switch_off,
        lambda person: _("The login of %(name)s is switched off.", name=person.name),
    )


@bp.post("/users/<int:person_id>/switch-on")
@require_role(Role.ADMIN)
def switch_on(person_id: int) -> ResponseReturnValue:
    """Let a switched-off login log in again."""
    return _login_action(
        person_id,
        logins.switch_on,
        lambda person: _("The login of %(name)s is switched on.", name=person.name),
    )


def _login_action(
    person_id: int,
    action: Callable[[Session, Person, Person], None],
    message: Callable[[Person], str],
) -> ResponseReturnValue:
    """Run one of the buttons of the list of logins."""
    db = get_session()
    person = get_or_404(db, Person, person_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        action(db, current_person(), person)
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(message(person), "success")
    return redirect(url_for("admin.users"))


@bp.post("/users/<int:person_id>/role")
@require_role(Role.ADMIN)
def set_role(person_id: int) -> ResponseReturnValue:
    """Change a login's role; every session of that login ends."""
    db = get_session()
    person = get_or_404(db, Person, person_id)
    form = RoleForm(prefix=f"p{person.id}")
    if not form.validate_on_submit():
        abort(400)
    people.set_role(db, current_person(), person, Role(form.role.data))
    db.commit()
    if person.id == current_person().id:
        stay_logged_in(person)  # an admin changing their own role keeps this browser
    flash(_("The role of %(name)s was changed.", name=person.name), "success")
    return redirect(url_for("admin.users"))


@bp.route("/vocabularies/<kind>", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def vocabulary(kind: str) -> ResponseReturnValue:
    """List and add departments or competences."""
    model = VOCABULARIES.get(kind)
    if model is None:
        abort(404)
    db = get_session()
    form = TermForm()
    if form.validate_on_submit():
        try:
            people.add_term(db, model, form.name.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("Added."), "success")
            return redirect(url_for("admin.vocabulary", kind=kind))
    terms = (
        people.list_departments(db)
        if model is Department
        else people.list_competences(db)
    )
    return render_template(
        "admin/vocabulary.html",
        kind=kind,
        terms=terms,
        form=form,
        stages=stages.list_stages(db),
    )
