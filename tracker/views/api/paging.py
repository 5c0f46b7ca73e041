"""Cursor pagination: an opaque cursor that says where the next page starts."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Sequence
from typing import Any

from flask import abort
from flask_babel import gettext as _
from sqlalchemy import Select
from sqlalchemy.orm import Session


def encode(value: str) -> str:
    """An opaque cursor for *value*."""
    return base64.urlsafe_b64encode(value.encode()).decode().rstrip("=")


def decode(cursor: str) -> str:
    """The value inside *cursor*; 400 when it was not made by encode()."""
    try:
        return base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        abort(400, description=_("The cursor is not valid; start from the first page."))


def decode_id(cursor: str | None) -> int:
    """The id after which an id-ordered page starts (0 for the first page)."""
    if cursor is None:
        return 0
    value = decode(cursor)
    if not value.isdigit() or len(value) > 12:
        abort(400, description=_("The cursor is not valid; start from the first page."))
    return int(value)


def id_page(
    session: Session, statement: Select[Any], model: Any, args: dict[str, Any]
) -> tuple[Sequence[Any], str | None]:
    """One page of *statement* in id order, and the next page's cursor."""
    limit = int(args["limit"])
    rows = session.scalars(
        statement.where(model.id > decode_id(args["cursor"]))
        .order_by(model.id)
        .limit(limit + 1)
    ).all()
    more = len(rows) > limit
    rows = rows[:limit]
    return rows, encode(str(rows[-1].id)) if more else None
