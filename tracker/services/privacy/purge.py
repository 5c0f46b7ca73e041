"""The purge: blank every copy of old applicants' data, and old e-mail bodies."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from tracker.models.applications import Application, ApplicationStatus
from tracker.models.groups import WorkingGroup
from tracker.models.mail import OutboxMessage
from tracker.services import activity
from tracker.services.privacy.registry import (
    APPLICATION,
    DETAIL,
    EVENT,
    PERSON,
    REGISTRY,
    TEXT,
    Entry,
)
from tracker.services.privacy.targets import Purged

# Outcomes whose details are blanked after the retention time (members keep theirs)
PURGED = (
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.DECLINED,
)
# Never decided (a call without a selection, a waitlist, an unanswered invitation):
# blanked the retention time after their group closed
UNDECIDED = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.INVITED,
)
REMOVED = "[borttaget]"  # what a name scrubbed from a draft reads as


def purge(session: Session, *, now: datetime, retention_months: int) -> int:
    """Anonymise applications that ended without a seat long enough ago; count them."""
    cutoff = now - timedelta(days=round(retention_months * 30.44))
    closed = select(WorkingGroup.id).where(WorkingGroup.closed_at < cutoff)
    old = session.scalars(
        select(Application)
        .where(
            Application.anonymised_at.is_(None),
            or_(
                and_(Application.status.in_(PURGED), Application.decided_at < cutoff),
                and_(
                    Application.status.in_(UNDECIDED),
                    Application.group_id.in_(closed),
                ),
            ),
        )
        .order_by(Application.id)
    ).all()
    if not old:
        return 0
    purge_applications(session, Purged.of(session, old, now))
    activity.record(
        session,
        None,
        "applications_anonymised",
        old[0],
        after={"count": len(old)},
        label=str(len(old)),  # shown after the verb; a number reads in any language
    )
    return len(old)


def purge_applications(session: Session, purged: Purged) -> None:
    """Blank *purged*'s applications in every table of the registry."""
    # the tables are updated directly, below the loaded objects: write them first,
    # and load them again wherever the purge reads them
    session.flush()
    session.expire_all()
    for entry in REGISTRY:
        _blank_linked(session, entry, purged)
        if entry.scrub is not None:
            _scrub(session, entry, purged)
        if entry.purge is not None:
            entry.purge(session, purged)
    session.execute(
        sa.update(Application)
        .where(Application.id.in_(list(purged.applications)))
        .values(anonymised_at=purged.now)
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
    session.expire_all()  # loaded objects must show the blanks, not what was


def expire_mail_bodies(session: Session, *, now: datetime, days: int) -> int:
    """Blank the bodies of e-mail delivered more than *days* ago; count them."""
    result = session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.sent_at < now - timedelta(days=days))
        .where(or_(OutboxMessage.body != "", OutboxMessage.html.is_not(None)))
        .values(body="", html=None)
        .execution_options(synchronize_session="fetch")
    )
    return rowcount(result)


def rowcount(result: sa.Result[Any]) -> int:
    """How many rows an UPDATE changed."""
    return int(cast("sa.CursorResult[Any]", result).rowcount or 0)


def _blank_linked(session: Session, entry: Entry, purged: Purged) -> None:
    """Rows that are a copy of a purged application lose its details."""
    links = [c.in_(list(purged.applications)) for c in entry.holding(APPLICATION)]
    links += [c.in_(list(purged.events)) for c in entry.holding(EVENT)]
    if not links:
        return
    blanks: dict[str, Any] = {c.name: _blank(c) for c in entry.holding(DETAIL, TEXT)}
    rows = entry.sa_table.update().where(or_(*links))
    if blanks:
        session.execute(rows.values(blanks))
    for column in entry.holding(PERSON):
        if column.nullable:
            session.execute(
                rows.where(column.in_(list(purged.people))).values({column.name: None})
            )


def _blank(column: sa.Column[Any]) -> Any:
    if column.nullable:
        return None
    if isinstance(column.type, sa.JSON):
        default = column.default
        if isinstance(default, sa.ColumnDefault) and default.is_callable:
            return default.arg(None)
        return []  # lists are the JSON of rows of their own (recipients)
    return ""


def _scrub(session: Session, entry: Entry, purged: Purged) -> None:
    """Rows in *entry*'s scrub scope lose the applicants' names and addresses."""
    if not purged.words or entry.scrub is None:
        return
    table, texts = entry.sa_table, entry.holding(TEXT)
    key = next(iter(table.primary_key.columns))
    # JSON keeps non-ASCII letters escaped (\u00e5), so look for both spellings
    spellings = {form for w in purged.words for form in (w, json.dumps(w)[1:-1])}
    mentions = or_(
        *(sa.cast(c, sa.String).contains(w) for c in texts for w in spellings)
    )
    rows = session.execute(
        select(key, *texts).where(entry.scrub(purged), mentions)
    ).all()
    for row in rows:
        values = {
            c.name: _without(row[i + 1], purged.words) for i, c in enumerate(texts)
        }
        session.execute(table.update().where(key == row[0]).values(values))


def _without(value: Any, words: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        for word in words:
            value = value.replace(word, REMOVED)
        return value
    if isinstance(value, list):
        return [_without(item, words) for item in value]
    if isinstance(value, dict):
        return {k: _without(v, words) for k, v in value.items()}
    return value
