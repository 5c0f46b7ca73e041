"""People, their logins and roles, and the department and competence vocabularies."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.groups import Membership


class Role(enum.Enum):
    """What a login may do; admin may do everything."""

    STAFF = "staff"
    COMMUNICATOR = "communicator"
    LEADERSHIP = "leadership"
    ADMIN = "admin"


person_competences = Table(
    "person_competences",
    Base.metadata,
    Column("person_id", ForeignKey("people.id", ondelete="CASCADE"), primary_key=True),
    Column("competence_id", ForeignKey("competences.id"), primary_key=True),
)


class Department(Base):
    """A part of the organisation (verksamhetsdel)."""

    __tablename__ = "departments"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class Competence(Base):
    """A competence from the managed vocabulary."""

    __tablename__ = "competences"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)


class Person(Base):
    """Staff, leaders, communicators and external participants (citizens, partners)."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    department_id: Mapped[int | None] = mapped_column(
        ForeignKey("departments.id"), index=True
    )
    years_experience: Mapped[int | None]
    trello_username: Mapped[str | None] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(default=Role.STAFF)
    password_hash: Mapped[str | None] = mapped_column(String(255))
    # A login: set by an admin, the CLI or single sign-on; the password may come later
    login_enabled: Mapped[bool] = mapped_column(default=False)
    # Part of the login id: raising it ends every session the person has
    session_generation: Mapped[int] = mapped_column(default=1)
    # The identity provider's "sub" for single sign-on, once linked
    oidc_subject: Mapped[str | None] = mapped_column(String(255), unique=True)
    # The last invitation or set-password link sent, to limit how often one is sent
    password_link_sent_at: Mapped[datetime | None]
    active: Mapped[bool] = mapped_column(default=True)
    external: Mapped[bool] = mapped_column(default=False)
    consent_on: Mapped[date | None]
    consent_note: Mapped[str] = mapped_column(Text, default="")
    # staff: their own choice to be left out of what is published (the digest, the
    # blog, public pages); external participants are named only with a consent to
    # publication that leadership records (tracker.services.privacy.consent)
    digest_opt_out: Mapped[bool] = mapped_column(default=False)
    publication_consent_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    department: Mapped[Department | None] = relationship(lazy="joined")
    competences: Mapped[list[Competence]] = relationship(
        secondary=person_competences, order_by="Competence.name"
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="person", viewonly=True
    )

    @property
    def has_login(self) -> bool:
        """Whether the person can log in."""
        return self.login_enabled and self.active and not self.external

    # flask-login's user protocol
    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_active(self) -> bool:
        return self.has_login

    @property
    def is_anonymous(self) -> bool:
        return False

    def get_id(self) -> str:
        # the generation makes every session cookie from before a change invalid
        return f"{self.id}:{self.session_generation}"


class LoginFailure(Base):
    """A failed login, kept briefly to throttle guessing across all workers."""

    __tablename__ = "login_failures"
    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), index=True)
    remote_addr: Mapped[str] = mapped_column(String(64), default="", index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
