"""A person's export (GDPR art. 15): every row about them, from the registry."""

from __future__ import annotations

import enum
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.models.people import Person
from tracker.services.privacy import consent
from tracker.services.privacy.registry import (
    APPLICATION,
    EVENT,
    PERSON,
    REGISTRY,
    WITHHELD,
    Entry,
)
from tracker.services.privacy.targets import Mine

LABELS = ("title", "name")  # a referred row's readable name, when it has one


def export(session: Session, person: Person, *, now: datetime) -> dict[str, Any]:
    """Everything the tracker holds about *person*: table name -> their rows."""
    mine = Mine.of(session, person)
    data: dict[str, Any] = {
        "exported_at": now.isoformat(),
        "person_id": person.id,
        "publication_of_your_name": consent.explain(person),
    }
    for entry in REGISTRY:
        rows = _rows(session, entry, person, mine)
        if rows:
            data[entry.table] = rows
    return data


def _rows(
    session: Session, entry: Entry, person: Person, mine: Mine
) -> list[dict[str, Any]]:
    if entry.export_rows is not None:
        return [_jsonable(row) for row in entry.export_rows(session, person, mine)]
    where = _about(session, entry, person, mine)
    if where is None:
        return []
    table = entry.sa_table
    shown = [c for c in table.columns if entry.columns.get(c.name) is not WITHHELD]
    order = list(table.primary_key.columns)
    rows = session.execute(select(*shown).where(where).order_by(*order)).mappings()
    return [_labelled(session, table, dict(row)) for row in rows]


def _about(
    session: Session, entry: Entry, person: Person, mine: Mine
) -> sa.ColumnElement[bool] | None:
    """The rows of *entry* that are about *person*."""
    clauses: list[sa.ColumnElement[bool]] = [
        c == person.id for c in entry.holding(PERSON)
    ]
    clauses += [c.in_(list(mine.applications)) for c in entry.holding(APPLICATION)]
    clauses += [c.in_(list(mine.events)) for c in entry.holding(EVENT)]
    if entry.export is not None:
        clauses.append(entry.export(session, person, mine))
    return or_(*clauses) if clauses else None


def _labelled(session: Session, table: sa.Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row, JSON-ready, with the name of each row it refers to beside the id."""
    result: dict[str, Any] = _jsonable(row)
    for column in table.columns:
        value = row.get(column.name)
        for key in column.foreign_keys if value is not None else ():
            label = _label_of(session, key.column, value)
            if label is not None:
                result[column.name.removesuffix("_id") + "_name"] = label
    return result


def _label_of(session: Session, key: sa.Column[Any], ident: Any) -> str | None:
    table = key.table
    column = next((table.c[n] for n in LABELS if n in table.c), None)
    if column is None:
        return None
    label = session.scalar(select(column).where(key == ident))
    return None if label is None else str(label)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return value
