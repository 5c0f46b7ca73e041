"""Mina sidor: my groups, my assignments, my profile."""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    Response,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import clock
from tracker.auth import current_person, require_role
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.common import EmptyForm, attach_error
from tracker.forms.people import ProfileForm
from tracker.models.people import Role
from tracker.services import groups, people, privacy
from tracker.services.programme import assignments
from tracker.services.recruitment import applications
from tracker.views.overview import my_needs
from tracker.views.people import profile_values

bp = Blueprint("me", __name__, url_prefix="/me")


@bp.get("/")
@require_role(Role.STAFF)
def index() -> str:
    """My to-do list by date, my groups, assignments and applications."""
    db = get_session()
    person = current_person()
    rows = applications.my_rows(db, person)
    return render_template(
        "me/index.html",
        person=person,
        todo=my_needs(person),
        memberships=groups.groups_of(db, person),
        assignments=assignments.assignments_of(db, person),
        applications=rows,
        undo_row=_just_withdrawn(rows),
        action_form=EmptyForm(),
    )


def _just_withdrawn(rows: list[applications.MyRow]) -> applications.MyRow | None:
    """The application just withdrawn (named in the address), while it may be undone."""
    withdrawn_id = request.args.get("aterkallad", type=int)
    return next(
        (r for r in rows if r.application.id == withdrawn_id and r.can_undo), None
    )


@bp.get("/data.json")
@require_role(Role.STAFF)
def export() -> Response:
    """Download everything the tracker holds about me, as JSON."""
    data = privacy.export(get_session(), current_person(), now=clock.now())
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        mimetype="application/json",
        headers={"Content-Disposition": "attachment; filename=mina-uppgifter.json"},
    )


@bp.route("/profile", methods=["GET", "POST"])
@require_role(Role.STAFF)
def profile() -> ResponseReturnValue:
    """Edit my own profile."""
    db = get_session()
    person = current_person()
    form = ProfileForm(
        obj=person,
        department_id=person.department_id,
        competence_ids=[c.id for c in person.competences],
    )
    form.set_choices(db)
    if form.validate_on_submit():
        try:
            people.update_profile(db, person, person, profile_values(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("Your profile was saved."), "success")
            return redirect(url_for("me.index"))
    return render_template("me/profile.html", form=form)
