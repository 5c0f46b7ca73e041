"""The process support's method steps, and where each plan stands in them."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.people import Person


class MethodStep(Base):
    """One step of the method (Steg 1 Förbereda och förankra…): configurable."""

    __tablename__ = "method_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    position: Mapped[int] = mapped_column(default=0)


class PlanStep(Base):
    """A plan entering a step, with its purpose and goal; the newest is current."""

    __tablename__ = "plan_steps"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plans.id", ondelete="CASCADE"), index=True
    )
    step_id: Mapped[int] = mapped_column(ForeignKey("method_steps.id"), index=True)
    entered_on: Mapped[date]
    purpose: Mapped[str] = mapped_column(Text, default="")
    goal: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    step: Mapped[MethodStep] = relationship(lazy="joined")
    recorded_by: Mapped[Person | None] = relationship()
