"""Fan the activity log out to the people it concerns, reading it with a stored cursor.

Idempotent: the cursor moves in the same transaction as the notifications it made,
and a person never gets two notifications with one key. The cursor stops before
events younger than *settle*, so an event whose transaction committed after a
later one (PostgreSQL hands out ids before commit) is still read; the few events
read twice are recognised by their keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.models.activity import ActivityEvent
from tracker.models.applications import Application, SelectionRun
from tracker.models.groups import RecruitmentMode, WorkingGroup
from tracker.models.notifications import FollowTarget, NotificationCursor
from tracker.services.attention import follows
from tracker.services.attention import notifications as n
from tracker.services.attention.notifications import Delivery

CURSOR = "notifications"
BATCH = 500
FOLLOWED = {
    ("Assignment", "moved"): n.STAGE,
    ("Assignment", "closed"): n.STAGE,
    ("Assignment", "reopened"): n.STAGE,
    ("Assignment", "reported"): n.REPORT,
    ("Milestone", "completed"): n.MILESTONE,
    ("WorkingGroup", "state_changed"): n.GROUP_STATE,
}


def fan_out(
    session: Session,
    *,
    now: datetime,
    settle: timedelta,
    checkpoint: Callable[[], Any] = lambda: None,
) -> int:
    """Notify about every event after the cursor; returns how many were made."""
    cursor = session.get(NotificationCursor, CURSOR)
    if cursor is None:
        cursor = NotificationCursor(name=CURSOR, last_event_id=0)
        session.add(cursor)
    position = settled = cursor.last_event_id
    made, settling = 0, False
    while True:
        events = list(
            session.scalars(
                select(ActivityEvent)
                .where(ActivityEvent.id > position)
                .order_by(ActivityEvent.id)
                .limit(BATCH)
            )
        )
        if not events:
            break
        made += n.store(session, deliveries(session, events), now=now)
        for event in events:
            settling = settling or event.created_at > now - settle
            settled = settled if settling else event.id
        position, cursor.last_event_id = events[-1].id, settled
        session.flush()
        checkpoint()
        if len(events) < BATCH:
            break
    return made


def start_now(session: Session) -> None:
    """Begin with the newest event: what happened before is history, not news."""
    if session.get(NotificationCursor, CURSOR) is None:
        newest = session.scalar(select(func.max(ActivityEvent.id))) or 0
        session.add(NotificationCursor(name=CURSOR, last_event_id=newest))
        session.flush()


def deliveries(session: Session, events: list[ActivityEvent]) -> list[Delivery]:
    """Who is told of what among *events* (never the one who did it)."""
    groups = _groups(session, events)
    kinds = {event.id: _kind(event, groups) for event in events}
    targets = {e.id: _targets(e) for e in events if kinds[e.id] is not None}
    followers = follows.followers(session, {t for ts in targets.values() for t in ts})
    broadcast = _Broadcast(session)
    found: list[Delivery] = []
    for event in events:
        kind = kinds[event.id]
        if kind is None:
            found += _applicants(session, event)
            continue
        people = set().union(*(followers.get(t, set()) for t in targets[event.id]))
        if kind == n.CALL_OPENED:
            people |= broadcast.open_calls()
        elif kind == n.DIGEST:
            people |= broadcast.everyone()
        params = _params(event, groups)
        found += [
            Delivery(p, kind, f"event:{event.id}", event.created_at, event.id, params)
            for p in people - {event.actor_id}
        ]
    allowed = n.eligible(session, {d.person_id for d in found})
    return [d for d in found if d.person_id in allowed]


class _Broadcast:
    """The everyone-lists, read once per batch and only if needed."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._everyone: set[int] | None = None
        self._calls: set[int] | None = None

    def everyone(self) -> set[int]:
        if self._everyone is None:
            self._everyone = n.logins(self.session)
        return self._everyone

    def open_calls(self) -> set[int]:
        if self._calls is None:
            self._calls = n.logins(self.session, open_calls_only=True)
        return self._calls


def _kind(event: ActivityEvent, groups: dict[int, WorkingGroup]) -> str | None:
    if (event.object_type, event.verb) == ("Digest", "published"):
        return n.DIGEST
    kind = FOLLOWED.get((event.object_type, event.verb))
    if kind == n.GROUP_STATE and (event.after or {}).get("state") == "recruiting":
        group = groups.get(event.group_id or 0)
        if group is not None and group.recruitment is not RecruitmentMode.INVITED:
            return n.CALL_OPENED
    return kind


def _targets(event: ActivityEvent) -> list[follows.Target]:
    pairs = [
        (FollowTarget.PLAN, event.plan_id),
        (FollowTarget.ASSIGNMENT, event.assignment_id),
        (FollowTarget.GROUP, event.group_id),
    ]
    return [(kind, i) for kind, i in pairs if i is not None]


def _groups(
    session: Session, events: Iterable[ActivityEvent]
) -> dict[int, WorkingGroup]:
    ids = {e.group_id for e in events if e.group_id is not None}
    if not ids:
        return {}
    rows = session.scalars(select(WorkingGroup).where(WorkingGroup.id.in_(ids)))
    return {group.id: group for group in rows}


def _params(event: ActivityEvent, groups: dict[int, WorkingGroup]) -> dict[str, Any]:
    group = groups.get(event.group_id or 0)
    if group is None:
        return {}
    params = {"slug": group.slug}
    if group.signup_deadline is not None:
        params["deadline"] = group.signup_deadline.isoformat()
    return params


def _applicants(session: Session, event: ActivityEvent) -> list[Delivery]:
    """Application events: only the applicant hears of them (outcome, invitation)."""
    if event.object_type == "SelectionRun" and event.verb == "selection_confirmed":
        run = session.get(SelectionRun, event.object_id)
        ids = [c["id"] for c in run.inputs.get("candidates", [])] if run else []
        chosen = set((event.after or {}).get("selected", []))
        key = "outcome:{}"
    elif event.object_type == "Application" and event.verb in ("moved_up", "invited"):
        ids, chosen, key = (
            [event.object_id],
            {event.object_id},
            f"event:{event.id}:{{}}",
        )
    else:
        return []
    kind = n.INVITED if event.verb == "invited" else n.OUTCOME
    rows = session.execute(
        select(Application.id, Application.person_id).where(Application.id.in_(ids))
    )
    return [
        Delivery(
            person_id,
            kind,
            key.format(application_id),
            event.created_at,
            event.id,
            {"group": event.object_label, "selected": application_id in chosen},
            mail=False,  # the recruitment e-mail has told them already
        )
        for application_id, person_id in rows
        if person_id is not None
    ]
