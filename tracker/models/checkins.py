"""Check-ins (avstämningar): follow-up meetings on an assignment or a working group."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.assignments import Assignment, ProgressReport
    from tracker.models.groups import WorkingGroup
    from tracker.models.people import Person


class CheckIn(Base):
    """A booked follow-up meeting; changes raise its sequence for the calendars."""

    __tablename__ = "check_ins"
    __table_args__ = (
        CheckConstraint(
            "(assignment_id IS NULL) <> (group_id IS NULL)", name="one_subject"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    location: Mapped[str] = mapped_column(String(500), default="")
    agenda: Mapped[str] = mapped_column(Text, default="")
    sequence: Mapped[int] = mapped_column(default=0)
    organizer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    cancelled_at: Mapped[datetime | None]
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("progress_reports.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    assignment: Mapped[Assignment | None] = relationship()
    group: Mapped[WorkingGroup | None] = relationship()
    organizer: Mapped[Person | None] = relationship()
    report: Mapped[ProgressReport | None] = relationship()

    @property
    def is_cancelled(self) -> bool:
        """Whether the check-in was called off."""
        return self.cancelled_at is not None
