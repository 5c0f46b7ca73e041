"""Notifications: store them once per person and key, list them, mark them read.

The fan-out job (fanout.py) and the daily reminders (reminders.py) write through
store(); the pages read through page() and unread_expression(); e-mail goes
through summaries.py. Everyone's e-mail schedule lives here too.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session

from tracker.models.notifications import (
    EmailSchedule,
    Notification,
    NotificationSettings,
)
from tracker.models.people import Person

STAGE = "stage"  # an assignment moved, ended or was reopened
REPORT = "report"  # a progress report
MILESTONE = "milestone"  # a milestone reached
OVERDUE = "overdue"  # a milestone past its date and not done
GROUP_STATE = "group_state"  # a working group started, closed, ...
CALL_OPENED = "call_opened"  # a group opened for applications (to all staff)
DEADLINE = "deadline"  # a sign-up deadline three days away (applicants, invited)
OUTCOME = "outcome"  # the selection's outcome (the applicant only)
INVITED = "invited"  # an invitation to a group (the invited person only)
DIGEST = "digest"  # the monthly digest was published
# too urgent to wait for a daily or weekly summary
URGENT = frozenset({CALL_OPENED, DEADLINE})
PAGE_SIZE = 50


@dataclass(frozen=True)
class Delivery:
    """One notification to be made, unless the person already has its key."""

    person_id: int
    kind: str
    key: str
    happened_at: datetime
    event_id: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    mail: bool = True


def store(session: Session, deliveries: Iterable[Delivery], *, now: datetime) -> int:
    """Add the deliveries that are new for their person; returns how many were."""
    wanted = {(d.person_id, d.key): d for d in deliveries}
    if not wanted:
        return 0
    keys = sorted({key for _, key in wanted})
    existing: set[tuple[int, str]] = set()
    for chunk in _chunks(keys, 500):
        existing |= {
            (person_id, key)
            for person_id, key in session.execute(
                select(Notification.person_id, Notification.key).where(
                    Notification.key.in_(chunk)
                )
            )
        }
    new = [d for pair, d in wanted.items() if pair not in existing]
    session.add_all(
        Notification(
            person_id=d.person_id,
            key=d.key,
            kind=d.kind,
            event_id=d.event_id,
            params=d.params,
            happened_at=d.happened_at,
            created_at=now,
            mail=d.mail,
        )
        for d in new
    )
    session.flush()
    return len(new)


def eligible(session: Session, person_ids: Iterable[int]) -> set[int]:
    """Who may be told: active logins, and external people with address and consent."""
    ids = sorted(set(person_ids))
    found: set[int] = set()
    for chunk in _chunks(ids, 500):
        found |= set(
            session.scalars(
                select(Person.id).where(
                    Person.id.in_(chunk),
                    Person.active.is_(True),
                    or_(
                        Person.password_hash.is_not(None),
                        Person.external.is_(True)
                        & Person.email.is_not(None)
                        & Person.consent_on.is_not(None),
                    ),
                )
            )
        )
    return found


def logins(session: Session, *, open_calls_only: bool = False) -> set[int]:
    """Every active login (optionally only those who want to hear of open calls)."""
    statement = select(Person.id).where(
        Person.active.is_(True), Person.password_hash.is_not(None)
    )
    if open_calls_only:
        opted_out = select(NotificationSettings.person_id).where(
            NotificationSettings.open_calls.is_(False)
        )
        statement = statement.where(Person.id.not_in(opted_out))
    return set(session.scalars(statement))


def unread_expression(person_id: ColumnElement[Any]) -> ColumnElement[int]:
    """An SQL count of *person_id*'s unread notifications (read with the login)."""
    return (
        select(func.count(Notification.id))
        .where(Notification.person_id == person_id, Notification.read_at.is_(None))
        .scalar_subquery()
    )


def unread_count(session: Session, person_id: int) -> int:
    """How many of the person's notifications are unread."""
    return int(
        session.scalar(
            select(func.count(Notification.id)).where(
                Notification.person_id == person_id, Notification.read_at.is_(None)
            )
        )
        or 0
    )


def page(session: Session, person_id: int, *, offset: int = 0) -> list[Notification]:
    """A page of the person's notifications, newest first, and one more if there is."""
    statement = (
        select(Notification)
        .where(Notification.person_id == person_id)
        .order_by(Notification.happened_at.desc(), Notification.id.desc())
        .offset(max(offset, 0))
        .limit(PAGE_SIZE + 1)
    )
    return list(session.scalars(statement))


def mark_read(
    session: Session, person_id: int, *, now: datetime, notification_id: int | None
) -> int:
    """Mark one (or, with None, every) unread notification of the person as read."""
    statement = update(Notification).where(
        Notification.person_id == person_id, Notification.read_at.is_(None)
    )
    if notification_id is not None:
        statement = statement.where(Notification.id == notification_id)
    result = session.execute(statement.values(read_at=now))
    session.flush()
    return int(getattr(result, "rowcount", 0) or 0)


def get_for(
    session: Session, person_id: int, notification_id: int
) -> Notification | None:
    """The person's own notification, or None (someone else's is not theirs to see)."""
    notification = session.get(Notification, notification_id)
    if notification is None or notification.person_id != person_id:
        return None
    return notification


def settings_of(
    session: Session, person_id: int, *, default: EmailSchedule
) -> NotificationSettings:
    """The person's settings; an unsaved row with the defaults when they have none."""
    row = session.get(NotificationSettings, person_id)
    if row is None:
        row = NotificationSettings(
            person_id=person_id, schedule=default, open_calls=True
        )
    return row


def save_settings(
    session: Session, person: Person, *, schedule: EmailSchedule, open_calls: bool
) -> None:
    """Choose how often e-mail comes, and whether to hear of every open call."""
    row = session.get(NotificationSettings, person.id)
    if row is None:
        row = NotificationSettings(person_id=person.id)
        session.add(row)
    row.schedule, row.open_calls = schedule, open_calls
    session.flush()


def _chunks(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
