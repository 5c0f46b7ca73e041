"""URL slugs from Swedish titles."""

from __future__ import annotations

import re
import unicodedata

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

_SWEDISH = str.maketrans({"å": "a", "ä": "a", "ö": "o", "Å": "a", "Ä": "a", "Ö": "o"})


def slugify(text: str, max_length: int = 60) -> str:
    """Lower-case ASCII words joined by hyphens: "Invånaren som" -> invanaren-som."""
    text = unicodedata.normalize("NFKD", text.translate(_SWEDISH))
    text = text.encode("ascii", "ignore").decode().lower()
    slug = re.sub(r"[^a-z0-9]+", "-", text).strip("-")
    return slug[:max_length].rstrip("-") or "x"


def unique_slug(
    session: Session,
    column: InstrumentedAttribute[str],
    text: str,
    *,
    current_id: int | None = None,
) -> str:
    """A slug for *text* not yet used in *column* (appends -2, -3, ...)."""
    base = slugify(text)
    model = column.class_
    taken = set(
        session.scalars(
            select(column).where(
                column.like(f"{base}%"), model.id != (current_id or -1)
            )
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
