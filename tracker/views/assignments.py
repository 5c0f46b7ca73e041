"""Assignment pages, leadership's forms, milestones and progress reports."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import clock
from tracker.auth import (
    PUBLIC_READER,
    current_person,
    current_person_or_none,
    current_reader,
    has_role,
    require_role,
)
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.assignments import (
    AssignmentForm,
    CloseAssignmentForm,
    MilestoneForm,
    MoveForm,
    ReportForm,
)
from tracker.forms.common import EmptyForm, attach_error
from tracker.models.assignments import Assignment, Milestone, Stage
from tracker.models.people import Person, Role
from tracker.page_cache import render_cached, scoped_version
from tracker.services import activity
from tracker.services.attention import status
from tracker.services.programme import (
    assignments,
    documents,
    milestones,
    moves,
    plans,
    reports,
)
from tracker.views.overview import horizon

bp = Blueprint("assignments", __name__, url_prefix="/assignments")
# what an assignment's page reads (page_cache.scoped_version; checked in the tests)
ASSIGNMENT_PAGE_READS = (
    "action_plans",
    "activity_events",
    "assignments",
    "check_ins",
    "deciding_bodies",
    "decision_assignments",
    "decision_groups",
    "decision_plans",
    "decisions",
    "departments",
    "evaluations",
    "group_assignments",
    "memberships",
    "milestones",
    "people",
    "progress_reports",
    "stages",
    "working_groups",
)


@bp.get("/<int:assignment_id>")
@require_role(Role.STAFF, PUBLIC_READER)
def show(assignment_id: int) -> str:
    """Everything about one assignment, with its timeline and audit history.

    Through the page cache: the same page for every reader of a role and the same
    standing on it (responsible, group member, group lead: what decides reporting,
    booking a check-in and evaluating); the follow button is the reader's own.
    """
    db = get_session()
    # kept until a write to what it shows: this assignment's rows, or the others
    version = scoped_version(ASSIGNMENT_PAGE_READS, {f"assignment:{assignment_id}"})
    person = current_person_or_none()
    if person is None or has_role(Role.LEADERSHIP):
        may_report, standing = person is not None, assignments.Standing()
    else:
        standing = assignments.standing(db, person, assignment_id)
        may_report = standing.may_report
    everything = request.args.get("historik") == "alla"
    return render_cached(
        "assignments/show.html",
        version,
        lambda: _page(assignment_id, may_report, everything),
        variant=(may_report, standing),
        reads=ASSIGNMENT_PAGE_READS,
    )


def _page(assignment_id: int, may_report: bool, everything: bool) -> dict[str, Any]:
    db = get_session()
    assignment = assignments.load_for_page(db, assignment_id)
    if assignment is None:
        abort(404)
    can_edit = has_role(Role.LEADERSHIP)
    move_form = MoveForm(stage_id=assignment.stage_id)
    if can_edit:
        move_form.set_choices(db)
    reader = current_reader(personal=False)
    history, more_history = activity.newest(
        lambda n: activity.assignment_history(db, assignment.id, reader, limit=n),
        everything,
    )
    return {
        "assignment": assignment,
        "timeline": reports.timeline(db, assignment),
        "history": history,
        "more_history": more_history,
        "documents_kind": documents.link_kind(assignment.documents_link).value,
        "badges": status.assignment_badges(db, horizon(), assignment.id),
        "can_edit": can_edit,
        "can_report": may_report,
        "move_form": move_form,
        "report_form": ReportForm(reported_on=clock.today()),
        "milestone_form": MilestoneForm(),
        "action_form": EmptyForm(),
    }


@bp.route("/new/<plan_slug>", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def new(plan_slug: str) -> ResponseReturnValue:
    """Add an assignment to a plan."""
    db = get_session()
    plan = plans.get_by_slug(db, plan_slug)
    if plan is None:
        abort(404)
    form = AssignmentForm()
    form.set_choices(db)
    if form.validate_on_submit():
        try:
            assignment = assignments.create_assignment(
                db, current_person(), plan, _values(form)
            )
            _add_milestones(form, assignment)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The assignment was created."), "success")
            return redirect(url_for("assignments.show", assignment_id=assignment.id))
    return render_template(
        "assignments/form.html", form=form, plan=plan, assignment=None
    )


@bp.route("/<int:assignment_id>/edit", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def edit(assignment_id: int) -> ResponseReturnValue:
    """Edit an assignment."""
    db = get_session()
    assignment = get_or_404(db, Assignment, assignment_id)
    form = AssignmentForm(obj=assignment)
    form.set_choices(db, keep=assignment.responsible_id)
    if form.validate_on_submit():
        try:
            assignments.update_assignment(
                db, current_person(), assignment, _values(form)
            )
            _add_milestones(form, assignment)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The assignment was saved."), "success")
            return redirect(url_for("assignments.show", assignment_id=assignment.id))
    return render_template(
        "assignments/form.html", form=form, plan=assignment.plan, assignment=assignment
    )


@bp.post("/<int:assignment_id>/move")
@require_role(Role.STAFF)
def move(assignment_id: int) -> ResponseReturnValue:
    """Move an assignment to another stage (leadership, or its own people)."""
    db = get_session()
    assignment = get_or_404(db, Assignment, assignment_id)
    if not moves.may_move(db, current_person(), assignment):
        if not _wants_json():
            abort(403)
        return jsonify({"ok": False, "message": str(moves.NOT_YOURS)}), 403
    form = MoveForm()
    form.set_choices(db)
    message, ok = _("Choose a stage."), False
    if form.validate_on_submit():
        try:
            stage = get_or_404(db, Stage, form.stage_id.data)
            moves.check_move(db, current_person(), assignment, stage)
            if assignments.move_assignment(db, current_person(), assignment, stage):
                db.commit()
            message, ok = _("Moved to %(stage)s.", stage=stage.name), True
        except DomainError as error:
            message = str(error)
    return _moved(assignment, message, ok)


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _moved(assignment: Assignment, message: str, ok: bool) -> ResponseReturnValue:
    """JSON for the board's script; otherwise a message and back where it came from."""
    if _wants_json():
        body = {"ok": ok, "message": message, "stage_id": assignment.stage_id}
        return jsonify(body), 200 if ok else 403
    flash(message, "success" if ok else "error")
    if request.form.get("return_to") == "board":
        url = url_for("plans.show", slug=assignment.plan.slug)
        return redirect(f"{url}#card-{assignment.id}")
    return redirect(url_for("assignments.show", assignment_id=assignment.id))


