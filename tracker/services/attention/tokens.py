"""Secret addresses: a person's feed token (only its hash kept), unsubscribe links.

A feed token is an HMAC of a random nonce under the app's SECRET_KEY. The database
keeps the nonce and the token's SHA-256, so Mina sidor can show the address again,
while a copy of the database alone opens no feed. An unsubscribe link is signed
with itsdangerous (its own salt), so it works without a login and cannot be forged.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models.notifications import FeedToken
from tracker.models.people import Person

FEED_SALT = "tracker.feed-token"
UNSUBSCRIBE_SALT = "tracker.unsubscribe"
MAX_TOKEN_LENGTH = 200


def create_feed_token(
    session: Session, person: Person, *, secret_key: str, now: datetime
) -> str:
    """A new secret address for *person*; the previous one stops working at once."""
    nonce = secrets.token_hex(16)
    token = _derive(secret_key, nonce)
    row = session.get(FeedToken, person.id)
    if row is None:
        row = FeedToken(person_id=person.id)
        session.add(row)
    row.nonce, row.token_hash, row.created_at = nonce, _hash(token), now
    session.flush()
    return token


def revoke_feed_token(session: Session, person: Person) -> bool:
    """Make *person*'s address stop working; False if they had none."""
    row = session.get(FeedToken, person.id)
    if row is None:
        return False
    session.delete(row)
    session.flush()
    return True


def feed_token_of(session: Session, person_id: int, *, secret_key: str) -> str | None:
    """The person's current token, or None if they have none (or the key changed)."""
    row = session.get(FeedToken, person_id)
    if row is None:
        return None
    token = _derive(secret_key, row.nonce)
    # after SECRET_KEY changed the derived token no longer matches: make a new one
    return token if hmac.compare_digest(_hash(token), row.token_hash) else None


def person_for_feed_token(session: Session, token: str) -> Person | None:
    """The active login whose feed token this is, else None."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    person = session.scalar(
        select(Person)
        .join(FeedToken, FeedToken.person_id == Person.id)
        .where(FeedToken.token_hash == _hash(token))
    )
    return person if person is not None and person.has_login else None


def unsubscribe_token(person_id: int, *, secret_key: str) -> str:
    """The signed part of *person_id*'s unsubscribe link."""
    return str(_unsubscribe_serializer(secret_key).dumps(person_id))


def person_for_unsubscribe_token(
    session: Session, token: str, *, secret_key: str
) -> Person | None:
    """Whose unsubscribe link this is; None when forged or the person is gone."""
    if len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        person_id = _unsubscribe_serializer(secret_key).loads(token)
    except BadSignature:
        return None
    if not isinstance(person_id, int) or isinstance(person_id, bool):
        return None
    return session.get(Person, person_id)


def _unsubscribe_serializer(secret_key: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret_key, salt=UNSUBSCRIBE_SALT)


def _derive(secret_key: str, nonce: str) -> str:
    digest = hmac.new(
        secret_key.encode(), f"{FEED_SALT}:{nonce}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
