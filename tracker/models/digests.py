"""The monthly digest (månadsbrev), its versions, publications and the staff blog."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.people import Person


class DigestState(enum.Enum):
    """Where a digest is in the communicators' workflow."""

    DRAFT = "draft"
    EDITED = "edited"
    SCHEDULED = "scheduled"
    HELD = "held"
    PUBLISHED = "published"


class PublicationTarget(enum.Enum):
    """Where a digest is published."""

    BUILTIN = "builtin"
    WORDPRESS = "wordpress"
    EMAIL = "email"


class PublicationStatus(enum.Enum):
    """How far the delivery of a digest to one target has come."""

    PENDING = "pending"
    SENDING = "sending"
    PUBLISHED = "published"
    FAILED = "failed"
    # sent, but no answer came back: WordPress may still create the post, so it
    # is not sent again before a later look-up has found nothing
    UNCERTAIN = "uncertain"


class Digest(Base):
    """One calendar month's digest, drafted from the activity log."""

    __tablename__ = "digests"
    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(7), unique=True)  # YYYY-MM
    state: Mapped[DigestState] = mapped_column(default=DigestState.DRAFT)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # markdown; the facts between markers
    facts: Mapped[dict[str, Any]]
    facts_at: Mapped[datetime] = mapped_column(default=utcnow)
    publish_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    publications: Mapped[list[Publication]] = relationship(
        back_populates="digest", order_by="Publication.id"
    )


class DigestVersion(Base):
    """A saved state of a digest's text; every draft, edit and refresh adds one."""

    __tablename__ = "digest_versions"
    __table_args__ = (UniqueConstraint("digest_id", "number"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    digest_id: Mapped[int] = mapped_column(
        ForeignKey("digests.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    reason: Mapped[str] = mapped_column(String(20))  # drafted/edited/refreshed/...
    note: Mapped[str] = mapped_column(
        String(300), default=""
    )  # e.g. what was corrected
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    author: Mapped[Person | None] = relationship(lazy="joined")


class Publication(Base):
    """The delivery of one digest to one target; at most one per pair."""

    __tablename__ = "digest_publications"
    __table_args__ = (UniqueConstraint("digest_id", "target"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    digest_id: Mapped[int] = mapped_column(
        ForeignKey("digests.id", ondelete="CASCADE"), index=True
    )
    target: Mapped[PublicationTarget]
    status: Mapped[PublicationStatus] = mapped_column(default=PublicationStatus.PENDING)
    external_id: Mapped[str] = mapped_column(String(100), default="")
    url: Mapped[str] = mapped_column(String(500), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    claimed_until: Mapped[datetime | None]
    next_attempt_at: Mapped[datetime | None]
    published_at: Mapped[datetime | None]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    # the digest version whose text this target has; a correction makes it older
    version: Mapped[int] = mapped_column(default=0)
    # when the last request with an unknown outcome was sent (timeout, lost answer)
    uncertain_at: Mapped[datetime | None]
    # per target: WordPress' duplicates ("-2") found and trashed, the outbox
    # messages of the e-mail
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)

    digest: Mapped[Digest] = relationship(back_populates="publications")


class BlogPost(Base):
    """A post on the built-in staff blog; a digest gets at most one."""

    __tablename__ = "blog_posts"
    id: Mapped[int] = mapped_column(primary_key=True)
    digest_id: Mapped[int | None] = mapped_column(ForeignKey("digests.id"), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # markdown, frozen at publication
    published_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime | None]  # set by a correction


class DigestTemplate(Base):
    """The admins' version of the digest template; absent means the packaged one."""

    __tablename__ = "digest_templates"
    id: Mapped[int] = mapped_column(primary_key=True)
    body: Mapped[str] = mapped_column(Text)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class SchedulerLock(Base):
    """Who runs the scheduler now; SQLite's stand-in for an advisory lock."""

    __tablename__ = "scheduler_locks"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200))
    acquired_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
