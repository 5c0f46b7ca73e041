"""Today and now, in the programme's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def now() -> datetime:
    """The current moment, aware UTC."""
    return datetime.now(UTC)


def today() -> date:
    """Today's date in Stockholm."""
    return datetime.now(STOCKHOLM).date()
