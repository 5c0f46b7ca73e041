"""Decisions (beslut) and the bodies that take them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.assignments import Assignment
    from tracker.models.groups import WorkingGroup
    from tracker.models.people import Person
    from tracker.models.plans import ActionPlan


def _link_table(name: str, column: str, target: str) -> Table:
    return Table(
        name,
        Base.metadata,
        Column(
            "decision_id",
            ForeignKey("decisions.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        Column(column, ForeignKey(f"{target}.id"), primary_key=True, index=True),
    )


decision_plans = _link_table("decision_plans", "plan_id", "action_plans")
decision_assignments = _link_table(
    "decision_assignments", "assignment_id", "assignments"
)
decision_groups = _link_table("decision_groups", "group_id", "working_groups")


class DecidingBody(Base):
    """A body that takes decisions (nämnd, förvaltningsledning…): a managed list."""

    __tablename__ = "deciding_bodies"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)


class Decision(Base):
    """A dated decision of a body about plans, assignments and groups."""

    __tablename__ = "decisions"
    id: Mapped[int] = mapped_column(primary_key=True)
    decided_on: Mapped[date] = mapped_column(index=True)
    body_id: Mapped[int] = mapped_column(ForeignKey("deciding_bodies.id"), index=True)
    reference: Mapped[str] = mapped_column(String(60), default="")  # diarienummer
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    follow_up_on: Mapped[date | None] = mapped_column(index=True)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    # the owner was e-mailed that the follow-up date has come (once)
    follow_up_sent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    body: Mapped[DecidingBody] = relationship(lazy="joined")
    owner: Mapped[Person | None] = relationship(foreign_keys=[owner_id])
    plans: Mapped[list[ActionPlan]] = relationship(
        secondary=decision_plans, order_by="ActionPlan.position, ActionPlan.id"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        secondary=decision_assignments, order_by="Assignment.title"
    )
    groups: Mapped[list[WorkingGroup]] = relationship(
        secondary=decision_groups, order_by="WorkingGroup.name"
    )
