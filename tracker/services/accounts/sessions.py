"""Sessions that end: one row per logged-in browser, keyed by a secret in its cookie.

The cookie's login id also carries the person's session generation
(Person.get_id): raising it (people.end_all_sessions) ends all their sessions at once.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from tracker.models.accounts import LoginSession
from tracker.models.people import Person
from tracker.services import people


def key_hash(key: str) -> str:
    """What the table stores of a session key."""
    return hashlib.sha256(key.encode()).hexdigest()


def start_session(
    session: Session,
    person: Person,
    *,
    now: datetime,
    lifetime: timedelta,
    id_token: str | None = None,
) -> str:
    """Record a new login of *person*; return the key for the session cookie."""
    session.execute(
        delete(LoginSession).where(LoginSession.created_at < now - lifetime)
    )
    key = secrets.token_urlsafe(32)
    session.add(
        LoginSession(
            person_id=person.id,
            key_hash=key_hash(key),
            id_token=id_token,
            created_at=now,
        )
    )
    session.flush()
    return key


def end_session(session: Session, key: str) -> str | None:
    """End the session of *key*; return its identity provider's ID token, if any."""
    row = session.scalars(
        select(LoginSession).where(LoginSession.key_hash == key_hash(key))
    ).first()
    if row is None:
        return None
    session.delete(row)
    session.flush()
    return row.id_token


def end_other_sessions(session: Session, person: Person, keep: str) -> None:
    """End every session of *person* but the one of key *keep*."""
    people.end_all_sessions(person)  # the kept one is logged in again by the caller
    session.execute(
        delete(LoginSession).where(
            LoginSession.person_id == person.id, LoginSession.key_hash != key_hash(keep)
        )
    )


def count_sessions(session: Session, person: Person, *, since: datetime) -> int:
    """How many browsers *person* is logged in on (sessions started after *since*)."""
    statement = select(func.count()).where(
        LoginSession.person_id == person.id, LoginSession.created_at >= since
    )
    return session.scalar(statement) or 0
