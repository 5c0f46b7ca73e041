"""Where every assignment stood at a moment, rebuilt from the activity log."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models.activity import ActivityEvent
from tracker.models.assignments import Assignment, Stage
from tracker.models.plans import ActionPlan
from tracker.models.trello import TrelloBoard

END_OF_TIME = datetime(9000, 1, 1, tzinfo=UTC)


class AssignmentState(NamedTuple):
    """An assignment's plan, stage and whether it had ended, at one moment."""

    plan_id: int
    stage: str
    closed: bool
    first: bool  # still in the first stage: not started
    done: bool  # open and in the last stage


Reopens = dict[int, list[tuple[datetime, str]]]


def snapshot(
    session: Session, at: datetime, first: str, done: str, reopens: Reopens
) -> dict[int, AssignmentState]:
    """Every assignment that existed at *at*, as it was then.

    *reopens* comes from reopen_history() for a moment no later than *at*.

    The stage comes from the newest 'created'/'moved' event before *at*: one short
    backwards index scan per assignment, so the cost follows the number of
    assignments, not the length of the history.
    """
    rows = session.execute(
        select(
            Assignment.id,
            Assignment.plan_id,
            Stage.name,
            Assignment.closed_at,
            _stage_then(at),
        )
        .join(Assignment.stage)
        .where(Assignment.created_at < at)
    ).all()
    states = {}
    for assignment_id, plan_id, current, closed_at, logged in rows:
        stage = logged or current  # no event: older than the log, trust today's
        closed = _closed_then(reopens.get(assignment_id, []), at)
        if closed is None:
            closed = closed_at is not None and closed_at <= at
        states[assignment_id] = AssignmentState(
            plan_id, stage, closed, stage == first, not closed and stage == done
        )
    return states


def _stage_then(at: datetime) -> Any:
    """The stage of the newest 'created'/'moved' event before *at* (correlated)."""
    return (
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


def reopen_history(session: Session, since: datetime) -> Reopens:
    """Close and reopen events after *since* of the assignments reopened since.

    closed_at is the latest closing, so 'closed_at <= at' tells whether an
    assignment had ended at *at* unless it was reopened later; reopening is rare,
    and only those assignments need their close/reopen events. One scan of the
    events after *since* serves every snapshot from then on.
    """
    statement = select(ActivityEvent.object_id).where(
        ActivityEvent.created_at >= since,
        # a two-sided range makes SQLite's planner walk the created_at index
        # (the events after *since*) rather than every Assignment event ever
        ActivityEvent.created_at < END_OF_TIME,
        ActivityEvent.object_type == "Assignment",
        ActivityEvent.verb == "reopened",
    )
    reopened = set(session.scalars(statement))
    if not reopened:
        return {}
    events = session.execute(
        select(ActivityEvent.object_id, ActivityEvent.created_at, ActivityEvent.verb)
        .where(
            ActivityEvent.object_type == "Assignment",
            ActivityEvent.object_id.in_(reopened),
            ActivityEvent.created_at >= since,
            ActivityEvent.verb.in_(("closed", "reopened")),
        )
        .order_by(ActivityEvent.created_at, ActivityEvent.id)
    ).all()
    history: Reopens = {}
    for object_id, created_at, verb in events:
        if object_id is not None:
            history.setdefault(object_id, []).append((created_at, verb))
    return history


def _closed_then(history: list[tuple[datetime, str]], at: datetime) -> bool | None:
    """The first close/reopen after *at* says what it was at *at* (None: no event)."""
    for created_at, verb in history:
        if created_at >= at:
            return verb == "reopened"
    return None


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
) -> dict[int, tuple[str, str, int]]:
    """(assignment title, plan title, plan id) for *ids*."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(Assignment.id, Assignment.title, ActionPlan.title, ActionPlan.id)
        .join(Assignment.plan)
        .where(Assignment.id.in_(wanted))
    )
    return {row[0]: (row[1], row[2], row[3]) for row in rows}


def board_links(session: Session) -> dict[int, str]:
    """Each plan's Trello board address, where the Trello sync has linked one."""
    rows = session.execute(
        select(TrelloBoard.plan_id, TrelloBoard.url, TrelloBoard.board_id)
    )
    return {
        plan_id: url or f"https://trello.com/b/{board_id}"
        for plan_id, url, board_id in rows
    }
