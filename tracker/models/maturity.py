"""Maturity measurement (mognadsmätning): models, rounds and anonymous tallies."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.people import Department

round_departments = Table(
    "maturity_round_departments",
    Base.metadata,
    Column(
        "round_id",
        ForeignKey("maturity_rounds.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("department_id", ForeignKey("departments.id"), primary_key=True),
)

plan_dimensions = Table(
    "plan_maturity_dimensions",
    Base.metadata,
    Column(
        "plan_id", ForeignKey("action_plans.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "dimension_id",
        ForeignKey("maturity_dimensions.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class MaturityModel(Base):
    """A measurement model: the dimensions a round asks about."""

    __tablename__ = "maturity_models"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    dimensions: Mapped[list[MaturityDimension]] = relationship(
        back_populates="model",
        order_by="MaturityDimension.position, MaturityDimension.id",
        cascade="all, delete-orphan",
    )


class MaturityDimension(Base):
    """One dimension of a model, with a description of each level 1–5."""

    __tablename__ = "maturity_dimensions"
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(
        ForeignKey("maturity_models.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    name: Mapped[str] = mapped_column(String(120))
    # five texts, level 1 first
    levels: Mapped[list[str]] = mapped_column(sa.JSON, default=list)

    model: Mapped[MaturityModel] = relationship(back_populates="dimensions")


class MaturityRound(Base):
    """A period in which the staff of some departments answer a model once each."""

    __tablename__ = "maturity_rounds"
    id: Mapped[int] = mapped_column(primary_key=True)
    model_id: Mapped[int] = mapped_column(ForeignKey("maturity_models.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    opens_on: Mapped[date]
    closes_on: Mapped[date]
    closed_at: Mapped[datetime | None]  # closed early by an administrator
    invited_at: Mapped[datetime | None]  # the invitations were queued
    reminded_at: Mapped[datetime | None]  # the reminders were queued
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    model: Mapped[MaturityModel] = relationship(lazy="joined")
    departments: Mapped[list[Department]] = relationship(
        secondary=round_departments, order_by="Department.name"
    )


class MaturityParticipation(Base):
    """That a person has answered a round: never what they answered."""

    __tablename__ = "maturity_participations"
    round_id: Mapped[int] = mapped_column(
        ForeignKey("maturity_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class MaturityTally(Base):
    """How many of a department chose a level of a dimension in a round.

    Answers are only counted, never stored one by one, so no answer can be traced
    back to the person who gave it.
    """

    __tablename__ = "maturity_tallies"
    round_id: Mapped[int] = mapped_column(
        ForeignKey("maturity_rounds.id", ondelete="CASCADE"), primary_key=True
    )
    department_id: Mapped[int] = mapped_column(
        ForeignKey("departments.id"), primary_key=True
    )
    dimension_id: Mapped[int] = mapped_column(
        ForeignKey("maturity_dimensions.id", ondelete="CASCADE"), primary_key=True
    )
    level: Mapped[int] = mapped_column(primary_key=True)
    count: Mapped[int] = mapped_column(default=0)
