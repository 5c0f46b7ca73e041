"""The people directory, person pages and leadership's external participants."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import clock
from tracker.auth import current_person, current_reader, has_role, require_role
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.common import attach_error
from tracker.forms.people import (
    ExternalPersonForm,
    ProfileForm,
    PublicationConsentForm,
)
from tracker.models.people import Competence, Department, Person, Role
from tracker.services import activity, groups, people
from tracker.services.privacy import consent
from tracker.services.programme import assignments

bp = Blueprint("people", __name__, url_prefix="/people")


@bp.get("/", endpoint="list")
@require_role(Role.STAFF)
def list_people() -> str:
    """The people directory with name and department filters."""
    db = get_session()
    query = request.args.get("q", "")[:100]
    department = request.args.get("department", "")
    department_id = (
        int(department) if department.isdigit() and len(department) < 10 else None
    )
    return render_template(
        "people/list.html",
        people=people.directory(db, query=query, department_id=department_id),
        departments=people.list_departments(db),
        query=query,
        department_id=department_id,
    )


@bp.get("/<int:person_id>")
@require_role(Role.STAFF)
def show(person_id: int) -> str:
    """A person's groups and assignments."""
    db = get_session()
    person = get_or_404(db, Person, person_id)
    return render_template(
        "people/show.html",
        person=person,
        memberships=groups.groups_of(db, person),
        assignments=assignments.assignments_of(db, person),
        can_edit=has_role(Role.LEADERSHIP),
        named=consent.may_publish_name(person),
        consent_form=PublicationConsentForm(
            consent=person.publication_consent_on is not None,
            given_on=person.publication_consent_on or clock.today(),
        ),
        **_history(person),
    )


def _history(person: Person) -> dict[str, Any]:
    """The person's audit history (admins): the newest rows, all on ?historik=alla."""
    if not has_role(Role.ADMIN):
        return {"history": [], "more_history": False}
    db, reader = get_session(), current_reader()
    rows, more = activity.newest(
        lambda n: activity.history_of(db, "Person", person.id, reader, limit=n),
        request.args.get("historik") == "alla",
    )
    return {"history": rows, "more_history": more}


@bp.post("/<int:person_id>/publicering")
@require_role(Role.LEADERSHIP)
def publication_consent(person_id: int) -> ResponseReturnValue:
    """Record or withdraw an external participant's consent to be published."""
    db = get_session()
    person = get_or_404(db, Person, person_id)
    form = PublicationConsentForm()
    if not form.validate_on_submit():
        flash(_("Write the date as YYYY-MM-DD."), "error")
        return redirect(url_for("people.show", person_id=person.id))
    given_on = (form.given_on.data or clock.today()) if form.consent.data else None
    try:
        consent.record_publication_consent(db, current_person(), person, given_on)
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("The consent to publication was saved."), "success")
    return redirect(url_for("people.show", person_id=person.id))


@bp.route("/external/new", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def new_external() -> ResponseReturnValue:
    """Add a citizen or partner (no login) with their consent recorded."""
    db = get_session()
    form = ExternalPersonForm()
    form.set_choices(db)
    if form.validate_on_submit():
        try:
            person = people.create_person(
                db,
                current_person(),
                profile_values(form),
                external=True,
                consent_on=form.consent_on.data,
                consent_note=form.consent_note.data or "",
                publication_consent_on=form.consent_on.data
                if form.publication_consent.data
                else None,
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The participant was added."), "success")
            return redirect(url_for("people.show", person_id=person.id))
    return render_template("people/external_form.html", form=form)


def profile_values(form: ProfileForm) -> people.PersonValues:
    """PersonValues from a profile form."""
    db = get_session()
    department = (
        get_or_404(db, Department, form.department_id.data)
        if form.department_id.data
        else None
    )
    return people.PersonValues(
        name=form.name.data or "",
        email=form.email.data,
        department=department,
        competences=[
            get_or_404(db, Competence, cid) for cid in form.competence_ids.data or []
        ],
        years_experience=form.years_experience.data,
        trello_username=form.trello_username.data,
        # externals have no choice of their own: leadership records their consent
        digest_opt_out=bool(form.digest_opt_out.data) if form.digest_opt_out else False,
    )
