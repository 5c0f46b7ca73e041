"""Which maturity dimensions each plan means to raise."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from tracker.models.maturity import MaturityDimension, MaturityModel
from tracker.models.maturity import plan_dimensions as links
from tracker.models.people import Person
from tracker.models.plans import ActionPlan
from tracker.services import activity


def all_dimensions(session: Session) -> list[MaturityDimension]:
    """Every dimension of every model, by model and position."""
    statement = (
        select(MaturityDimension)
        .join(MaturityModel)
        .order_by(MaturityModel.id, MaturityDimension.position, MaturityDimension.id)
    )
    return list(session.scalars(statement))


def dimensions_of(session: Session, plan: ActionPlan) -> list[MaturityDimension]:
    """The dimensions *plan* means to raise."""
    statement = (
        select(MaturityDimension)
        .join(links, links.c.dimension_id == MaturityDimension.id)
        .where(links.c.plan_id == plan.id)
        .order_by(MaturityDimension.position, MaturityDimension.id)
    )
    return list(session.scalars(statement))


def set_plan_dimensions(
    session: Session, actor: Person | None, plan: ActionPlan, ids: Sequence[int]
) -> None:
    """Link *plan* to the dimensions *ids* (unknown ids are ignored)."""
    known = {d.id: d for d in all_dimensions(session)}
    chosen = [known[i] for i in dict.fromkeys(ids) if i in known]
    before = [d.name for d in dimensions_of(session, plan)]
    session.execute(delete(links).where(links.c.plan_id == plan.id))
    if chosen:
        session.execute(
            insert(links),
            [{"plan_id": plan.id, "dimension_id": d.id} for d in chosen],
        )
    after = [d.name for d in chosen]
    if before != after:
        activity.record(
            session,
            actor,
            "updated",
            plan,
            before={"maturity_dimensions": ", ".join(before)},
            after={"maturity_dimensions": ", ".join(after)},
            plan_id=plan.id,
        )
