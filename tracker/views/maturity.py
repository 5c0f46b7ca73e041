"""Maturity measurement (mognad): rounds, answering, anonymous results."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.auth import current_person, has_role, require_role
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.common import EmptyForm, attach_error
from tracker.forms.maturity import DimensionForm, DimensionsForm, RoundForm, answer_form
from tracker.models.maturity import MaturityModel, MaturityRound
from tracker.models.people import Department, Role
from tracker.models.plans import ActionPlan
from tracker.page_cache import part_target, render_macro
from tracker.services.governance import (
    aims,
    answers,
    chart,
    maturity,
    results,
    steps,
)
from tracker.services.programme import plans

bp = Blueprint("maturity", __name__, url_prefix="/mognad")


def min_group() -> int:
    """[MATURITY] MIN_GROUP: the fewest answers a shown result may rest on."""
    return int(current_app.config["MATURITY"]["MIN_GROUP"])


@bp.get("/", endpoint="index")
@require_role(Role.STAFF)
def index() -> str:
    """Rounds to answer, the latest results and every round."""
    db = get_session()
    today = clock.today()
    person = current_person()
    to_answer = [
        r
        for r in maturity.open_rounds_for(db, person, today)
        if not answers.has_answered(db, r, person)
    ]
    latest = results.latest_result(db, today, min_group=min_group())
    return render_template(
        "maturity/index.html",
        to_answer=to_answer,
        latest=latest,
        chart=chart.bars(latest) if latest else None,
        rounds=maturity.list_rounds(db),
        states={r.id: _state(r) for r in maturity.list_rounds(db)},
        is_admin=has_role(Role.ADMIN),
    )


@bp.get("/omgang/<int:round_id>")
@require_role(Role.STAFF)
def show(round_id: int) -> str:
    """A round: its results once it has closed."""
    db = get_session()
    measured = get_or_404(db, MaturityRound, round_id)
    today = clock.today()
    result = None
    if results.shown(measured, today):
        result = results.round_result(db, measured, min_group=min_group())
    person = current_person()
    return render_template(
        "maturity/show.html",
        measured=measured,
        state=_state(measured),
        result=result,
        chart=chart.bars(result) if result else None,
        min_group=min_group(),
        may_answer=measured in maturity.open_rounds_for(db, person, today)
        and not answers.has_answered(db, measured, person),
        may_close=has_role(Role.ADMIN)
        and measured.closed_at is None
        and not maturity.is_closed(measured, today),
        action_form=EmptyForm(),
    )


@bp.route("/omgang/<int:round_id>/svara", methods=["GET", "POST"])
@require_role(Role.STAFF)
def answer(round_id: int) -> ResponseReturnValue:
    """Answer a round once: one level 1–5 per dimension, anonymously."""
    db = get_session()
    measured = get_or_404(db, MaturityRound, round_id)
    form = answer_form(measured.model)
    if form.validate_on_submit():
        levels = {
            d.id: _level(form[f"d{d.id}"].data) for d in measured.model.dimensions
        }
        try:
            answers.answer(db, current_person(), measured, levels, today=clock.today())
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("Thank you. Your answer was counted anonymously."), "success")
            return redirect(url_for("maturity.index"))
    elif request.method == "GET":
        problem = _answer_problem(measured)
        if problem:
            form.form_errors.append(problem)
    return render_template(
        "maturity/answer.html",
        form=form,
        measured=measured,
        dimensions=[(d, form[f"d{d.id}"]) for d in measured.model.dimensions],
    )


@bp.route("/omgang/ny", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def new_round() -> ResponseReturnValue:
    """Open a round for a period and a set of departments."""
    db = get_session()
    if maturity.ensure_default_model(db):
        db.commit()
    form = RoundForm()
    form.set_choices(db, maturity.list_models(db))
    if form.validate_on_submit():
        values = maturity.RoundValues(
            title=form.title.data or "",
            opens_on=form.opens_on.data,
            closes_on=form.closes_on.data,
            departments=[
                get_or_404(db, Department, i) for i in form.department_ids.data or []
            ],
            model_id=form.model_id.data,
        )
        try:
            measured = maturity.open_round(db, current_person(), values)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The round was opened."), "success")
            return redirect(url_for("maturity.show", round_id=measured.id))
    return render_template("maturity/round_form.html", form=form)


@bp.post("/omgang/<int:round_id>/stang")
@require_role(Role.ADMIN)
def close(round_id: int) -> ResponseReturnValue:
    """Close a round early."""
    db = get_session()
    measured = get_or_404(db, MaturityRound, round_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        maturity.close_round(db, current_person(), measured, now=clock.now())
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("The round was closed."), "success")
    return redirect(url_for("maturity.show", round_id=measured.id))


@bp.route("/modell/<int:model_id>", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def model(model_id: int) -> ResponseReturnValue:
    """A measurement model's dimensions and levels; add a dimension."""
    db = get_session()
    found = get_or_404(db, MaturityModel, model_id)
    form = DimensionForm()
    if form.validate_on_submit():
        texts = [getattr(form, f"level{n}").data or "" for n in maturity.LEVELS]
        try:
            maturity.add_dimension(db, found, form.name.data or "", texts)
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The dimension was added."), "success")
            return redirect(url_for("maturity.model", model_id=found.id))
    return render_template("maturity/model.html", model=found, form=form)


