"""Reminders nothing in the log announces: milestones overdue, deadlines drawing near.

Run daily; each reminder's key holds the date it is about, so running twice (or
after downtime, within the windows) tells nobody twice.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models.applications import Application, ApplicationStatus
from tracker.models.assignments import Assignment, Milestone
from tracker.models.groups import GroupState, WorkingGroup
from tracker.models.notifications import FollowTarget
from tracker.services.attention import follows
from tracker.services.attention import notifications as n
from tracker.services.attention.notifications import Delivery

# a scheduler down for a few days still reminds of what fell due meanwhile
OVERDUE_WINDOW_DAYS = 7
WAITING = (ApplicationStatus.SUBMITTED, ApplicationStatus.INVITED)


def remind(
    session: Session, *, today: date, now: datetime, deadline_days: int = 3
) -> int:
    """Tell followers of overdue milestones and applicants of near deadlines."""
    found = overdue_milestones(session, today=today, now=now)
    found += near_deadlines(session, today=today, now=now, days=deadline_days)
    allowed = n.eligible(session, {d.person_id for d in found})
    return n.store(session, [d for d in found if d.person_id in allowed], now=now)


def overdue_milestones(
    session: Session, *, today: date, now: datetime
) -> list[Delivery]:
    """Milestones that fell due in the last week and are not done, to followers."""
    rows = session.execute(
        select(Milestone, Assignment)
        .join(Assignment, Assignment.id == Milestone.assignment_id)
        .where(
            Milestone.done.is_(False),
            Milestone.due_on < today,
            Milestone.due_on >= today - timedelta(days=OVERDUE_WINDOW_DAYS),
            Assignment.closed_at.is_(None),
        )
    ).all()
    targets = {(FollowTarget.ASSIGNMENT, a.id) for _, a in rows}
    targets |= {(FollowTarget.PLAN, a.plan_id) for _, a in rows}
    followers = follows.followers(session, targets)
    found = []
    for milestone, assignment in rows:
        if milestone.due_on is None:  # never: the query asked for a date
            continue
        people = followers.get((FollowTarget.ASSIGNMENT, assignment.id), set())
        people = people | followers.get((FollowTarget.PLAN, assignment.plan_id), set())
        params = {
            "milestone": milestone.title,
            "assignment": assignment.title,
            "assignment_id": assignment.id,
            "due_on": milestone.due_on.isoformat(),
        }
        key = f"overdue:{milestone.id}:{milestone.due_on.isoformat()}"
        found += [Delivery(p, n.OVERDUE, key, now, params=params) for p in people]
    return found


def near_deadlines(
    session: Session, *, today: date, now: datetime, days: int
) -> list[Delivery]:
    """Sign-up deadlines at most *days* away, to those who applied or were invited."""
    rows = session.execute(
        select(WorkingGroup, Application.person_id)
        .join(Application, Application.group_id == WorkingGroup.id)
        .where(
            WorkingGroup.state == GroupState.RECRUITING,
            WorkingGroup.signup_deadline >= today,
            WorkingGroup.signup_deadline <= today + timedelta(days=days),
            Application.status.in_(WAITING),
            Application.person_id.is_not(None),
        )
    ).all()
    found = []
    for group, person_id in rows:
        if group.signup_deadline is None or person_id is None:  # the query excludes
            continue
        deadline = group.signup_deadline.isoformat()
        params = {"group": group.name, "slug": group.slug, "deadline": deadline}
        key = f"deadline:{group.id}:{deadline}"
        found.append(Delivery(person_id, n.DEADLINE, key, now, params=params))
    return found
