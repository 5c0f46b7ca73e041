"""Login sessions (one row per browser that is logged in), requests for
set-password links and personal API tokens."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import Base, utcnow


class LoginSession(Base):
    """A browser's login; logging out deletes it, which ends that browser's session."""

    __tablename__ = "login_sessions"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    # SHA-256 of the secret in the session cookie: a copy of the table opens nothing
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # The identity provider's ID token, for its logout (single sign-on only)
    id_token: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class LinkRequest(Base):
    """A "Forgot your password?" request, known address or not, kept briefly.

    Recording every request makes both answers do the same work (so they take as
    long) and lets an address that keeps asking be ignored.
    """

    __tablename__ = "password_link_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class TokenScope(enum.Enum):
    """What an API token may do."""

    READ = "read"
    READ_WRITE = "read_write"


class ApiToken(Base):
    """A personal API token, made and revoked on Mina sidor; only its hash is kept."""

    __tablename__ = "api_tokens"
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), index=True
    )
    # the person's own label, e.g. "Rapport i Power BI"
    name: Mapped[str] = mapped_column(String(100))
    # SHA-256 of the token: a copy of the table opens nothing
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[TokenScope] = mapped_column(default=TokenScope.READ)
    expires_on: Mapped[date]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
