"""Applications to working groups, and the selection runs that decide open calls."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, BigInteger, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.groups import WorkingGroup
    from tracker.models.people import Person


class ApplicationStatus(enum.Enum):
    """Where an application (or sign-up, or invitation) stands."""

    SUBMITTED = "submitted"
    WITHDRAWN = "withdrawn"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    WAITLISTED = "waitlisted"
    MEMBER = "member"  # first come: got a seat straight away
    INVITED = "invited"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Application(Base):
    """A person's application to a group, with a snapshot of what they declared."""

    __tablename__ = "applications"
    __table_args__ = (UniqueConstraint("group_id", "person_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    # None once the details are blanked; the row stays for statistics
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    status: Mapped[ApplicationStatus] = mapped_column(
        default=ApplicationStatus.SUBMITTED, index=True
    )
    department: Mapped[str] = mapped_column(String(120), default="")
    # where the applicant worked before: the breadth counts every department they bring
    former_departments: Mapped[list[str]] = mapped_column(JSON, default=list)
    competences: Mapped[list[str]] = mapped_column(JSON, default=list)
    years_experience: Mapped[int | None]
    motivation: Mapped[str] = mapped_column(Text, default="")
    # first come: the order of sign-ups (seated and waitlisted share one sequence)
    position: Mapped[int | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    decided_at: Mapped[datetime | None]
    anonymised_at: Mapped[datetime | None]

    group: Mapped[WorkingGroup] = relationship(lazy="joined")
    person: Mapped[Person | None] = relationship(lazy="joined")


class SelectionRun(Base):
    """One proposal for an open call: inputs, result, changes; confirmed once."""

    __tablename__ = "selection_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    seed: Mapped[int] = mapped_column(BigInteger)
    # the applicants' snapshots and the criteria: enough to recompute the whole run
    inputs: Mapped[dict[str, Any]]
    # drawn and current panel, chances, breadth, bound, replacement order (as JSON)
    proposal: Mapped[dict[str, Any]]
    # leadership's swaps: [{"out": id, "in": id, "reason": text}]
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    confirmed_at: Mapped[datetime | None]
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    group: Mapped[WorkingGroup] = relationship()
    confirmed_by: Mapped[Person | None] = relationship(foreign_keys=[confirmed_by_id])
