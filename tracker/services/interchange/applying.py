"""Writing checked records: update by key, create when the key is new."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from tracker.models.assignments import Assignment, Milestone
from tracker.models.groups import Membership, WorkingGroup
from tracker.models.people import Person
from tracker.models.plans import ActionPlan, PlanState
from tracker.services import activity
from tracker.services.interchange import tables
from tracker.services.interchange.checking import Record
from tracker.services.interchange.context import Known


@dataclass
class Summary:
    """What an import did (or, in a dry run, would do) per file."""

    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)


@dataclass
class Writer:
    """Applies records in file order, logging each change in the activity log."""

    session: Session
    known: Known
    actor: Person | None
    now: datetime
    summary: Summary = field(default_factory=Summary)

    def save(self, name: str, obj: Any, values: dict[str, Any], **scope: Any) -> None:
        """Set *values* on *obj* (new or not) and log what changed."""
        new = obj.id is None
        before, after = activity.changes(obj, values)
        self.session.add(obj)
        self.session.flush()
        counts = self.summary.created if new else self.summary.updated
        if not new and not after:
            counts = self.summary.unchanged
        counts[name] = counts.get(name, 0) + 1
        if new or after:
            verb = "created" if new else "updated"
            activity.record(
                self.session,
                self.actor,
                verb,
                obj,
                before=before,
                after=after,
                **_ids(obj, scope),
            )

    def plan(self, record: Record) -> None:
        """plans.csv."""
        plan = self.known.plans.get(record.key) or ActionPlan(slug=record.key)
        self.known.plans[record.key] = plan
        closed = record.values["state"] is PlanState.CLOSED
        closed_at = (plan.closed_at or self.now) if closed else None
        self.save(tables.PLANS, plan, dict(record.values, closed_at=closed_at))

    def group(self, record: Record) -> None:
        """groups.csv."""
        group = self.known.groups.get(record.key) or WorkingGroup(slug=record.key)
        self.known.groups[record.key] = group
        self.save(tables.GROUPS, group, record.values)

    def assignment(self, record: Record) -> None:
        """assignments.csv."""
        values = dict(record.values)
        slugs = values.pop("groups")
        values["plan"] = self.known.plans[values["plan"]]
        assignment = self.known.assignments.get(record.key or 0) or Assignment()
        self.save(tables.ASSIGNMENTS, assignment, values)
        for group in self.known.groups.values():
            linked = assignment in group.assignments
            if linked != (group.slug in slugs):
                if linked:
                    group.assignments.remove(assignment)
                else:
                    group.assignments.append(assignment)

    def milestone(self, record: Record) -> None:
        """milestones.csv."""
        milestone = self.known.milestones.get(record.key or 0) or Milestone()
        values = dict(record.values)
        if values["done"] != milestone.done or milestone.id is None:
            values["done_at"] = self.now if values["done"] else None
        self.save(tables.MILESTONES, milestone, values)

    def membership(self, record: Record) -> None:
        """memberships.csv."""
        membership = self.known.memberships.get(record.key or 0) or Membership()
        values = dict(record.values, group=self.known.groups[record.values["group"]])
        self.save(tables.MEMBERSHIPS, membership, values)

    def writers(self) -> dict[str, Callable[[Record], None]]:
        """The writer of each file."""
        return {
            tables.PLANS: self.plan,
            tables.GROUPS: self.group,
            tables.ASSIGNMENTS: self.assignment,
            tables.MILESTONES: self.milestone,
            tables.MEMBERSHIPS: self.membership,
        }


def _ids(obj: Any, scope: dict[str, Any]) -> dict[str, Any]:
    if isinstance(obj, ActionPlan):
        return {"plan_id": obj.id}
    if isinstance(obj, WorkingGroup):
        return {"group_id": obj.id}
    if isinstance(obj, Assignment):
        return {"plan_id": obj.plan_id, "assignment_id": obj.id}
    if isinstance(obj, Milestone):
        return {"assignment_id": obj.assignment_id}
    if isinstance(obj, Membership):
        return {"group_id": obj.group_id}
    return scope
