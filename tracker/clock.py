"""Today and now in the programme's time zone; the demo sets the clock to replay."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")

# A context variable, so a clock set in one thread (the demo's replay) never moves
# the clock of another (the server or the scheduler beside it).
_SET: ContextVar[datetime | None] = ContextVar("tracker_clock", default=None)


def moment() -> datetime:
    """The set moment, or the wall clock's: what new rows are stamped with."""
    return _SET.get() or datetime.now(UTC)


def now() -> datetime:
    """The current moment, aware UTC."""
    return moment()


def today() -> date:
    """Today's date in Stockholm."""
    return moment().astimezone(STOCKHOLM).date()


@contextmanager
def set_to(at: datetime) -> Iterator[None]:
    """Let *at* (aware) be now for everything this thread does inside the block."""
    if at.tzinfo is None:
        raise ValueError("the clock needs an aware datetime")
    token = _SET.set(at.astimezone(UTC))
    try:
        yield
    finally:
        _SET.reset(token)
