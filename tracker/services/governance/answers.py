"""Answering a maturity round: once per person, counted without a name."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.maturity import (
    MaturityParticipation,
    MaturityRound,
    MaturityTally,
)
from tracker.models.people import Person
from tracker.services.governance.maturity import LEVELS, is_open


def has_answered(session: Session, measured: MaturityRound, person: Person) -> bool:
    """Whether *person* has answered *measured*."""
    return session.get(MaturityParticipation, (measured.id, person.id)) is not None


def answer(
    session: Session,
    person: Person,
    measured: MaturityRound,
    levels: Mapping[int, int | None],
    *,
    today: date,
) -> None:
    """Count *person*'s chosen level (dimension id -> 1–5) for every dimension.

    Only the counts go up; that this person answered is kept apart from what
    they answered, so no answer can be traced back to them.
    """
    department_id = check_may_answer(session, person, measured, today)
    chosen = _checked_levels(measured, levels)
    try:
        with session.begin_nested():
            session.add(
                MaturityParticipation(round_id=measured.id, person_id=person.id)
            )
            session.flush()
    except IntegrityError:  # a second tab, or a double click
        raise DomainError(_l("You have already answered this round.")) from None
    for dimension_id, level in chosen.items():
        session.execute(
            update(MaturityTally)
            .where(
                MaturityTally.round_id == measured.id,
                MaturityTally.department_id == department_id,
                MaturityTally.dimension_id == dimension_id,
                MaturityTally.level == level,
            )
            .values(count=MaturityTally.count + 1)
        )


def check_may_answer(
    session: Session, person: Person, measured: MaturityRound, today: date
) -> int:
    """*person*'s department id, if they may answer *measured* today."""
    if not is_open(measured, today):
        raise DomainError(_l("The round is not open for answers."))
    asked = {department.id for department in measured.departments}
    if person.department_id is None or person.department_id not in asked:
        raise DomainError(_l("Your department is not asked in this round."))
    if has_answered(session, measured, person):
        raise DomainError(_l("You have already answered this round."))
    return person.department_id


def _checked_levels(
    measured: MaturityRound, levels: Mapping[int, int | None]
) -> dict[int, int]:
    chosen: dict[int, int] = {}
    for dimension in measured.model.dimensions:
        level = levels.get(dimension.id)
        if level is None:
            raise DomainError(
                _l("Choose a level for every dimension."), field=f"d{dimension.id}"
            )
        if level not in LEVELS:
            raise DomainError(
                _l("Choose a level from 1 to 5."), field=f"d{dimension.id}"
            )
        chosen[dimension.id] = level
    return chosen
