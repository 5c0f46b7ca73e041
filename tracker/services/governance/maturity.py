"""Maturity models and rounds: define what is measured, open and close rounds."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.maturity import (
    MaturityDimension,
    MaturityModel,
    MaturityRound,
    MaturityTally,
)
from tracker.models.people import Department, Person
from tracker.services import activity
from tracker.services.digest.months import swedish_date

LEVELS = (1, 2, 3, 4, 5)
DEFAULT_MODEL = "Processmognad"
# (dimension, descriptions of levels 1–5): the default process-maturity model
DEFAULT_DIMENSIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "Processägarskap",
        (
            "Ingen äger processen som helhet.",
            "Ägarskapet är oklart och beror på enskilda personer.",
            "Processen har en utsedd ägare, men mandatet är otydligt.",
            "Processägaren har mandat och följer processen regelbundet.",
            "Ägarskap och mandat är tydliga och används för att utveckla processen.",
        ),
    ),
    (
        "Invånarfokus",
        (
            "Vi utgår från vår egen organisation, inte från invånaren.",
            "Vi pratar om invånarens behov men tar sällan reda på dem.",
            "Vi tar reda på invånarens behov i enskilda projekt.",
            "Invånarens behov styr hur vi utformar våra tjänster.",
            "Invånare är med och utvecklar tjänsterna hela tiden.",
        ),
    ),
    (
        "Samarbete mellan verksamhetsdelar",
        (
            "Varje verksamhetsdel arbetar för sig.",
            "Vi samarbetar när något går fel.",
            "Vi samarbetar i vissa gemensamma frågor.",
            "Vi planerar och löser uppgifter tillsammans.",
            "Samarbete över gränserna är självklart i allt vi gör.",
        ),
    ),
    (
        "Gemensam planering",
        (
            "Det finns ingen gemensam planering.",
            "Planer finns men är inte kända.",
            "Gemensamma planer finns och är kända av de flesta.",
            "Planerna följs upp och revideras tillsammans.",
            "Planeringen är gemensam, levande och styr prioriteringar.",
        ),
    ),
    (
        "Mätning och uppföljning",
        (
            "Vi mäter inte hur processen fungerar.",
            "Vi mäter ibland men använder sällan resultaten.",
            "Vi mäter regelbundet några nyckeltal.",
            "Vi följer upp resultaten och justerar arbetet efter dem.",
            "Mätning och uppföljning driver förbättringar hela tiden.",
        ),
    ),
    (
        "Lärande",
        (
            "Erfarenheter tas inte tillvara.",
            "Enskilda lär sig, men kunskapen sprids inte.",
            "Vi utvärderar ibland och delar lärdomar.",
            "Utvärderingar och lärdomar används i nästa steg.",
            "Vi är en lärande organisation som utvecklas av sina erfarenheter.",
        ),
    ),
)


@dataclass(frozen=True)
class RoundValues:
    """What opening a round asks for."""

    title: str
    opens_on: date | None
    closes_on: date | None
    departments: Sequence[Department]
    model_id: int | None = None


def ensure_default_model(session: Session) -> bool:
    """Create the default model if there is no model; whether it did."""
    if session.scalar(select(MaturityModel.id).limit(1)) is not None:
        return False
    default_model(session)
    return True


def default_model(session: Session) -> MaturityModel:
    """The process-maturity model; created with its six dimensions the first time."""
    model = session.scalar(
        select(MaturityModel).where(MaturityModel.name == DEFAULT_MODEL)
    )
    if model is not None:
        return model
    model = MaturityModel(
        name=DEFAULT_MODEL,
        description="Hur långt har vi kommit i att arbeta processorienterat?",
    )
    for position, (name, levels) in enumerate(DEFAULT_DIMENSIONS):
        model.dimensions.append(
            MaturityDimension(position=position, name=name, levels=list(levels))
        )
    session.add(model)
    session.flush()
    return model


def list_models(session: Session) -> list[MaturityModel]:
    """Every measurement model, the default first made if there is none."""
    models = list(session.scalars(select(MaturityModel).order_by(MaturityModel.id)))
    return models or [default_model(session)]


def add_dimension(
    session: Session, model: MaturityModel, name: str, levels: Sequence[str]
) -> MaturityDimension:
    """Add a dimension with five level descriptions to *model*."""
    if not name.strip():
        raise DomainError(_l("Write the dimension's name."), field="name")
    texts = [text.strip() for text in levels]
    if len(texts) != len(LEVELS) or not all(texts):
        raise DomainError(_l("Describe each of the levels 1–5."), field="levels")
    if _has_rounds(session, model):
        raise DomainError(
            _l("A model that has been measured cannot change its dimensions."),
            field="name",
        )
    dimension = MaturityDimension(
        position=len(model.dimensions), name=name.strip(), levels=texts
    )
    model.dimensions.append(dimension)
    session.flush()
    return dimension


def open_round(
    session: Session, actor: Person | None, values: RoundValues
) -> MaturityRound:
    """Open a round for a period and a set of departments."""
    _validate_round(values)
    model = (
        session.get(MaturityModel, values.model_id)
        if values.model_id is not None
        else default_model(session)
    )
    if model is None or not model.dimensions:
        raise DomainError(_l("Choose a model that has dimensions."), field="model_id")
    measured = MaturityRound(
        model=model,
        title=values.title.strip(),
        opens_on=values.opens_on,
        closes_on=values.closes_on,
        departments=list(values.departments),
    )
    session.add(measured)
    session.flush()
    # every count exists from the start, so an answer only ever adds one to a row
    session.add_all(
        MaturityTally(
            round_id=measured.id,
            department_id=department.id,
            dimension_id=dimension.id,
            level=level,
        )
        for department in measured.departments
        for dimension in model.dimensions
        for level in LEVELS
    )
    activity.record(session, actor, "round_opened", measured)
    return measured


def close_round(
    session: Session, actor: Person | None, measured: MaturityRound, *, now: datetime
) -> None:
    """Close a round early: no more answers are taken."""
    if measured.closed_at is not None:
        raise DomainError(_l("The round is already closed."))
    measured.closed_at = now
    activity.record(session, actor, "round_closed", measured)


def is_open(measured: MaturityRound, today: date) -> bool:
    """Whether the round takes answers on *today*."""
    return (
        measured.closed_at is None and measured.opens_on <= today <= measured.closes_on
    )


def is_closed(measured: MaturityRound, today: date) -> bool:
    """Whether the round has ended (its results may be shown)."""
    return measured.closed_at is not None or measured.closes_on < today


def closed_on(measured: MaturityRound) -> date:
    """The day a round ended or ends."""
    if measured.closed_at is not None:
        return min(measured.closed_at.date(), measured.closes_on)
    return measured.closes_on


def list_rounds(session: Session) -> list[MaturityRound]:
    """Every round, the newest first."""
    statement = select(MaturityRound).order_by(
        MaturityRound.opens_on.desc(), MaturityRound.id.desc()
    )
    return list(session.scalars(statement))


def open_rounds_for(
    session: Session, person: Person, today: date
) -> list[MaturityRound]:
    """The open rounds *person*'s department is asked in."""
    if person.department_id is None:
        return []
    return [
        measured
        for measured in list_rounds(session)
        if is_open(measured, today)
        and person.department_id in {d.id for d in measured.departments}
    ]


