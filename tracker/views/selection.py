"""Leadership's selection for an open call, and the verify page for everyone."""

from __future__ import annotations

import secrets

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import clock
from tracker.auth import current_person, require_role
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.applications import ConfirmSelectionForm, SelectionForm, SwapForm
from tracker.forms.common import attach_error, to_choices
from tracker.models.applications import Application, SelectionRun
from tracker.models.groups import WorkingGroup
from tracker.models.people import Role
from tracker.services import activity, groups
from tracker.services.recruitment import (
    application_list,
    applications,
    participation,
)
from tracker.services.selection import confirmation
from tracker.services.selection import report as selection_report
from tracker.services.selection import runs as selection_runs
from tracker.views.plans import csv_download

bp = Blueprint("selection", __name__, url_prefix="/anmalningar")


@bp.route("/<slug>/urval", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def select(slug: str) -> ResponseReturnValue:
    """Make a proposal for an open call and show its coverage and chances."""
    db = get_session()
    group = groups.get_by_slug(db, slug) or abort(404)
    pending = selection_runs.candidates_of(db, group)
    names = _names(group)
    form = SelectionForm(seed=secrets.randbelow(1_000_000))
    form.set_choices([(c.id, names.get(c.id, str(c.id))) for c in pending])
    if form.validate_on_submit():
        choices = selection_runs.Choices(
            seed=form.seed.data or 0,
            department_max=form.department_max.data,
            pinned=frozenset(form.pinned.data or []),
            excluded=frozenset(form.excluded.data or []),
        )
        try:
            selection_runs.run_selection(
                db,
                current_person(),
                group,
                choices,
                current_app.config["RECRUITMENT"],
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            return redirect(url_for("selection.select", slug=group.slug))
    return _render(group, form, names)


@bp.post("/urval/<int:run_id>/byt")
@require_role(Role.LEADERSHIP)
def swap(run_id: int) -> ResponseReturnValue:
    """Replace one selected applicant by another, with a written reason."""
    db = get_session()
    run = get_or_404(db, SelectionRun, run_id)
    form = _swap_form(run)
    if not form.validate_on_submit():
        flash(_("Choose both applicants and write a reason."), "error")
        return redirect(url_for("selection.select", slug=run.group.slug))
    try:
        selection_runs.swap(
            db,
            current_person(),
            run,
            out_id=form.out_id.data or 0,
            in_id=form.in_id.data or 0,
            reason=form.reason.data or "",
        )
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("The proposal was changed."), "success")
    return redirect(url_for("selection.select", slug=run.group.slug))


@bp.route("/urval/<int:run_id>/bekrafta", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def confirm(run_id: int) -> ResponseReturnValue:
    """Sum up the outcome; on confirming, seat the selected and tell every applicant.

    The selection page opens the same summary in a dialog; this page is the step
    without JavaScript.
    """
    db = get_session()
    run = get_or_404(db, SelectionRun, run_id)
    form = ConfirmSelectionForm(prefix="confirm")
    if form.validate_on_submit():
        try:
            confirmation.confirm(
                db,
                current_person(),
                run,
                today=clock.today(),
                close_reason=form.reason.data or "",
            )
        except DomainError as error:
            db.rollback()  # a refusal half-way through the applicants leaves nothing
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The selection was confirmed and the applicants told."), "success")
            return redirect(url_for("selection.select", slug=run.group.slug))
    return render_template(
        "applications/confirm.html",
        run=run,
        form=form,
        outcome=selection_report.outcome(run, _names(run.group), clock.today()),
    )


@bp.get("/urval/<int:run_id>/verifiera")
@require_role(Role.STAFF)
def verify(run_id: int) -> str:
    """Recompute the draw from the stored inputs and say whether it matches."""
    run = get_or_404(get_session(), SelectionRun, run_id)
    again, same = selection_runs.verify(run)
    return render_template(
        "applications/verify.html",
        run=run,
        again=again,
        same=same,
        anonymised=selection_runs.anonymised(run),
        criteria=selection_report.criteria_summary(run),
    )


@bp.get("/ansokan/<int:application_id>")
@require_role(Role.LEADERSHIP)
def application(application_id: int) -> str:
    """One application in full; leadership's look is recorded in the audit log."""
    db = get_session()
    item = get_or_404(db, Application, application_id)
    activity.record(
        db,
        current_person(),
        "application_viewed",
        item,
        group_id=item.group_id,
        label=item.group.name,
    )
    db.commit()
    return render_template(
        "applications/show.html",
        application=item,
        status=applications.status_label(item.status),
    )


@bp.get("/<slug>/ansokningar.csv")
@require_role(Role.LEADERSHIP)
def applications_csv(slug: str) -> Response:
    """The open call's applications as a CSV file; the download is logged."""
    db = get_session()
    group = groups.get_by_slug(db, slug) or abort(404)
    data = application_list.download(db, current_person(), group)
    db.commit()
    return csv_download(data, f"ansokningar-{group.slug}.csv")


@bp.get("/deltagande")
@require_role(Role.LEADERSHIP)
def participation_map() -> str:
    """Departments and competences represented or missing across active groups."""
    return render_template(
        "applications/participation.html",
        participation=participation.participation_map(get_session()),
    )


def _render(group: WorkingGroup, form: SelectionForm, names: dict[int, str]) -> str:
    db = get_session()
    run = selection_runs.latest_run(db, group)
    if run is not None:
        # showing applicants' details to leadership is recorded (privacy)
        activity.record(
            db,
            current_person(),
            "applications_viewed",
            group,
            group_id=group.id,
            label=group.name,
        )
        db.commit()
    return render_template(
        "applications/select.html",
        group=group,
        form=form,
        run=run,
        names=names,
        rows=selection_report.candidate_rows(run) if run else [],
        coverage=selection_report.coverage(run) if run else [],
        summary=selection_report.breadth_summary(run) if run else None,
        swap_form=_swap_form(run) if run else None,
        confirm_form=ConfirmSelectionForm(prefix="confirm"),
        outcome=selection_report.outcome(run, names, clock.today()) if run else None,
    )


def _swap_form(run: SelectionRun) -> SwapForm:
    names = _names(run.group)
    form = SwapForm(run_id=run.id)
    chosen = run.proposal["selected"]
    ids = [c["id"] for c in run.inputs["candidates"]]
    form.out_id.choices = to_choices((i, names.get(i, str(i))) for i in chosen)
    form.in_id.choices = to_choices(
        (i, names.get(i, str(i))) for i in ids if i not in chosen
    )
    return form


def _names(group: WorkingGroup) -> dict[int, str]:
    rows = applications.applications_to(get_session(), group)
    return {a.id: a.person.name if a.person else f"#{a.id}" for a in rows}
