"""Action plan pages and leadership's plan forms."""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import clock
from tracker.auth import PUBLIC_READER, current_person, has_role, require_role
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.common import EmptyForm, attach_error
from tracker.forms.plans import PlanForm
from tracker.models.people import Person, Role
from tracker.models.plans import ActionPlan
from tracker.page_cache import data_version, refreshed, render_cached, tables_key
from tracker.services.attention import needs, overview, status
from tracker.services.interchange import saving
from tracker.services.programme import (
    assignments,
    burnup,
    documents,
    plans,
)
from tracker.views.board import MOVE_TABLES
from tracker.views.overview import attention_parts, horizon

bp = Blueprint("plans", __name__, url_prefix="/plans")


def _plan_or_404(slug: str) -> ActionPlan:
    plan = plans.get_by_slug(get_session(), slug)
    if plan is None:
        abort(404)
    return plan


@bp.get("/", endpoint="list")
@require_role(Role.STAFF, PUBLIC_READER)
def list_plans() -> str:
    """All action plans, closed ones included."""
    db = get_session()
    rows = overview.plan_progress(db, plans.list_plans(db))
    flags = needs.plan_flags(db, horizon())
    statuses = {key: s.value for key, s in status.flag_statuses(flags).items()}
    return render_template("plans/list.html", rows=rows, statuses=statuses)


@bp.get("/<slug>")
@require_role(Role.STAFF, PUBLIC_READER)
def show(slug: str) -> str:
    """A plan with its assignments by stage."""
    db = get_session()
    # the badges change with the date as well as the data
    version = (data_version(db), clock.today())
    return render_cached(
        "plans/show.html", version, lambda: _board(slug), host_wide=True
    )


@bp.get("/<slug>/uppdrag.csv")
@require_role(Role.STAFF)
def assignments_csv(slug: str) -> Response:
    """The plan's assignments as a CSV file (logins only: it names people by e-mail)."""
    plan = _plan_or_404(slug)
    data = saving.plan_assignments_csv(get_session(), plan)
    return csv_download(data, f"uppdrag-{plan.slug}.csv")


def csv_download(data: bytes, filename: str) -> Response:
    """A CSV file to save (Swedish Excel opens it: UTF-8 with a BOM, `;`)."""
    return Response(
        data,
        mimetype="text/csv",
        headers={
            "Content-Disposition": f"attachment; filename={filename}",
            "Cache-Control": "private, no-store",
        },
    )


def _board(slug: str) -> dict[str, Any]:
    db = get_session()
    plan = _plan_or_404(slug)
    part = attention_parts().values.get(plan.id)
    worst = part.worst() if part is not None else []
    plan_status, badges = status.plan_board(db, horizon(), plan.id, worst)
    board = assignments.board(db, plan)
    return {
        "plan": plan,
        "board": board,
        "burnup": _burnup(plan, board),
        "badges": badges,
        "status": plan_status.value,
        "documents_kind": documents.link_kind(plan.documents_link).value,
        "can_edit": has_role(Role.LEADERSHIP),
        "action_form": EmptyForm(),
        # what leadership's move forms show: the stages (views.board.move_part)
        "lead_moves": tables_key(MOVE_TABLES),
    }


@bp.route("/new", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def new() -> ResponseReturnValue:
    """Create an action plan."""
    db = get_session()
    form = PlanForm()
    form.set_choices(db)
    if form.validate_on_submit():
        try:
            plan = plans.create_plan(
                db,
                current_person(),
                title=form.title.data or "",
                goal=form.goal.data or "",
                owner=_owner(form),
                position=form.position.data,
            )
            plans.set_documents_link(
                db, current_person(), plan, form.documents_link.data or ""
            )
        except DomainError as error:  # nothing is committed: no plan is created
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The action plan was created."), "success")
            return redirect(url_for("plans.show", slug=plan.slug))
    return render_template("plans/form.html", form=form, plan=None)


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def edit(slug: str) -> ResponseReturnValue:
    """Edit an action plan."""
    db = get_session()
    plan = _plan_or_404(slug)
    form = PlanForm(obj=plan)
    form.set_choices(db)
    if form.validate_on_submit():
        try:
            plans.update_plan(
                db,
                current_person(),
                plan,
                title=form.title.data or "",
                goal=form.goal.data or "",
                owner=_owner(form),
                position=form.position.data or 0,
            )
            plans.set_documents_link(
                db, current_person(), plan, form.documents_link.data or ""
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The action plan was saved."), "success")
            return redirect(url_for("plans.show", slug=plan.slug))
    return render_template("plans/form.html", form=form, plan=plan)


@bp.post("/<slug>/close")
@require_role(Role.LEADERSHIP)
def close(slug: str) -> ResponseReturnValue:
    """Close an action plan."""
    return _state_action(slug, close=True)


@bp.post("/<slug>/reopen")
@require_role(Role.LEADERSHIP)
def reopen(slug: str) -> ResponseReturnValue:
    """Reopen a closed action plan."""
    return _state_action(slug, close=False)


def _state_action(slug: str, *, close: bool) -> ResponseReturnValue:
    db = get_session()
    plan = _plan_or_404(slug)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        if close:
            plans.close_plan(db, current_person(), plan, clock.now())
        else:
            plans.reopen_plan(db, current_person(), plan)
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(
            _("The action plan was closed.")
            if close
            else _("The action plan was reopened."),
            "success",
        )
    return redirect(url_for("plans.show", slug=plan.slug))


def _burnup(plan: ActionPlan, board: assignments.Board) -> burnup.Chart | None:
    done_stage = board.columns[-1].stage.name if board.columns else ""
    db, today = get_session(), clock.today()
    # the same for every reader: kept per worker, and brought up to date with the
    # plan's new events only (a commit elsewhere changes nothing of it)
    replayed = refreshed(
        ("burnup", plan.id),
        lambda kept: burnup.replayed(
            db, plan.id, until=today, done_stage=done_stage, kept=kept
        ),
    )
    return burnup.chart(replayed.weeks)


def _owner(form: PlanForm) -> Person | None:
    return get_session().get(Person, form.owner_id.data) if form.owner_id.data else None
