"""Where every assignment stood at a moment, rebuilt from the activity log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models.activity import ActivityEvent
from tracker.models.assignments import Assignment, Stage
from tracker.models.plans import ActionPlan
from tracker.models.trello import TrelloBoard


class AssignmentState(NamedTuple):
    """An assignment's plan, stage and whether it had ended, at one moment."""

    plan_id: int
    stage: str
    closed: bool
    first: bool  # still in the first stage: not started
    done: bool  # open and in the last stage


def snapshot(
    session: Session, at: datetime, first: str, done: str
) -> dict[int, AssignmentState]:
    """Every assignment that existed at *at*, as it was then.

    The stage comes from the newest 'created'/'moved' event before *at*: one short
    backwards index scan per assignment, so the cost follows the number of
    assignments, not the length of the history.
    """
    stage_then = (
        select(ActivityEvent.after["stage"].as_string())
        .where(
            ActivityEvent.object_type == "Assignment",
            ActivityEvent.object_id == Assignment.id,
            ActivityEvent.created_at < at,
            ActivityEvent.verb.in_(("created", "moved")),
        )
        # the index ends in created_at (SQLite adds the rowid, PostgreSQL sorts
        # only the equal timestamps), so this stays a short backwards scan
        .order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
        .limit(1)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Assignment.id,
            Assignment.plan_id,
            Stage.name,
            Assignment.closed_at,
            stage_then,
        )
        .join(Assignment.stage)
        .where(Assignment.created_at < at)
    ).all()
    closed_then = _closed_at(session, at, {row[0] for row in rows})
    states = {}
    for assignment_id, plan_id, current, closed_at, logged in rows:
        stage = logged or current  # no event: older than the log, trust today's
        closed = closed_then.get(
            assignment_id, closed_at is not None and closed_at <= at
        )
        states[assignment_id] = AssignmentState(
            plan_id, stage, closed, stage == first, not closed and stage == done
        )
    return states


def _closed_at(session: Session, at: datetime, ids: set[int]) -> dict[int, bool]:
    """Corrections for assignments reopened after *at* (rare, so few rows).

    closed_at is the latest closing, so 'closed_at <= at' is right unless the
    assignment was closed at *at* and reopened later; only a 'reopened' event after
    *at* reveals that, and then the first close/reopen after *at* decides.
    """
    reopened = (
        set(
            session.scalars(
                select(ActivityEvent.object_id).where(
                    ActivityEvent.created_at >= at,
                    ActivityEvent.object_type == "Assignment",
                    ActivityEvent.verb == "reopened",
                )
            )
        )
        & ids
    )
    if not reopened:
        return {}
    events = session.execute(
        select(ActivityEvent.object_id, ActivityEvent.verb)
        .where(
            ActivityEvent.object_type == "Assignment",
            ActivityEvent.object_id.in_(reopened),
            ActivityEvent.created_at >= at,
            ActivityEvent.verb.in_(("closed", "reopened")),
        )
        .order_by(ActivityEvent.created_at, ActivityEvent.id)
    ).all()
    first_after: dict[int, str] = {}
    for object_id, verb in events:
        if object_id is not None:
            first_after.setdefault(object_id, verb)
    return {i: verb == "reopened" for i, verb in first_after.items()}


def progress_by_plan(
    states: dict[int, AssignmentState],
) -> dict[int, tuple[int, int]]:
    """(done, open total) per plan, the way the overview counts them."""
    counts: dict[int, tuple[int, int]] = {}
    for state in states.values():
        if state.closed:
            continue
        done, total = counts.get(state.plan_id, (0, 0))
        counts[state.plan_id] = (done + state.done, total + 1)
    return counts


def changes(
    before: dict[int, AssignmentState], after: dict[int, AssignmentState]
) -> dict[str, set[int]]:
    """Assignments new, started, finished and ended between two snapshots."""
    result: dict[str, set[int]] = {
        "new": set(),
        "started": set(),
        "finished": set(),
        "ended": set(),
    }
    for assignment_id, now in after.items():
        then = before.get(assignment_id)
        if then is None:
            result["new"].add(assignment_id)
        if now.closed:
            if then is None or not then.closed:
                result["ended"].add(assignment_id)
        elif now.done:
            if then is None or not then.done:
                result["finished"].add(assignment_id)
        elif not now.first and (then is None or (then.first and not then.closed)):
            result["started"].add(assignment_id)
    return result


def assignment_titles(
    session: Session, ids: Iterable[int]
) -> dict[int, tuple[str, str]]:
    """(assignment title, plan title) for *ids*."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(Assignment.id, Assignment.title, ActionPlan.title)
        .join(Assignment.plan)
        .where(Assignment.id.in_(wanted))
    )
    return {row[0]: (row[1], row[2]) for row in rows}


def board_links(session: Session) -> dict[int, str]:
    """Each plan's Trello board address, where the Trello sync has linked one."""
    rows = session.execute(
        select(TrelloBoard.plan_id, TrelloBoard.url, TrelloBoard.board_id)
    )
    return {
        plan_id: url or f"https://trello.com/b/{board_id}"
        for plan_id, url, board_id in rows
    }
