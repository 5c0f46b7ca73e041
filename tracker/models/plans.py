"""Action plans (handlingsplaner)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.assignments import Assignment
    from tracker.models.people import Person


class PlanState(enum.Enum):
    """Whether a plan is still worked on."""

    ACTIVE = "active"
    CLOSED = "closed"


class ActionPlan(Base):
    """One of the action plans the change programme rests on."""

    __tablename__ = "action_plans"
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    goal: Mapped[str] = mapped_column(Text, default="")
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    position: Mapped[int] = mapped_column(default=0)
    state: Mapped[PlanState] = mapped_column(default=PlanState.ACTIVE)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    # the plan's shared folder or intranet page (tracker.services.programme.documents)
    documents_link: Mapped[str] = mapped_column(String(500), default="")

    owner: Mapped[Person | None] = relationship()
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="plan",
        order_by="Assignment.position, Assignment.id",
        viewonly=True,
    )
