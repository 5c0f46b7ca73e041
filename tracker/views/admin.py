"""Administration: logins, roles and the vocabularies."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker.auth import current_person, require_role
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.common import attach_error
from tracker.forms.people import RoleForm, TermForm, UserForm
from tracker.models.people import Competence, Department, Person, Role
from tracker.services import people
from tracker.services.programme import stages
from tracker.views.people import profile_values

bp = Blueprint("admin", __name__, url_prefix="/admin")
VOCABULARIES: dict[str, type[Department] | type[Competence]] = {
    "departments": Department,
    "competences": Competence,
}


@bp.get("/users")
@require_role(Role.ADMIN)
def users() -> str:
    """Everyone with a login, and their roles."""
    db = get_session()
    logins = [p for p in people.directory(db) if p.password_hash is not None]
    forms = {p.id: RoleForm(prefix=f"p{p.id}", role=p.role.value) for p in logins}
    return render_template("admin/users.html", logins=logins, forms=forms)


@bp.route("/users/new", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def new_user() -> ResponseReturnValue:
    """Create a login."""
    db = get_session()
    form = UserForm()
    form.set_choices(db)
    if form.validate_on_submit():
        try:
            people.create_person(
                db,
                current_person(),
                profile_values(form),
                role=Role(form.role.data),
                password=form.password.data,
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The login was created."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form)


@bp.post("/users/<int:person_id>/role")
@require_role(Role.ADMIN)
def set_role(person_id: int) -> ResponseReturnValue:
    """Change a login's role."""
    db = get_session()
    person = get_or_404(db, Person, person_id)
    form = RoleForm(prefix=f"p{person.id}")
    if not form.validate_on_submit():
        abort(400)
    people.set_role(db, current_person(), person, Role(form.role.data))
    db.commit()
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
