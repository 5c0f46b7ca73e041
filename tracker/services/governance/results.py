"""Maturity results: per dimension and department, never for a group under MIN_GROUP."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models.maturity import MaturityRound, MaturityTally, plan_dimensions
from tracker.models.plans import ActionPlan
from tracker.services.governance.maturity import closed_rounds, is_closed


@dataclass(frozen=True)
class Cell:
    """One department's result on one dimension (only for a large enough group)."""

    count: int
    mean: float
    change: float | None  # since the previous round, where both were shown


@dataclass(frozen=True)
class DimensionRow:
    """A dimension's results: by department (None: too few answers) and in all."""

    dimension_id: int
    name: str
    cells: dict[int, Cell | None]  # department id ->
    total: Cell | None  # the departments shown, together
    plans: list[ActionPlan]  # the plans that mean to raise this dimension


@dataclass(frozen=True)
class RoundResult:
    """A closed round's results, ready to show."""

    measured: MaturityRound
    previous: MaturityRound | None
    departments: list[tuple[int, str]]
    rows: list[DimensionRow]

    @property
    def anything_shown(self) -> bool:
        """Whether any group was large enough to show."""
        return any(row.total is not None for row in self.rows)


Counts = dict[tuple[int, int], dict[int, int]]  # (dimension, department) -> level: n


def round_result(
    session: Session, measured: MaturityRound, *, min_group: int
) -> RoundResult:
    """*measured*'s results, with the change since the round before it."""
    previous = previous_round(session, measured)
    now = _cells(_counts(session, measured), min_group)
    before = _cells(_counts(session, previous), min_group) if previous else {}
    aims = _plans_by_dimension(session)
    rows = []
    for dimension in measured.model.dimensions:
        cells: dict[int, Cell | None] = {}
        for department in measured.departments:
            key = (dimension.id, department.id)
            cells[department.id] = _with_change(now.get(key), before.get(key))
        total = _with_change(
            _total(now, dimension.id), _total(before, dimension.id) if before else None
        )
        rows.append(
            DimensionRow(
                dimension.id, dimension.name, cells, total, aims.get(dimension.id, [])
            )
        )
    departments = [(d.id, d.name) for d in measured.departments]
    return RoundResult(measured, previous, departments, rows)


def previous_round(session: Session, measured: MaturityRound) -> MaturityRound | None:
    """The closed round of the same model that opened last before *measured*."""
    statement = (
        select(MaturityRound)
        .where(
            MaturityRound.model_id == measured.model_id,
            MaturityRound.opens_on < measured.opens_on,
        )
        .order_by(MaturityRound.opens_on.desc(), MaturityRound.id.desc())
    )
    return session.scalars(statement).first()


def latest_result(
    session: Session, today: date, *, min_group: int
) -> RoundResult | None:
    """The newest closed round's results (the overview), if any round has closed."""
    rounds = closed_rounds(session, today)
    return round_result(session, rounds[0], min_group=min_group) if rounds else None


def shown(measured: MaturityRound, today: date) -> bool:
    """Results are shown only once a round has closed."""
    return is_closed(measured, today)


def _counts(session: Session, measured: MaturityRound) -> Counts:
    counts: Counts = defaultdict(dict)
    statement = select(
        MaturityTally.dimension_id,
        MaturityTally.department_id,
        MaturityTally.level,
        MaturityTally.count,
    ).where(MaturityTally.round_id == measured.id, MaturityTally.count > 0)
    for dimension_id, department_id, level, count in session.execute(statement):
        counts[(dimension_id, department_id)][level] = count
    return counts


def _cells(counts: Counts, min_group: int) -> dict[tuple[int, int], Cell]:
    cells: dict[tuple[int, int], Cell] = {}
    for key, levels in counts.items():
        n = sum(levels.values())
        if n >= min_group:  # a smaller group is left out entirely
            cells[key] = Cell(n, sum(lv * c for lv, c in levels.items()) / n, None)
    return cells


def _total(cells: dict[tuple[int, int], Cell], dimension_id: int) -> Cell | None:
    """The shown departments together: nothing a hidden group adds is in it."""
    parts = [cell for (dim, _dep), cell in cells.items() if dim == dimension_id]
    n = sum(cell.count for cell in parts)
    if not n:
        return None
    return Cell(n, sum(cell.mean * cell.count for cell in parts) / n, None)


def _with_change(now: Cell | None, before: Cell | None) -> Cell | None:
    if now is None:
        return None
    change = round(now.mean - before.mean, 2) if before is not None else None
    return Cell(now.count, round(now.mean, 2), change)


def _plans_by_dimension(session: Session) -> dict[int, list[ActionPlan]]:
    statement = (
        select(plan_dimensions.c.dimension_id, ActionPlan)
        .join(ActionPlan, ActionPlan.id == plan_dimensions.c.plan_id)
        .order_by(ActionPlan.position, ActionPlan.id)
    )
    plans: dict[int, list[ActionPlan]] = defaultdict(list)
    for dimension_id, plan in session.execute(statement):
        plans[dimension_id].append(plan)
    return plans
