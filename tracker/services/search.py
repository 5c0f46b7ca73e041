"""Search over plans, assignments and groups."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from tracker.db import contains
from tracker.models.assignments import Assignment
from tracker.models.groups import WorkingGroup
from tracker.models.plans import ActionPlan

LIMIT = 50


@dataclass(frozen=True)
class SearchResults:
    """Matches per kind of object."""

    plans: list[ActionPlan]
    assignments: list[Assignment]
    groups: list[WorkingGroup]

    @property
    def count(self) -> int:
        """How many matches in all."""
        return len(self.plans) + len(self.assignments) + len(self.groups)


def search(session: Session, text: str) -> SearchResults:
    """Case-insensitive substring search in titles and texts."""
    words = [w for w in text.split() if w][:8]
    if not words:
        return SearchResults([], [], [])

    def matches(*columns: InstrumentedAttribute[str]) -> list[ColumnElement[bool]]:
        # every word must appear in at least one of the columns
        return [
            or_(*(col.ilike(contains(word), escape="\\") for col in columns))
            for word in words
        ]

    plan_list = session.scalars(
        select(ActionPlan)
        .where(*matches(ActionPlan.title, ActionPlan.goal))
        .limit(LIMIT)
    ).all()
    assignment_list = session.scalars(
        select(Assignment)
        .where(*matches(Assignment.title, Assignment.description, Assignment.outcome))
        .options(selectinload(Assignment.plan))
        .order_by(Assignment.title)
        .limit(LIMIT)
    ).all()
    group_list = session.scalars(
        select(WorkingGroup)
        .where(*matches(WorkingGroup.name, WorkingGroup.purpose))
        .limit(LIMIT)
    ).all()
    return SearchResults(list(plan_list), list(assignment_list), list(group_list))
