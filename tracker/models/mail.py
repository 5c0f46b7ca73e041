"""The outbox: every e-mail the tracker sends goes through here first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from tracker.db import Base, utcnow


class OutboxMessage(Base):
    """An e-mail (plain text, optionally HTML too), queued in the sender's
    transaction and sent later."""

    __tablename__ = "outbox_messages"
    id: Mapped[int] = mapped_column(primary_key=True)
    # "to" is an SQL keyword, so the column has a plainer name
    to: Mapped[list[str]] = mapped_column("recipients", JSON)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    sent_at: Mapped[datetime | None] = mapped_column(index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    # whom it was sent to and what it is about, so that a person's export finds it
    # and the privacy purge blanks it with the application (tracker.services.privacy)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("applications.id", ondelete="SET NULL"), index=True
    )
    # an HTML alternative to body (multipart/alternative); None: plain text only
    html: Mapped[str | None] = mapped_column(Text)
    # delivery given up: a permanent refusal, or out of attempts
    failed_at: Mapped[datetime | None]
    # extra headers (List-Unsubscribe) and text attachments (a calendar invitation:
    # {"filename", "content_type", "text"}); None on plain messages
    headers: Mapped[dict[str, str] | None] = mapped_column(JSON)
    attachments: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
