"""Working groups (arbetsgrupper) and their memberships."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.assignments import Assignment
    from tracker.models.people import Person


class RecruitmentMode(enum.Enum):
    """How a group finds its members."""

    OPEN_CALL = "open_call"
    FIRST_COME = "first_come"
    INVITED = "invited"


class GroupState(enum.Enum):
    """Where a group is in its limited life."""

    PLANNED = "planned"
    RECRUITING = "recruiting"
    ACTIVE = "active"
    CLOSED = "closed"


class MemberRole(enum.Enum):
    """A member's role in a group."""

    LEAD = "lead"
    MEMBER = "member"


group_assignments = Table(
    "group_assignments",
    Base.metadata,
    Column(
        "group_id",
        ForeignKey("working_groups.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("assignment_id", ForeignKey("assignments.id"), primary_key=True, index=True),
)


class WorkingGroup(Base):
    """A time-boxed group started by the leadership group."""

    __tablename__ = "working_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    slug: Mapped[str] = mapped_column(String(80), unique=True)
    purpose: Mapped[str] = mapped_column(Text, default="")
    # what the group may decide, how much it aims for, how progress is followed up
    mandate: Mapped[str] = mapped_column(Text, default="")
    ambition: Mapped[str] = mapped_column(Text, default="")
    follow_up: Mapped[str] = mapped_column(Text, default="")
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    seats: Mapped[int] = mapped_column(default=8)
    recruitment: Mapped[RecruitmentMode] = mapped_column(
        default=RecruitmentMode.INVITED
    )
    state: Mapped[GroupState] = mapped_column(default=GroupState.PLANNED, index=True)
    signup_deadline: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    assignments: Mapped[list[Assignment]] = relationship(
        secondary=group_assignments,
        back_populates="groups",
        order_by="Assignment.title",
    )
    memberships: Mapped[list[Membership]] = relationship(
        back_populates="group", order_by="Membership.joined_on, Membership.id"
    )


class Membership(Base):
    """A person's seat in a group; leaving sets left_on and keeps the row."""

    __tablename__ = "memberships"
    id: Mapped[int] = mapped_column(primary_key=True)
    group_id: Mapped[int] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    role: Mapped[MemberRole] = mapped_column(default=MemberRole.MEMBER)
    joined_on: Mapped[date]
    left_on: Mapped[date | None]

    group: Mapped[WorkingGroup] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships", lazy="joined")
