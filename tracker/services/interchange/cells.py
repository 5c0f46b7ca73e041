"""One CSV cell: neutralised formulas (OWASP CSV injection), dates, booleans."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l

from tracker.errors import DomainError

# a spreadsheet runs a cell starting with one of these as a formula
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
YES, NO = "ja", "nej"
TRUE_WORDS = {"ja", "j", "sant", "true", "1", "yes", "x"}
FALSE_WORDS = {"nej", "n", "falskt", "false", "0", "no", ""}


def _needs_quote(text: str) -> bool:
    # a leading ' before a formula start is quoted again, so unquote() undoes
    # exactly what quote() did and the round trip is exact
    if not text:
        return False
    if text.startswith(FORMULA_STARTS):
        return True
    return text[0] == "'" and _needs_quote(text[1:])


def quote(text: str) -> str:
    """The cell as written: a leading ' stops a spreadsheet running a formula."""
    return "'" + text if _needs_quote(text) else text


def unquote(text: str) -> str:
    """The value of a cell written by quote()."""
    return text[1:] if text.startswith("'") and _needs_quote(text[1:]) else text


def write_date(value: date | None) -> str:
    """ISO 8601, which Swedish Excel reads as a date."""
    return value.isoformat() if value is not None else ""


def read_date(text: str) -> date | None:
    """A date written ÅÅÅÅ-MM-DD; empty is none."""
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) != 10:
            raise ValueError(text)
        return date.fromisoformat(text)
    except ValueError:
        raise DomainError(
            _l("%(value)s is not a date: write it as YYYY-MM-DD.", value=text)
        ) from None


def write_bool(value: bool) -> str:
    """ja or nej."""
    return YES if value else NO


def read_bool(text: str) -> bool:
    """ja/nej (also sant/falskt, 1/0)."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise DomainError(_l("%(value)s is neither ja nor nej.", value=text))


def read_int(text: str, *, low: int = 0, high: int = 1_000_000) -> int:
    """A whole number between *low* and *high*."""
    try:
        number = int(text.strip())
    except ValueError:
        raise DomainError(_l("%(value)s is not a whole number.", value=text)) from None
    if not low <= number <= high:
        raise DomainError(
            _l(
                "%(value)s must be between %(low)s and %(high)s.",
                value=text,
                low=low,
                high=high,
            )
        )
    return number


def read_text(
    text: str, *, limit: int, required: bool = False, strip: bool = True
) -> str:
    """Text of at most *limit* characters (long texts keep their own spacing)."""
    if strip:
        text = text.strip()
    if required and not text:
        raise DomainError(_l("This cell must not be empty."))
    if len(text) > limit:
        raise DomainError(_l("At most %(limit)s characters.", limit=limit))
    return text
