"""Cursor pagination: the cursor is the id of the last item of the page before."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Select
from sqlalchemy.orm import Session


def id_page(
    session: Session, statement: Select[Any], model: Any, args: dict[str, Any]
) -> tuple[Sequence[Any], str | None]:
    """One page of *statement* in id order, and the next page's cursor."""
    limit = int(args["limit"])
    after = int(args["cursor"] or 0)
    rows = session.scalars(
        statement.where(model.id > after).order_by(model.id).limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, str(rows[-1].id) if more else None
