"""The decision register (beslut): everyone reads, leadership records."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker.auth import current_person, has_role, require_role
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.common import attach_error
from tracker.forms.decisions import BodyForm, DecisionForm
from tracker.models.assignments import Assignment
from tracker.models.decisions import Decision
from tracker.models.groups import WorkingGroup
from tracker.models.people import Role
from tracker.models.plans import ActionPlan
from tracker.page_cache import part_target, render_macro
from tracker.services.governance import decisions

bp = Blueprint("decisions", __name__, url_prefix="/beslut")


@bp.get("/", endpoint="list")
@require_role(Role.STAFF)
def list_decisions() -> str:
    """The register, searchable and narrowed by body."""
    db = get_session()
    text = request.args.get("q", "")[:200]
    body = request.args.get("body", "")
    body_id = int(body) if body.isdigit() and len(body) < 10 else None
    return render_template(
        "decisions/list.html",
        decisions=decisions.list_decisions(db, text=text, body_id=body_id),
        bodies=decisions.list_bodies(db),
        text=text,
        body_id=body_id,
        can_record=has_role(Role.LEADERSHIP),
    )


@bp.get("/<int:decision_id>")
@require_role(Role.STAFF)
def show(decision_id: int) -> str:
    """One decision and what it concerns."""
    decision = get_or_404(get_session(), Decision, decision_id)
    return render_template(
        "decisions/show.html",
        decision=decision,
        can_record=has_role(Role.LEADERSHIP),
    )


@bp.route("/nytt", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def new() -> ResponseReturnValue:
    """Record a decision."""
    db = get_session()
    _ensure_bodies()
    form = DecisionForm()
    form.set_choices(db)
    if form.validate_on_submit():
        try:
            decision = decisions.record_decision(db, current_person(), _values(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The decision was recorded."), "success")
            return redirect(url_for("decisions.show", decision_id=decision.id))
    return render_template("decisions/form.html", form=form, decision=None)


@bp.route("/<int:decision_id>/andra", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def edit(decision_id: int) -> ResponseReturnValue:
    """Correct a recorded decision."""
    db = get_session()
    decision = get_or_404(db, Decision, decision_id)
    form = DecisionForm(
        obj=decision,
        plan_ids=[p.id for p in decision.plans],
        assignment_ids=[a.id for a in decision.assignments],
        group_ids=[g.id for g in decision.groups],
    )
    form.set_choices(db)
    if form.validate_on_submit():
        try:
            decisions.update_decision(db, current_person(), decision, _values(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The decision was saved."), "success")
            return redirect(url_for("decisions.show", decision_id=decision.id))
    return render_template("decisions/form.html", form=form, decision=decision)


@bp.route("/organ", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def bodies() -> ResponseReturnValue:
    """The managed list of deciding bodies."""
    db = get_session()
    _ensure_bodies()
    form = BodyForm()
    if form.validate_on_submit():
        try:
            decisions.add_body(db, form.name.data or "")
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The body was added."), "success")
            return redirect(url_for("decisions.bodies"))
    return render_template(
        "decisions/bodies.html", form=form, bodies=decisions.list_bodies(db)
    )


def _ensure_bodies() -> None:
    db = get_session()
    if decisions.ensure_bodies(db):
        db.commit()  # the form's choices must have the same ids when it comes back


def _values(form: DecisionForm) -> decisions.DecisionValues:
    db = get_session()
    return decisions.DecisionValues(
        decided_on=form.decided_on.data,
        body_id=form.body_id.data,
        title=form.title.data or "",
        reference=form.reference.data or "",
        text=form.text.data or "",
        owner_id=form.owner_id.data,
        follow_up_on=form.follow_up_on.data,
        plans=[get_or_404(db, ActionPlan, i) for i in form.plan_ids.data or []],
        assignments=[
            get_or_404(db, Assignment, i) for i in form.assignment_ids.data or []
        ],
        groups=[get_or_404(db, WorkingGroup, i) for i in form.group_ids.data or []],
    )


KINDS = {"plan": "plan_id", "uppdrag": "assignment_id", "grupp": "group_id"}


def decisions_part(argument: str) -> str:
    """The decisions about "plan:<id>", "uppdrag:<id>" or "grupp:<id>" (logins only)."""
    target = part_target(argument, KINDS)
    if target is None:
        return ""
    kind, number = target
    found = decisions.decisions_for(get_session(), **{KINDS[kind]: number})
    return render_macro("decisions/_parts.html", "section", decisions=found)


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    parts = state.app.extensions.setdefault("tracker.reader_parts", {})
    parts["decisions"] = decisions_part
    # what the part reads, so that it is kept while other tables change
    state.app.extensions.setdefault("tracker.part_tables", {})["decisions"] = (
        "deciding_bodies",
        "decision_assignments",
        "decision_groups",
        "decision_plans",
        "decisions",
    )
