"""Action plans: create, edit, close, list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from tracker.errors import DomainError
from tracker.models.people import Person
from tracker.models.plans import ActionPlan, PlanState
from tracker.services import activity
from tracker.services.programme import documents
from tracker.slugs import unique_slug


def list_plans(session: Session, *, include_closed: bool = True) -> list[ActionPlan]:
    """Plans in their configured order."""
    statement = select(ActionPlan).order_by(ActionPlan.position, ActionPlan.id)
    if not include_closed:
        statement = statement.where(ActionPlan.state == PlanState.ACTIVE)
    return list(session.scalars(statement))


@dataclass(frozen=True)
class PlanRow:
    """What a card of a plan shows of the plan itself (plain columns)."""

    id: int
    slug: str
    title: str


def active_rows(session: Session) -> list[PlanRow]:
    """The active plans in their configured order, as rows (the overview's cards:
    reading them costs a tenth of loading the plans)."""
    statement = (
        select(ActionPlan.id, ActionPlan.slug, ActionPlan.title)
        .where(ActionPlan.state == PlanState.ACTIVE)
        .order_by(ActionPlan.position, ActionPlan.id)
    )
    return [PlanRow(*row) for row in session.execute(statement)]


def filter_choices(session: Session) -> list[Any]:
    """Id and title of every plan in order (rows, not whole plans), for a filter."""
    statement = select(ActionPlan.id, ActionPlan.title).order_by(
        ActionPlan.position, ActionPlan.id
    )
    return list(session.execute(statement).all())


def get_by_slug(session: Session, slug: str) -> ActionPlan | None:
    """The plan with *slug*, if any."""
    return session.scalars(
        # the owner is shown on the plan page: load it here, whoever is viewing
        select(ActionPlan)
        .where(ActionPlan.slug == slug)
        .options(joinedload(ActionPlan.owner))
    ).one_or_none()


def create_plan(
    session: Session,
    actor: Person | None,
    *,
    title: str,
    goal: str = "",
    owner: Person | None = None,
    position: int | None = None,
) -> ActionPlan:
    """Create an action plan with a unique title and slug."""
    title = title.strip()
    _check_title_free(session, title, None)
    if position is None:
        position = (session.scalar(select(func.max(ActionPlan.position))) or 0) + 1
    plan = ActionPlan(
        title=title,
        slug=unique_slug(session, ActionPlan.slug, title),
        goal=goal,
        owner=owner,
        position=position,
    )
    session.add(plan)
    session.flush()
    activity.record(
        session, actor, "created", plan, after={"title": title}, plan_id=plan.id
    )
    return plan


def update_plan(
    session: Session,
    actor: Person | None,
    plan: ActionPlan,
    *,
    title: str,
    goal: str,
    owner: Person | None,
    position: int,
) -> ActionPlan:
    """Change a plan's title, goal, owner or position."""
    title = title.strip()
    _check_title_free(session, title, plan.id)
    before, after = activity.changes(
        plan, {"title": title, "goal": goal, "position": position}
    )
    if plan.owner_id != (owner.id if owner else None):
        before["owner"] = plan.owner.name if plan.owner else None
        after["owner"] = owner.name if owner else None
        plan.owner = owner
    if after:
        session.flush()
        activity.record(
            session, actor, "updated", plan, before=before, after=after, plan_id=plan.id
        )
    return plan


def close_plan(
    session: Session, actor: Person | None, plan: ActionPlan, now: datetime
) -> None:
    """Close a plan; its assignments and history stay."""
    if plan.state is PlanState.CLOSED:
        raise DomainError(_l("The action plan is already closed."))
    plan.state, plan.closed_at = PlanState.CLOSED, now
    activity.record(
        session,
        actor,
        "closed",
        plan,
        before={"state": "active"},
        after={"state": "closed"},
        plan_id=plan.id,
    )


def reopen_plan(session: Session, actor: Person | None, plan: ActionPlan) -> None:
    """Make a closed plan active again."""
    if plan.state is PlanState.ACTIVE:
        raise DomainError(_l("The action plan is already active."))
    plan.state, plan.closed_at = PlanState.ACTIVE, None
    activity.record(
        session,
        actor,
        "reopened",
        plan,
        before={"state": "closed"},
        after={"state": "active"},
        plan_id=plan.id,
    )


def _check_title_free(session: Session, title: str, current_id: int | None) -> None:
    clash = session.scalar(
        select(ActionPlan.id).where(
            func.lower(ActionPlan.title) == title.lower(),
            ActionPlan.id != (current_id or -1),
        )
    )
    if clash is not None:
        raise DomainError(
            _l("An action plan with this title already exists."), field="title"
        )


def set_documents_link(
    session: Session, actor: Person | None, plan: ActionPlan, link: str
) -> None:
    """Store *plan*'s documents link; refuse what documents.check_link refuses.

    An older value the rule no longer accepts may stay as it is (as for assignments).
    """
    link = link.strip()
    if link == plan.documents_link:
        return
    documents.check_link(link)
    before, after = {"documents_link": plan.documents_link}, {"documents_link": link}
    plan.documents_link = link
    session.flush()
    activity.record(
        session, actor, "updated", plan, before=before, after=after, plan_id=plan.id
    )