@bp.get("/modell")
@require_role(Role.ADMIN)
def models() -> ResponseReturnValue:
    """The default measurement model (created the first time)."""
    db = get_session()
    if maturity.ensure_default_model(db):
        db.commit()
    first = maturity.list_models(db)[0]
    return redirect(url_for("maturity.model", model_id=first.id))


@bp.post("/plan/<plan_slug>")
@require_role(Role.LEADERSHIP)
def plan_dimensions(plan_slug: str) -> ResponseReturnValue:
    """Choose the dimensions a plan means to raise."""
    db = get_session()
    plan = _plan(plan_slug)
    form = DimensionsForm()
    form.set_choices(aims.all_dimensions(db))
    if form.validate_on_submit():
        aims.set_plan_dimensions(
            db, current_person(), plan, form.dimension_ids.data or []
        )
        db.commit()
        flash(_("The plan's maturity dimensions were saved."), "success")
    else:
        flash(_("Choose dimensions from the list."), "error")
    return redirect(url_for("plans.show", slug=plan.slug) + "#maturity")


def _plan(slug: str) -> ActionPlan:
    plan = plans.get_by_slug(get_session(), slug)
    if plan is None:
        abort(404)
    return plan


def _level(raw: object) -> int | None:
    text = str(raw or "")
    return int(text) if text.isdigit() and len(text) < 4 else 0


def _answer_problem(measured: MaturityRound) -> str | None:
    try:
        answers.check_may_answer(
            get_session(), current_person(), measured, clock.today()
        )
    except DomainError as error:
        return str(error)
    return None


def _state(measured: MaturityRound) -> str:
    today = clock.today()
    if maturity.is_closed(measured, today):
        return str(_("Closed"))
    if maturity.is_open(measured, today):
        return str(_("Open"))
    return str(_("Not yet open"))


def maturity_part(argument: str) -> str:
    """The maturity dimensions "plan:<id>" means to raise (logins only)."""
    target = part_target(argument, ("plan",))
    db = get_session()
    plan = db.get(ActionPlan, target[1]) if target else None
    if plan is None:
        return ""
    chosen = aims.dimensions_of(db, plan)
    form = None
    if has_role(Role.LEADERSHIP):
        form = DimensionsForm(dimension_ids=[d.id for d in chosen])
        form.set_choices(aims.all_dimensions(db))
    return render_macro(
        "maturity/_parts.html", "plan_section", plan=plan, chosen=chosen, form=form
    )


# what the overview's maturity figures and method steps read (page_cache.role_part
# keeps them until one of these changes)
OVERVIEW_TABLES = (
    "action_plans",
    "departments",
    "maturity_dimensions",
    "maturity_models",
    "maturity_round_departments",
    "maturity_rounds",
    "maturity_tallies",
    "method_steps",
    "plan_maturity_dimensions",
    "plan_steps",
)


def overview_part(_argument: str) -> str:
    """The overview's latest maturity figures and the plans' method steps (logins)."""
    if not current_user.is_authenticated:
        return ""
    db = get_session()
    plans_by_id = {p.id: p for p in plans.list_plans(db)}
    current = [
        (plans_by_id[plan_id], entry)
        for plan_id, entry in steps.current_steps(db).items()
        if plan_id in plans_by_id
    ]
    latest = results.latest_result(db, clock.today(), min_group=min_group())
    return render_macro(
        "maturity/_parts.html", "overview_section", latest=latest, steps=current
    )


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    parts = state.app.extensions.setdefault("tracker.reader_parts", {})
    parts["maturity"] = maturity_part
    parts["governance_overview"] = overview_part
    tables = state.app.extensions.setdefault("tracker.part_tables", {})
    tables["governance_overview"] = OVERVIEW_TABLES
    tables["maturity"] = (
        "action_plans",
        "maturity_dimensions",
        "maturity_models",
        "plan_maturity_dimensions",
    )
