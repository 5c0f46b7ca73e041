"""Evaluations of ended groups and assignments, and their findings (lärdomar)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.assignments import Assignment
    from tracker.models.groups import WorkingGroup
    from tracker.models.people import Person


class Evaluation(Base):
    """What worked, what did not and what we adjust, for one group or assignment."""

    __tablename__ = "evaluations"
    __table_args__ = (
        CheckConstraint(
            "(assignment_id IS NULL) <> (group_id IS NULL)", name="one_subject"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), unique=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), unique=True
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    evaluated_on: Mapped[date]
    worked: Mapped[str] = mapped_column(Text, default="")
    did_not_work: Mapped[str] = mapped_column(Text, default="")
    adjust: Mapped[str] = mapped_column(Text, default="")
    interview_count: Mapped[int | None]
    interview_roles: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[Assignment | None] = relationship()
    group: Mapped[WorkingGroup | None] = relationship()
    author: Mapped[Person | None] = relationship()
    findings: Mapped[list[Finding]] = relationship(
        back_populates="evaluation",
        order_by="Finding.position, Finding.id",
        cascade="all, delete-orphan",
    )


class Finding(Base):
    """One anonymised key finding of an evaluation; it can become an assignment."""

    __tablename__ = "evaluation_findings"
    id: Mapped[int] = mapped_column(primary_key=True)
    evaluation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    text: Mapped[str] = mapped_column(Text)
    # the assignment this finding became, once someone made one of it
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id", ondelete="SET NULL")
    )

    evaluation: Mapped[Evaluation] = relationship(back_populates="findings")
