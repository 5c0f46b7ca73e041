"""The method's steps per plan: where a plan stands, and moving it on."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import clock
from tracker.auth import current_person, has_role, require_role
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.common import attach_error
from tracker.forms.steps import StepForm
from tracker.models.people import Role
from tracker.models.plans import ActionPlan
from tracker.page_cache import part_target, render_macro
from tracker.services.governance import steps
from tracker.services.programme import plans

bp = Blueprint("steps", __name__, url_prefix="/metod")


@bp.route("/<plan_slug>", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def enter(plan_slug: str) -> ResponseReturnValue:
    """Move a plan to a step of the method, with its purpose and goal there."""
    db = get_session()
    plan = plans.get_by_slug(db, plan_slug)
    if plan is None:
        abort(404)
    if steps.ensure_steps(db, current_app.config["METHOD_STEPS"]):
        db.commit()  # the default steps, so the form's choices keep their ids
    coming = steps.next_step(db, plan)
    form = StepForm(entered_on=clock.today(), step_id=coming.id if coming else None)
    form.set_steps(steps.list_steps(db))
    if form.validate_on_submit():
        values = steps.StepValues(
            step_id=form.step_id.data,
            entered_on=form.entered_on.data,
            purpose=form.purpose.data or "",
            goal=form.goal.data or "",
        )
        try:
            steps.enter_step(db, current_person(), plan, values)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The plan's step was recorded."), "success")
            return redirect(url_for("plans.show", slug=plan.slug) + "#method-step")
    return render_template(
        "steps/form.html", form=form, plan=plan, history=steps.history(db, plan)
    )


def step_part(argument: str) -> str:
    """The current method step of "plan:<id>" and its history (logins only)."""
    target = part_target(argument, ("plan",))
    db = get_session()
    plan = db.get(ActionPlan, target[1]) if target else None
    if plan is None:
        return ""
    return render_macro(
        "steps/_parts.html",
        "section",
        plan=plan,
        history=steps.history(db, plan),
        can_change=has_role(Role.LEADERSHIP),
    )


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    state.app.extensions.setdefault("tracker.reader_parts", {})["method_step"] = (
        step_part
    )
    # what the part reads, so that it is kept while other tables change
    state.app.extensions.setdefault("tracker.part_tables", {})["method_step"] = (
        "action_plans",
        "method_steps",
        "people",
        "plan_steps",
    )