def closed_rounds(session: Session, today: date) -> list[MaturityRound]:
    """The ended rounds, the newest first."""
    return [r for r in list_rounds(session) if is_closed(r, today)]


def _validate_round(values: RoundValues) -> None:
    if not values.title.strip():
        raise DomainError(_l("Write a name for the round."), field="title")
    if values.opens_on is None:
        raise DomainError(_l("Give the day the round opens."), field="opens_on")
    if values.closes_on is None:
        raise DomainError(_l("Give the day the round closes."), field="closes_on")
    if values.closes_on < values.opens_on:
        raise DomainError(
            _l("The round cannot close before it opens."), field="closes_on"
        )
    if not values.departments:
        raise DomainError(
            _l("Choose at least one department to ask."), field="department_ids"
        )


def _has_rounds(session: Session, model: MaturityModel) -> bool:
    statement = select(MaturityRound.id).where(MaturityRound.model_id == model.id)
    return session.scalar(statement.limit(1)) is not None


def digest_facts(
    session: Session, first: date, last: date, base: str
) -> dict[str, Any]:
    """The rounds that closed from *first* to *last*, for the digest: names and
    links only, so the digest never shows a figure of a group too small to show."""
    rows = [
        {
            "title": r.title,
            "closed_label": swedish_date(closed_on(r)),
            "url": f"{base}/mognad/omgang/{r.id}",
        }
        for r in reversed(list_rounds(session))
        if first <= closed_on(r) <= last and is_closed(r, last + timedelta(days=1))
    ]
    return {"count": len(rows), "rows": rows}
