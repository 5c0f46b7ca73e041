"""Personal API tokens: made and revoked by their owner, only the hash kept."""

from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.accounts import ApiToken, TokenScope
from tracker.models.people import Person

PREFIX = "trk_"
LONGEST_LIFE = timedelta(days=366)
MAX_TOKEN_LENGTH = 200
MAX_TOKENS = 20


class Refusal(enum.Enum):
    """Why a token opened nothing."""

    UNKNOWN = "unknown"  # no such token (or malformed)
    EXPIRED = "expired"
    REVOKED = "revoked"
    NO_LOGIN = "no login"  # its person may no longer log in


@dataclass(frozen=True)
class Caller:
    """The person an API request acts for, and what their token allows."""

    person: Person
    token: ApiToken

    @property
    def may_write(self) -> bool:
        """Whether the token is scoped read-write."""
        return self.token.scope is TokenScope.READ_WRITE


def create_token(
    session: Session,
    person: Person,
    *,
    name: str,
    scope: TokenScope,
    expires_on: date,
    today: date,
) -> tuple[ApiToken, str]:
    """A new token for *person*; the secret is returned once and never stored."""
    name = name.strip()
    if not name or len(name) > 100:
        raise DomainError(
            _l("Give the token a name of at most 100 characters."), "name"
        )
    if not today < expires_on <= today + LONGEST_LIFE:
        raise DomainError(
            _l("The expiry date must be after today and within a year."), "expires_on"
        )
    if len(tokens_of(session, person)) >= MAX_TOKENS:
        raise DomainError(_l("You have 20 tokens: revoke one first."))
    secret = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        person_id=person.id,
        name=name,
        token_hash=token_hash(secret),
        scope=scope,
        expires_on=expires_on,
    )
    session.add(token)
    session.flush()
    return token, secret


def revoke_token(
    session: Session, person: Person, token_id: int, *, now: datetime
) -> bool:
    """Make one of *person*'s own tokens stop working; False if not theirs."""
    token = session.get(ApiToken, token_id)
    if token is None or token.person_id != person.id or token.revoked_at is not None:
        return False
    token.revoked_at = now
    session.flush()
    return True


def tokens_of(session: Session, person: Person) -> list[ApiToken]:
    """The person's tokens that are not revoked, newest first."""
    statement = (
        select(ApiToken)
        .where(ApiToken.person_id == person.id, ApiToken.revoked_at.is_(None))
        .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
    )
    return list(session.scalars(statement))


def authenticate(
    session: Session, secret: str, *, today: date, now: datetime
) -> Caller | Refusal:
    """Who the token *secret* acts for today, or why it opens nothing."""
    if not secret.startswith(PREFIX) or len(secret) > MAX_TOKEN_LENGTH:
        return Refusal.UNKNOWN
    token = session.scalar(
        select(ApiToken).where(ApiToken.token_hash == token_hash(secret))
    )
    if token is None:
        return Refusal.UNKNOWN
    if token.revoked_at is not None:
        return Refusal.REVOKED
    if token.expires_on < today:
        return Refusal.EXPIRED
    person = session.get(Person, token.person_id)
    if person is None or not person.has_login:
        return Refusal.NO_LOGIN
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=5):
        token.last_used_at = now  # coarse, so reading does not write every time
    return Caller(person, token)


def token_hash(secret: str) -> str:
    """SHA-256 of a token: tokens are long random strings, so no salt is needed."""
    return hashlib.sha256(secret.encode()).hexdigest()