@bp.route("/<int:assignment_id>/close", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def close(assignment_id: int) -> ResponseReturnValue:
    """End an assignment with its outcome."""
    db = get_session()
    assignment = get_or_404(db, Assignment, assignment_id)
    form = CloseAssignmentForm()
    if form.validate_on_submit():
        try:
            assignments.close_assignment(
                db,
                current_person(),
                assignment,
                outcome=form.outcome.data or "",
                now=clock.now(),
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The assignment has ended."), "success")
            return redirect(url_for("assignments.show", assignment_id=assignment.id))
    return render_template("assignments/close.html", form=form, assignment=assignment)


@bp.post("/<int:assignment_id>/reopen")
@require_role(Role.LEADERSHIP)
def reopen(assignment_id: int) -> ResponseReturnValue:
    """Bring back an ended assignment."""
    db = get_session()
    assignment = get_or_404(db, Assignment, assignment_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        assignments.reopen_assignment(db, current_person(), assignment)
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("The assignment was reopened."), "success")
    return redirect(url_for("assignments.show", assignment_id=assignment.id))


@bp.post("/<int:assignment_id>/reports")
@require_role(Role.STAFF)
def add_report(assignment_id: int) -> ResponseReturnValue:
    """Report progress on an assignment (members of its groups)."""
    db = get_session()
    assignment = get_or_404(db, Assignment, assignment_id)
    if not assignments.can_report(db, current_person(), assignment):
        abort(403)
    form = ReportForm()
    if form.validate_on_submit():
        reports.add_report(
            db,
            current_person(),
            assignment,
            body=form.body.data or "",
            reported_on=form.reported_on.data or clock.today(),
        )
        db.commit()
        flash(_("Your report was added."), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(
        url_for("assignments.show", assignment_id=assignment.id) + "#timeline"
    )


@bp.post("/<int:assignment_id>/milestones")
@require_role(Role.LEADERSHIP)
def add_milestone(assignment_id: int) -> ResponseReturnValue:
    """Add a milestone."""
    db = get_session()
    assignment = get_or_404(db, Assignment, assignment_id)
    form = MilestoneForm()
    if form.validate_on_submit():
        milestones.add_milestone(
            db,
            current_person(),
            assignment,
            title=form.title.data or "",
            due_on=form.due_on.data,
        )
        db.commit()
        flash(_("The milestone was added."), "success")
    else:
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
    return redirect(
        url_for("assignments.show", assignment_id=assignment.id) + "#milestones"
    )


@bp.post("/milestones/<int:milestone_id>/toggle")
@require_role(Role.STAFF)
def toggle_milestone(milestone_id: int) -> ResponseReturnValue:
    """Tick or untick a milestone (leaders and members of the assignment's groups)."""
    db = get_session()
    milestone = get_or_404(db, Milestone, milestone_id)
    if not assignments.can_report(db, current_person(), milestone.assignment):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    milestones.set_done(
        db, current_person(), milestone, not milestone.done, clock.now()
    )
    db.commit()
    if milestone.done:
        flash(_("“%(title)s” is marked as done.", title=milestone.title), "success")
    else:
        flash(_("“%(title)s” is marked as not done.", title=milestone.title), "success")
    return redirect(
        url_for("assignments.show", assignment_id=milestone.assignment_id)
        + "#milestones"
    )


@bp.post("/milestones/<int:milestone_id>/delete")
@require_role(Role.LEADERSHIP)
def delete_milestone(milestone_id: int) -> ResponseReturnValue:
    """Remove a milestone."""
    db = get_session()
    milestone = get_or_404(db, Milestone, milestone_id)
    assignment_id = milestone.assignment_id
    if not EmptyForm().validate_on_submit():
        abort(400)
    milestones.delete_milestone(db, current_person(), milestone)
    db.commit()
    flash(_("The milestone was removed."), "success")
    return redirect(
        url_for("assignments.show", assignment_id=assignment_id) + "#milestones"
    )


def _add_milestones(form: AssignmentForm, assignment: Assignment) -> None:
    """The form's new milestone rows, in the same transaction as the assignment."""
    for title, due_on in form.milestone_rows():
        milestones.add_milestone(
            get_session(), current_person(), assignment, title=title, due_on=due_on
        )


def _values(form: AssignmentForm) -> assignments.AssignmentValues:
    responsible = (
        get_session().get(Person, form.responsible_id.data)
        if form.responsible_id.data
        else None
    )
    return assignments.AssignmentValues(
        title=form.title.data or "",
        description=form.description.data or "",
        responsible=responsible,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        documents_link=form.documents_link.data or "",
    )
