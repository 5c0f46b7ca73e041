"""Plans, assignments, milestones and stages; moving, reporting and ticking."""

from __future__ import annotations

from typing import Any, TypeVar

from flask import abort
from flask_babel import gettext as _
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker import clock
from tracker.db import DB_INT_MAX, get_session
from tracker.errors import DomainError
from tracker.models.assignments import Assignment, Milestone, Stage
from tracker.models.people import Role
from tracker.models.plans import ActionPlan
from tracker.services.programme import assignments, milestones, plans, reports, stages
from tracker.views.api import render, schemas
from tracker.views.api.blueprint import bp, documented_errors
from tracker.views.api.paging import id_page
from tracker.views.api.security import caller, token_required

T = TypeVar("T")


@bp.get("/plans")
@token_required()
@bp.arguments(schemas.PageArgs, location="query", unknown=RAISE)
@bp.response(200, schemas.PlanPage)
@documented_errors
def list_plans(args: dict[str, Any]) -> dict[str, Any]:
    """All action plans, closed ones included."""
    statement = select(ActionPlan).options(selectinload(ActionPlan.owner))
    rows, cursor = id_page(get_session(), statement, ActionPlan, args)
    return {"items": [render.plan(p) for p in rows], "next_cursor": cursor}


@bp.get("/plans/<slug>")
@token_required()
@bp.response(200, schemas.Plan)
@documented_errors
def get_plan(slug: str) -> dict[str, Any]:
    """One action plan."""
    plan = plans.get_by_slug(get_session(), slug)
    if plan is None:
        abort(404, description=_("There is no action plan %(slug)s.", slug=slug))
    return render.plan(plan)


@bp.get("/assignments")
@token_required()
@bp.arguments(schemas.AssignmentArgs, location="query", unknown=RAISE)
@bp.response(200, schemas.AssignmentPage)
@documented_errors
def list_assignments(args: dict[str, Any]) -> dict[str, Any]:
    """Assignments (with their milestones), optionally of one plan."""
    db = get_session()
    statement = select(Assignment).options(
        selectinload(Assignment.plan),
        selectinload(Assignment.responsible),
        selectinload(Assignment.groups),
        selectinload(Assignment.milestones),
    )
    if args["plan"] is not None:
        plan = plans.get_by_slug(db, args["plan"])
        statement = statement.where(Assignment.plan_id == (plan.id if plan else -1))
    rows, cursor = id_page(db, statement, Assignment, args)
    return {"items": [render.assignment(a) for a in rows], "next_cursor": cursor}


@bp.get("/assignments/<int:assignment_id>")
@token_required()
@bp.response(200, schemas.Assignment)
@documented_errors
def get_assignment(assignment_id: int) -> dict[str, Any]:
    """One assignment with its milestones."""
    return render.assignment(_assignment(assignment_id))


@bp.put("/assignments/<int:assignment_id>/stage")
@token_required(write=True)
@bp.arguments(schemas.StageChange)
@bp.response(200, schemas.Assignment)
@documented_errors
def move_assignment(change: dict[str, Any], assignment_id: int) -> dict[str, Any]:
    """Move an assignment to another stage (leadership, as on the plan page)."""
    db = get_session()
    assignment = _assignment(assignment_id)
    if caller().person.role not in (Role.LEADERSHIP, Role.ADMIN):
        abort(403, description=_("Only leadership may move assignments."))
    stage = db.scalar(select(Stage).where(Stage.name == change["stage"]))
    if stage is None:
        names = ", ".join(s.name for s in stages.list_stages(db))
        abort(
            422,
            description=_(
                "There is no stage %(name)s; the stages are: %(names)s.",
                name=change["stage"],
                names=names,
            ),
        )
    try:
        assignments.move_assignment(db, caller().person, assignment, stage)
    except DomainError as error:
        abort(409, description=str(error))
    db.commit()
    return render.assignment(assignment)


@bp.post("/assignments/<int:assignment_id>/reports")
@token_required(write=True)
@bp.arguments(schemas.NewReport)
@bp.response(201, schemas.Report)
@documented_errors
def add_report(new: dict[str, Any], assignment_id: int) -> dict[str, Any]:
    """Report progress (leadership, the responsible person and group members)."""
    db = get_session()
    assignment = _assignment(assignment_id)
    person = caller().person
    if not assignments.can_report(db, person, assignment):
        abort(
            403,
            description=_(
                "Only members of the assignment's working groups may report."
            ),
        )
    if not new["body"].strip():
        abort(422, description=_("Write what has happened."))
    report = reports.add_report(
        db,
        person,
        assignment,
        body=new["body"],
        reported_on=new["reported_on"] or clock.today(),
    )
    db.commit()
    return render.report(report)


@bp.put("/milestones/<int:milestone_id>/done")
@token_required(write=True)
@bp.arguments(schemas.MilestoneState)
@bp.response(200, schemas.Milestone)
@documented_errors
def set_milestone(state: dict[str, Any], milestone_id: int) -> dict[str, Any]:
    """Tick or untick a milestone (leadership and the assignment's members)."""
    db = get_session()
    milestone = find(Milestone, milestone_id)
    if milestone is None:
        abort(404, description=_("There is no milestone %(id)s.", id=milestone_id))
    if not assignments.can_report(db, caller().person, milestone.assignment):
        abort(
            403,
            description=_(
                "Only members of the assignment's working groups may tick milestones."
            ),
        )
    milestones.set_done(db, caller().person, milestone, state["done"], clock.now())
    db.commit()
    return render.milestone(milestone)


@bp.get("/stages")
@token_required()
@bp.response(200, schemas.StageList)
@documented_errors
def list_stages() -> dict[str, Any]:
    """The workflow's stages in order."""
    items = [render.stage(s) for s in stages.list_stages(get_session())]
    return {"items": items, "next_cursor": None}


def find(model: type[T], ident: int) -> T | None:
    """The row with this id; None also for an id no database column can hold."""
    if not 0 < ident <= DB_INT_MAX:
        return None
    return get_session().get(model, ident)


def _assignment(assignment_id: int) -> Assignment:
    assignment = find(Assignment, assignment_id)
    if assignment is None:
        abort(404, description=_("There is no assignment %(id)s.", id=assignment_id))
    return assignment
