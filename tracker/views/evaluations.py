"""Evaluations (utvärderingar) of ended assignments and groups, and their lessons."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import clock
from tracker.auth import current_person, has_role, require_role
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.common import attach_error
from tracker.forms.evaluations import EvaluationForm, FindingForm
from tracker.models.assignments import Assignment
from tracker.models.evaluations import Evaluation, Finding
from tracker.models.groups import WorkingGroup
from tracker.models.people import Role
from tracker.models.plans import ActionPlan
from tracker.page_cache import part_target, render_macro
from tracker.services import groups
from tracker.services.governance import evaluations

bp = Blueprint("evaluations", __name__, url_prefix="/utvarderingar")


@bp.get("/", endpoint="list")
@require_role(Role.STAFF)
def list_evaluations() -> str:
    """Every evaluation, or those whose lessons match a search."""
    db = get_session()
    text = request.args.get("q", "")[:200].strip()
    found = evaluations.search(db, text) if text else evaluations.list_evaluations(db)
    waiting = [
        _subject(item, None) if isinstance(item, Assignment) else _subject(None, item)
        for item in evaluations.waiting_for(db, current_person())
    ]
    return render_template(
        "evaluations/list.html", evaluations=found, text=text, waiting=waiting
    )


@bp.get("/<int:evaluation_id>")
@require_role(Role.STAFF)
def show(evaluation_id: int) -> str:
    """One evaluation, its interviews and findings."""
    evaluation = get_or_404(get_session(), Evaluation, evaluation_id)
    form = FindingForm()
    form.set_plans([(p.id, p.title) for p in evaluations.plans_of(evaluation)])
    return render_template(
        "evaluations/show.html",
        evaluation=evaluation,
        subject=_subject(evaluation.assignment, evaluation.group),
        finding_form=form,
        can_make_assignments=has_role(Role.LEADERSHIP) and bool(form.plan_id.choices),
    )


@bp.route("/uppdrag/<int:assignment_id>", methods=["GET", "POST"])
@require_role(Role.STAFF)
def for_assignment(assignment_id: int) -> ResponseReturnValue:
    """Evaluate an ended assignment (its responsible person or leadership)."""
    assignment = get_or_404(get_session(), Assignment, assignment_id)
    return _evaluate(assignment=assignment)


@bp.route("/grupp/<slug>", methods=["GET", "POST"])
@require_role(Role.STAFF)
def for_group(slug: str) -> ResponseReturnValue:
    """Evaluate a closed working group (its leads or leadership)."""
    group = groups.get_by_slug(get_session(), slug)
    if group is None:
        abort(404)
    return _evaluate(group=group)


@bp.post("/fynd/<int:finding_id>/uppdrag")
@require_role(Role.LEADERSHIP)
def make_assignment(finding_id: int) -> ResponseReturnValue:
    """Make a new assignment of a finding, in one step."""
    db = get_session()
    finding = get_or_404(db, Finding, finding_id)
    form = FindingForm()
    plans = evaluations.plans_of(finding.evaluation)
    form.set_plans([(p.id, p.title) for p in plans])
    back = url_for("evaluations.show", evaluation_id=finding.evaluation_id)
    if not form.validate_on_submit():
        flash(_("Choose the action plan the assignment belongs to."), "error")
        return redirect(back)
    plan = get_or_404(db, ActionPlan, form.plan_id.data)
    try:
        made = evaluations.finding_to_assignment(db, current_person(), finding, plan)
    except DomainError as error:
        flash(str(error), "error")
        return redirect(back)
    db.commit()
    flash(_("The finding is now an assignment."), "success")
    return redirect(url_for("assignments.show", assignment_id=made.id))


def _evaluate(
    assignment: Assignment | None = None, group: WorkingGroup | None = None
) -> ResponseReturnValue:
    db = get_session()
    person = current_person()
    if not evaluations.may_evaluate(db, person, assignment=assignment, group=group):
        abort(403)
    done = evaluations.evaluation_of(db, assignment=assignment, group=group)
    if done is not None:
        return redirect(url_for("evaluations.show", evaluation_id=done.id))
    form = EvaluationForm(evaluated_on=clock.today())
    if form.validate_on_submit():
        try:
            made = evaluations.record_evaluation(
                db, person, _values(form), assignment=assignment, group=group
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("Thank you. The evaluation was saved."), "success")
            return redirect(url_for("evaluations.show", evaluation_id=made.id))
    return render_template(
        "evaluations/form.html", form=form, subject=_subject(assignment, group)
    )


def _values(form: EvaluationForm) -> evaluations.EvaluationValues:
    return evaluations.EvaluationValues(
        evaluated_on=form.evaluated_on.data,
        worked=form.worked.data or "",
        did_not_work=form.did_not_work.data or "",
        adjust=form.adjust.data or "",
        interview_count=form.interview_count.data,
        interview_roles=form.interview_roles.data or "",
        findings=(form.findings.data or "").splitlines(),
    )


def _subject(
    assignment: Assignment | None, group: WorkingGroup | None
) -> dict[str, str]:
    if assignment is not None:
        url = url_for("assignments.show", assignment_id=assignment.id)
        evaluate = url_for("evaluations.for_assignment", assignment_id=assignment.id)
        return {"name": assignment.title, "url": url, "evaluate": evaluate}
    if group is not None:
        url = url_for("groups.show", slug=group.slug)
        evaluate = url_for("evaluations.for_group", slug=group.slug)
        return {"name": group.name, "url": url, "evaluate": evaluate}
    return {"name": "", "url": url_for("evaluations.list"), "evaluate": ""}


def evaluation_part(argument: str) -> str:
    """The evaluation of "uppdrag:<id>" or "grupp:<id>", or a request for one."""
    found_target = part_target(argument, ("uppdrag", "grupp"))
    if found_target is None:
        return ""
    kind, number = found_target
    db = get_session()
    target: dict[str, Any] = {}
    if kind == "uppdrag":
        target["assignment"] = db.get(Assignment, number)
        url = url_for("evaluations.for_assignment", assignment_id=number)
    else:
        group = db.get(WorkingGroup, number)
        target["group"] = group
        url = url_for("evaluations.for_group", slug=group.slug) if group else ""
    if not any(target.values()):
        return ""
    found = evaluations.evaluation_of(db, **target)
    ask = evaluations.is_due(db, **target, found=found) and evaluations.may_evaluate(
        db, current_person(), **target
    )
    if found is None and not ask:
        return ""
    return render_macro(
        "evaluations/_parts.html", "section", evaluation=found, evaluate_url=url
    )


def lessons_part(argument: str) -> str:
    """The lessons (lärdomar) of "plan:<id>": its evaluations (logins only)."""
    target = part_target(argument, ("plan",))
    db = get_session()
    plan = db.get(ActionPlan, target[1]) if target else None
    if plan is None:
        return ""
    found = evaluations.lessons_for_plan(db, plan)
    return render_macro("evaluations/_parts.html", "lessons", evaluations=found)


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    parts = state.app.extensions.setdefault("tracker.reader_parts", {})
    parts["evaluation"] = evaluation_part
    parts["lessons"] = lessons_part
    # what the part reads, so that it is kept while other tables change
    state.app.extensions.setdefault("tracker.part_tables", {})["lessons"] = (
        "action_plans",
        "assignments",
        "evaluation_findings",
        "evaluations",
        "group_assignments",
        "stages",  # an assignment's stage comes with it
        "working_groups",
    )
