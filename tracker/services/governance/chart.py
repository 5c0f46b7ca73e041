"""The numbers a maturity chart is drawn from (the template draws the SVG)."""

from __future__ import annotations

from dataclasses import dataclass

from tracker.services.governance.maturity import LEVELS
from tracker.services.governance.results import RoundResult

WIDTH = 300  # pixels for level 5
ROW = 44  # pixels per dimension
LABEL = 230  # pixels for the dimension names


@dataclass(frozen=True)
class Bar:
    """One dimension's bar now and, if shown then, in the previous round."""

    name: str
    y: int
    now: float
    now_width: int
    before: float | None
    before_width: int | None


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of every department's mean level together."""

    bars: list[Bar]
    height: int
    width: int
    label_width: int
    ticks: list[tuple[int, int]]  # (level, x)


def bars(result: RoundResult) -> Chart | None:
    """The chart of *result*'s totals; None when no group was large enough."""
    rows: list[Bar] = []
    for row in result.rows:
        if row.total is None:
            continue
        before = None
        if row.total.change is not None:
            before = round(row.total.mean - row.total.change, 2)
        rows.append(
            Bar(
                name=row.name,
                y=len(rows) * ROW + 10,
                now=row.total.mean,
                now_width=_width(row.total.mean),
                before=before,
                before_width=_width(before) if before is not None else None,
            )
        )
    if not rows:
        return None
    ticks = [(level, LABEL + _width(level)) for level in LEVELS]
    return Chart(rows, len(rows) * ROW + 30, LABEL + WIDTH + 60, LABEL, ticks)


def _width(mean: float) -> int:
    return round(WIDTH * mean / max(LEVELS))
