"""Following, the notifications fanned out from the activity log, and their e-mail."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.activity import ActivityEvent


class FollowTarget(enum.Enum):
    """What a person can follow."""

    PLAN = "plan"
    ASSIGNMENT = "assignment"
    GROUP = "group"


class EmailSchedule(enum.Enum):
    """How often a person gets e-mail about what they follow."""

    INSTANT = "instant"
    DAILY = "daily"
    WEEKLY = "weekly"
    NEVER = "never"


class Follow(Base):
    """A person's choice about one plan, assignment or group.

    active=True follows it; active=False unfollows what the person would follow
    anyway (their own assignment, their group): the absence of a row means the
    default, which is to follow only what is one's own.
    """

    __tablename__ = "follows"
    __table_args__ = (
        UniqueConstraint("person_id", "target", "target_id"),
        Index("ix_follows_target", "target", "target_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    target: Mapped[FollowTarget]
    target_id: Mapped[int]
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class NotificationSettings(Base):
    """A person's e-mail schedule; no row means the configured default."""

    __tablename__ = "notification_settings"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    schedule: Mapped[EmailSchedule]
    # be told when any working group opens for applications
    open_calls: Mapped[bool] = mapped_column(default=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class MailSummary(Base):
    """One e-mail of notifications to one person for one period; never two."""

    __tablename__ = "mail_summaries"
    __table_args__ = (UniqueConstraint("person_id", "period"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    # "instant:<first notification id>", "daily:2026-12-02", "weekly:2026-W49"
    period: Mapped[str] = mapped_column(String(40))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Notification(Base):
    """Something that happened in what a person follows, or a reminder for them."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("person_id", "key"),
        Index("ix_notifications_person_read", "person_id", "read_at"),
        Index("ix_notifications_unmailed", "summary_id", "mail", "created_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"))
    # what makes it unique for the person: "event:<id>", "overdue:<milestone>:<date>"
    key: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(30))
    event_id: Mapped[int | None] = mapped_column(
        ForeignKey("activity_events.id", ondelete="CASCADE"), index=True
    )
    # the wording's values (titles, names); the privacy purge blanks them to {}
    params: Mapped[dict[str, Any]] = mapped_column(default=dict)
    happened_at: Mapped[datetime]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # False for what the recruitment e-mails already told (outcomes, invitations)
    mail: Mapped[bool] = mapped_column(default=True)
    summary_id: Mapped[int | None] = mapped_column(
        ForeignKey("mail_summaries.id", ondelete="SET NULL")
    )

    event: Mapped[ActivityEvent | None] = relationship(lazy="joined")


class NotificationCursor(Base):
    """How far the fan-out job has read the activity log."""

    __tablename__ = "notification_cursors"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    last_event_id: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class FeedToken(Base):
    """A person's secret address for calendar and Atom feeds; only its hash is kept.

    The token itself is an HMAC of the nonce under the app's SECRET_KEY, so the page
    can show it again while the database alone gives nobody a working address.
    """

    __tablename__ = "feed_tokens"
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    nonce: Mapped[str] = mapped_column(String(64))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
