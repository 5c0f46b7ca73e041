"""Assignments (uppdrag), their workflow stages, milestones and progress reports."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, WriteOnlyMapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.groups import WorkingGroup
    from tracker.models.people import Person
    from tracker.models.plans import ActionPlan


class Stage(Base):
    """A step of the configurable workflow; the last position means done."""

    __tablename__ = "stages"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    position: Mapped[int] = mapped_column(default=0)
    # the responsible person and group members may move their assignment here
    open_to_members: Mapped[bool] = mapped_column(default=True)


class Assignment(Base):
    """An assignment of an action plan; ended assignments keep their history."""

    __tablename__ = "assignments"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id"), index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    responsible_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id"), index=True
    )
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    documents_link: Mapped[str] = mapped_column(String(500), default="")
    outcome: Mapped[str] = mapped_column(Text, default="")
    position: Mapped[int] = mapped_column(default=0)
    proposed: Mapped[bool] = mapped_column(default=False)  # created from a Trello card
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(index=True)

    plan: Mapped[ActionPlan] = relationship(back_populates="assignments")
    stage: Mapped[Stage] = relationship(lazy="joined")
    responsible: Mapped[Person | None] = relationship()
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="assignment",
        order_by="Milestone.due_on, Milestone.id",
        cascade="all, delete-orphan",
    )
    reports: WriteOnlyMapped[ProgressReport] = relationship(
        back_populates="assignment", order_by="ProgressReport.reported_on.desc()"
    )
    groups: Mapped[list[WorkingGroup]] = relationship(
        secondary="group_assignments", back_populates="assignments", viewonly=True
    )

    @property
    def is_closed(self) -> bool:
        """Whether the assignment has ended."""
        return self.closed_at is not None

    @staticmethod
    def change_scopes(row: Any) -> set[str]:
        """The pages' scope a change of the row moves (tracker.stamps), and its
        plan's: the plan it leaves, too, when it moves (or goes)."""
        return {f"assignment:{row.id}", f"plan:{row.plan_id}"}


class Milestone(Base):
    """A dated checkpoint of an assignment."""

    __tablename__ = "milestones"
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date | None]
    done: Mapped[bool] = mapped_column(default=False)
    done_at: Mapped[datetime | None]

    assignment: Mapped[Assignment] = relationship(back_populates="milestones")

    @staticmethod
    def change_scopes(row: Any) -> set[str]:
        """The pages' scope a change of the row moves (tracker.stamps)."""
        return {f"assignment:{row.assignment_id}"}


class ProgressReport(Base):
    """A dated markdown update on an assignment; together they form its timeline."""

    __tablename__ = "progress_reports"
    # an assignment's latest report from the index alone (needs: stale assignments)
    __table_args__ = (
        Index(
            "ix_progress_reports_assignment_reported", "assignment_id", "reported_on"
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id", ondelete="CASCADE")
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    reported_on: Mapped[date]
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    assignment: Mapped[Assignment] = relationship(back_populates="reports")
    author: Mapped[Person | None] = relationship(lazy="joined")

    @staticmethod
    def change_scopes(row: Any) -> set[str]:
        """The pages' scope a change of the row moves (tracker.stamps)."""
        return {f"assignment:{row.assignment_id}"}
