"""Milestones of an assignment."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.orm import Session

from tracker.models.assignments import Assignment, Milestone
from tracker.models.people import Person
from tracker.services import activity


def add_milestone(
    session: Session,
    actor: Person | None,
    assignment: Assignment,
    *,
    title: str,
    due_on: date | None,
) -> Milestone:
    """Add a milestone to an assignment."""
    milestone = Milestone(assignment=assignment, title=title.strip(), due_on=due_on)
    session.add(milestone)
    _log(
        session,
        actor,
        "created",
        milestone,
        {},
        {"title": milestone.title, "due_on": due_on},
    )
    return milestone


def update_milestone(
    session: Session,
    actor: Person | None,
    milestone: Milestone,
    *,
    title: str,
    due_on: date | None,
) -> None:
    """Change a milestone's title or due date."""
    before, after = activity.changes(
        milestone, {"title": title.strip(), "due_on": due_on}
    )
    if after:
        _log(session, actor, "updated", milestone, before, after)


def set_done(
    session: Session,
    actor: Person | None,
    milestone: Milestone,
    done: bool,
    now: datetime,
) -> bool:
    """Tick or untick a milestone; returns False when nothing changed."""
    if milestone.done == done:
        return False
    milestone.done, milestone.done_at = done, (now if done else None)
    _log(
        session,
        actor,
        "completed" if done else "reopened",
        milestone,
        {"done": not done},
        {"done": done},
    )
    return True


def delete_milestone(
    session: Session, actor: Person | None, milestone: Milestone
) -> None:
    """Remove a milestone; the log remembers it."""
    _log(session, actor, "deleted", milestone, {"title": milestone.title}, {})
    session.delete(milestone)
    session.flush()


def _log(
    session: Session,
    actor: Person | None,
    verb: str,
    milestone: Milestone,
    before: dict[str, object],
    after: dict[str, object],
) -> None:
    session.flush()
    assignment = milestone.assignment
    activity.record(
        session,
        actor,
        verb,
        milestone,
        before=before or None,
        after=after or None,
        plan_id=assignment.plan_id,
        assignment_id=assignment.id,
    )
