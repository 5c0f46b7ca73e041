"""The decision register, as every login reads it on /beslut/ (never the public)."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_babel import gettext as _
from marshmallow import RAISE
from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.db import DB_INT_MAX, get_session
from tracker.models.decisions import Decision
from tracker.services.governance import decisions
from tracker.views.api import render, schemas
from tracker.views.api.blueprint import bp, documented_errors
from tracker.views.api.security import token_required


@bp.get("/decisions")
@token_required()
@bp.arguments(schemas.DecisionArgs, location="query", unknown=RAISE)
@bp.response(200, schemas.DecisionPage)
@documented_errors
def list_decisions(args: dict[str, Any]) -> dict[str, Any]:
    """The decision register, newest first, narrowed as on the register page."""
    db = get_session()
    statement = decisions.register_statement(
        text=args["q"], body_id=args["body"]
    ).options(
        selectinload(Decision.owner),
        selectinload(Decision.plans),
        selectinload(Decision.assignments),
        selectinload(Decision.groups),
    )
    if args["cursor"] is not None:
        statement = statement.where(_after(db, int(args["cursor"])))
    limit = int(args["limit"])
    rows = list(db.scalars(statement.limit(limit + 1)))
    more, rows = len(rows) > limit, rows[:limit]
    cursor = str(rows[-1].id) if more else None
    return {"items": [render.decision(d) for d in rows], "next_cursor": cursor}


@bp.get("/decisions/<int:decision_id>")
@token_required()
@bp.response(200, schemas.Decision)
@documented_errors
def get_decision(decision_id: int) -> dict[str, Any]:
    """One decision and what it concerns."""
    found = None
    if 0 < decision_id <= DB_INT_MAX:
        found = get_session().get(Decision, decision_id)
    if found is None:
        abort(404, description=_("There is no decision %(id)s.", id=decision_id))
    return render.decision(found)


def _after(db: Session, last_id: int) -> ColumnElement[bool]:
    # newest first by (decided_on, id): the page goes on after the cursor's decision
    day = db.scalar(select(Decision.decided_on).where(Decision.id == last_id))
    if day is None:
        return Decision.id < last_id
    return or_(
        Decision.decided_on < day,
        and_(Decision.decided_on == day, Decision.id < last_id),
    )
