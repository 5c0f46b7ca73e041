"""Calendar months in Stockholm time, and Swedish dates for the digest."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time

from flask_babel import lazy_gettext as _l

from tracker.clock import STOCKHOLM
from tracker.errors import DomainError

MONTHS_SV = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


@dataclass(frozen=True)
class Month:
    """A calendar month in Stockholm time."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Month:
        """Read YYYY-MM, or say in Swedish what is wrong."""
        try:
            year, month = (int(part) for part in text.strip().split("-"))
            date(year, month, 1)
        except ValueError as error:
            raise DomainError(
                _l("Give the month as YYYY-MM, for example 2026-03."), field="month"
            ) from error
        if not 2000 <= year <= 2100:
            raise DomainError(_l("The year is out of range."), field="month")
        return cls(year, month)

    @classmethod
    def of(cls, moment: datetime) -> Month:
        """The month *moment* falls in, in Stockholm."""
        local = moment.astimezone(STOCKHOLM)
        return cls(local.year, local.month)

    @property
    def key(self) -> str:
        """YYYY-MM."""
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first_day(self) -> date:
        """The first day of the month."""
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        """The last day of the month."""
        return date(
            self.year, self.month, calendar.monthrange(self.year, self.month)[1]
        )

    @property
    def next(self) -> Month:
        """The following month."""
        return Month(self.year + self.month // 12, self.month % 12 + 1)

    @property
    def previous(self) -> Month:
        """The month before."""
        return Month(self.year - (self.month == 1), (self.month - 2) % 12 + 1)

    @property
    def start(self) -> datetime:
        """Midnight in Stockholm on the first day."""
        return datetime.combine(self.first_day, time.min, tzinfo=STOCKHOLM)

    @property
    def label(self) -> str:
        """'mars 2026'."""
        return f"{MONTHS_SV[self.month - 1]} {self.year}"


def swedish_date(day: date | None) -> str:
    """'5 april 2026' ('' for no date)."""
    return f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}" if day else ""
