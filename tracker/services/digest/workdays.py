"""Swedish working days: Monday to Friday except public holidays (helgdagar).

The holidays come from the `holidays` package (country SE, public holidays):
Nyårsdagen, Trettondedag jul, Långfredagen, Annandag påsk, Första maj, Kristi
himmelsfärdsdag, Nationaldagen, Juldagen and Annandag jul when on a weekday.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache


@lru_cache(maxsize=64)
def _holidays(year: int) -> frozenset[date]:
    import holidays  # loaded when a digest's day is worked out, not in every worker

    return frozenset(holidays.country_holidays("SE", years=year).keys())


def is_working_day(day: date) -> bool:
    """Monday to Friday and not a Swedish public holiday."""
    return day.weekday() < 5 and day not in _holidays(day.year)


def working_day_of_month(year: int, month: int, index: int) -> date:
    """The month's working day number *index*, counted from 0."""
    day = date(year, month, 1)
    while True:
        if is_working_day(day):
            if index == 0:
                return day
            index -= 1
        day += timedelta(days=1)
