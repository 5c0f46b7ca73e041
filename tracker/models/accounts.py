"""Login sessions (one row per browser that is logged in) and requests for
set-password links."""

from __future__ import annotations

from datetime import datetime

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
