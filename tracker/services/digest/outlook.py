"""What the digest looks ahead to: open calls and next month's dates."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.models.activity import ActivityEvent
from tracker.models.assignments import Assignment, Milestone
from tracker.models.groups import GroupState, RecruitmentMode, WorkingGroup
from tracker.services.digest.months import swedish_date

if TYPE_CHECKING:
    from tracker.services.digest.months import Month


LIST_LIMIT = 25  # longer lists end in "och N till"; a digest is read, not searched


def capped(rows: list[Any]) -> dict[str, Any]:
    """At most LIST_LIMIT rows, and how many more there were."""
    return {
        "rows": rows[:LIST_LIMIT],
        "count": len(rows),
        "more": max(0, len(rows) - LIST_LIMIT),
    }


def open_calls(
    session: Session, end: datetime, today: date, base: str
) -> list[dict[str, Any]]:
    """Calls open at the month's *end*, the nearest deadline first, each with its
    state *today* (when the digest is drafted or published)."""
    last_day = (end - timedelta(microseconds=1)).astimezone(STOCKHOLM).date()
    groups = session.scalars(
        select(WorkingGroup)
        .where(
            WorkingGroup.recruitment != RecruitmentMode.INVITED,
            WorkingGroup.created_at < end,
            or_(
                WorkingGroup.signup_deadline.is_(None),
                WorkingGroup.signup_deadline >= last_day,
            ),
        )
        .order_by(WorkingGroup.signup_deadline, WorkingGroup.name)
    ).all()
    states = _states_at(session, [g.id for g in groups], end)
    return [
        _call_row(group, today, base)
        for group in groups
        if states.get(group.id, group.state.value) == GroupState.RECRUITING.value
    ]


def _call_row(group: WorkingGroup, today: date, base: str) -> dict[str, Any]:
    deadline = group.signup_deadline
    open_now = group.state is GroupState.RECRUITING and (
        deadline is None or deadline >= today
    )
    return {
        "name": group.name,
        "url": f"{base}/groups/{group.slug}",
        "deadline": deadline.isoformat() if deadline else "",
        "deadline_label": swedish_date(deadline) if deadline else "",
        "open_now": open_now,
    }


def _states_at(session: Session, ids: list[int], end: datetime) -> dict[int, str]:
    """Each group's state at *end*: the last change before it, else the state the
    first change after it left (no change at all: today's state)."""
    if not ids:
        return {}
    rows = session.execute(
        select(
            ActivityEvent.object_id,
            ActivityEvent.created_at,
            ActivityEvent.before["state"].as_string(),
            ActivityEvent.after["state"].as_string(),
        )
        .where(
            ActivityEvent.object_type == "WorkingGroup",
            ActivityEvent.object_id.in_(ids),
            ActivityEvent.verb == "state_changed",
        )
        .order_by(ActivityEvent.created_at, ActivityEvent.id)
    ).all()
    states: dict[int, str] = {}
    decided: set[int] = set()
    for group_id, created_at, before, after in rows:
        if group_id is None or group_id in decided:
            continue
        if created_at < end:
            states[group_id] = after
        else:
            if group_id not in states:
                states[group_id] = before
            decided.add(group_id)
    return states


def coming(session: Session, month: Month, base: str) -> dict[str, Any]:
    """Milestones, assignment ends and group starts in *month*."""
    first, last = month.first_day, month.last_day
    return {
        "milestones": capped(_milestones_due(session, first, last, base)),
        "ending": capped(_assignments_ending(session, first, last, base)),
        "groups_starting": capped(_groups_starting(session, first, last, base)),
    }


def _milestones_due(
    session: Session, first: date, last: date, base: str
) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Milestone.title, Milestone.due_on, Assignment.id, Assignment.title)
        .join(Milestone.assignment)
        .where(
            Milestone.done.is_(False),
            Milestone.due_on.between(first, last),
            Assignment.closed_at.is_(None),
        )
        .order_by(Milestone.due_on, Milestone.title)
    )
    return [
        {
            "title": title,
            "date_label": swedish_date(due),
            "assignment": assignment,
            "url": f"{base}/assignments/{assignment_id}",
        }
        for title, due, assignment_id, assignment in rows
    ]


def _assignments_ending(
    session: Session, first: date, last: date, base: str
) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Assignment.id, Assignment.title, Assignment.ends_on)
        .where(Assignment.closed_at.is_(None), Assignment.ends_on.between(first, last))
        .order_by(Assignment.ends_on, Assignment.title)
    )
    return [
        {
            "title": title,
            "date_label": swedish_date(ends),
            "url": f"{base}/assignments/{assignment_id}",
        }
        for assignment_id, title, ends in rows
    ]


def _groups_starting(
    session: Session, first: date, last: date, base: str
) -> list[dict[str, Any]]:
    rows = session.execute(
        select(WorkingGroup.name, WorkingGroup.slug, WorkingGroup.starts_on)
        .where(
            WorkingGroup.state != GroupState.CLOSED,
            WorkingGroup.starts_on.between(first, last),
        )
        .order_by(WorkingGroup.starts_on, WorkingGroup.name)
    )
    return [
        {
            "name": name,
            "date_label": swedish_date(starts),
            "url": f"{base}/groups/{slug}",
        }
        for name, slug, starts in rows
    ]
