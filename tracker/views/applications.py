"""Sign-ups and applications: open calls, applying, editing, withdrawing, receipts."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import clock
from tracker.auth import current_person, has_role, require_role
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.applications import ApplicationForm, InviteForm
from tracker.forms.common import EmptyForm, attach_error
from tracker.models.applications import Application
from tracker.models.people import Competence, Department, Person, Role
from tracker.services import groups, people
from tracker.services.recruitment import applications, invitations
from tracker.services.selection import report as selection_report
from tracker.services.selection import runs as selection_runs

bp = Blueprint("applications", __name__, url_prefix="/anmalningar")


@bp.get("/")
@require_role(Role.STAFF)
def open_calls() -> str:
    """Every group recruiting now."""
    return render_template(
        "applications/open_calls.html", groups=groups.recruiting(get_session())
    )


@bp.route("/<slug>/ansok", methods=["GET", "POST"])
@require_role(Role.STAFF)
def apply(slug: str) -> ResponseReturnValue:
    """Apply to an open call, or sign up to a first-come group."""
    db = get_session()
    group = groups.get_by_slug(db, slug) or abort(404)
    person = current_person()
    form = ApplicationForm(
        department_id=person.department_id,
        competence_ids=[c.id for c in person.competences],
        years_experience=person.years_experience,
    )
    form.set_choices(db)
    if form.validate_on_submit():
        try:
            applications.apply(db, group, person, _values(form), today=clock.today())
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("Your application was received."), "success")
            return redirect(url_for("me.index") + "#my-applications")
    return render_template(
        "applications/form.html", form=form, group=group, application=None
    )


@bp.route("/<int:application_id>/andra", methods=["GET", "POST"])
@require_role(Role.STAFF)
def edit(application_id: int) -> ResponseReturnValue:
    """Change my application before the deadline."""
    db = get_session()
    application = _own(application_id)
    form = ApplicationForm(
        obj=application,
        department_id=_department_id(application),
        former_department_ids=_former_department_ids(application),
        competence_ids=_competence_ids(application),
    )
    form.set_choices(db)
    if form.validate_on_submit():
        try:
            applications.update_application(
                db, application, _values(form), today=clock.today()
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("Your application was saved."), "success")
            return redirect(url_for("me.index") + "#my-applications")
    return render_template(
        "applications/form.html",
        form=form,
        group=application.group,
        application=application,
    )


@bp.post("/<int:application_id>/aterkalla")
@require_role(Role.STAFF)
def withdraw(application_id: int) -> ResponseReturnValue:
    """Withdraw my application."""
    db = get_session()
    application = _own(application_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        applications.withdraw(db, application, today=clock.today())
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("Your application was withdrawn."), "success")
        # My pages offers "Undo" beside the message while the call takes changes
        return redirect(
            url_for("me.index", aterkallad=application.id) + "#my-applications"
        )
    return redirect(url_for("me.index") + "#my-applications")


@bp.post("/<int:application_id>/angra")
@require_role(Role.STAFF)
def undo_withdrawal(application_id: int) -> ResponseReturnValue:
    """Undo my withdrawal: the application is sent again until the deadline."""
    db = get_session()
    application = _own(application_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        undone = applications.undo_withdrawal(db, application, today=clock.today())
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        status = applications.status_label(application.status)
        message = (
            _("Your withdrawal was undone: %(status)s.", status=status)
            if undone
            else _("Nothing to undo: %(status)s.", status=status)
        )
        flash(message, "success")
    return redirect(url_for("me.index") + "#my-applications")


@bp.get("/<int:application_id>/kvitto")
@require_role(Role.STAFF)
def receipt(application_id: int) -> str:
    """The applicant's receipt: criteria, own chances, seed, outcome."""
    db = get_session()
    application = get_or_404(db, Application, application_id)
    if application.person_id != current_person().id and not has_role(Role.LEADERSHIP):
        abort(404)
    run = selection_runs.latest_run(db, application.group, confirmed=True)
    row = None
    if run is not None:
        rows = selection_report.candidate_rows(run)
        row = next((r for r in rows if r.id == application.id), None)
    return render_template(
        "applications/receipt.html",
        application=application,
        status=applications.status_label(application.status),
        run=run,
        row=row,
        criteria=selection_report.criteria_summary(run) if run else None,
    )


def _own(application_id: int) -> Application:
    application = get_or_404(get_session(), Application, application_id)
    if application.person_id != current_person().id:
        abort(404)
    return application


def _values(form: ApplicationForm) -> applications.ApplicationValues:
    db = get_session()
    department = (
        db.get(Department, form.department_id.data) if form.department_id.data else None
    )
    chosen = [db.get(Competence, cid) for cid in form.competence_ids.data or []]
    former = [db.get(Department, i) for i in form.former_department_ids.data or []]
    return applications.ApplicationValues(
        department=department,
        competences=[c for c in chosen if c is not None],
        former_departments=[d for d in former if d is not None],
        years_experience=form.years_experience.data,
        motivation=form.motivation.data or "",
    )


def _department_id(application: Application) -> int | None:
    by_name = {d.name: d.id for d in people.list_departments(get_session())}
    return by_name.get(application.department)


def _former_department_ids(application: Application) -> list[int]:
    by_name = {d.name: d.id for d in people.list_departments(get_session())}
    return [by_name[n] for n in application.former_departments if n in by_name]


def _competence_ids(application: Application) -> list[int]:
    by_name = {c.name: c.id for c in people.list_competences(get_session())}
    return [by_name[n] for n in application.competences if n in by_name]


def applicant_name(application: Application) -> str:
    """The applicant's name, or a neutral label once anonymised."""
    person: Person | None = application.person
    return person.name if person else _("Anonymised applicant")


@bp.post("/<slug>/bjud-in")
@require_role(Role.LEADERSHIP)
def invite(slug: str) -> ResponseReturnValue:
    """Invite a named person to the group."""
    db = get_session()
    group = groups.get_by_slug(db, slug) or abort(404)
    form = InviteForm()
    if not form.validate_on_submit():
        flash(_("Write the name or e-mail address of the person to invite."), "error")
        return redirect(url_for("groups.show", slug=group.slug))
    try:
        person = people.resolve(db, form.person.data or "")
        invitations.invite(
            db, current_person(), group, person, message=form.message.data or ""
        )
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("The invitation was sent."), "success")
    return redirect(url_for("groups.show", slug=group.slug))


@bp.post("/<int:application_id>/svar/<answer>")
@require_role(Role.STAFF)
def answer(application_id: int, answer: str) -> ResponseReturnValue:
    """Accept or decline my invitation."""
    db = get_session()
    invitation = _own(application_id)
    if answer not in ("accept", "decline"):
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        invitations.answer(
            db, invitation, accept=answer == "accept", today=clock.today()
        )
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("Thank you for your answer."), "success")
    return redirect(url_for("me.index") + "#my-applications")
