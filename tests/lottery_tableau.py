"""The lottery as it was before HiGHS: column generation over a hand-written dense
simplex with Big-M artificials. Kept only here, as a second opinion the tests compare
the HiGHS lottery with (and solve brute force with, given every optimal panel).

Stage by stage we solve the linear programme "maximise t such that every applicant not
yet fixed is selected with probability >= t, every fixed one keeps its level, and the
panel probabilities sum to one" over the panels found so far (a small dense simplex
with Big-M artificials). The LP's duals are weights on applicants; the pricing search
looks for the optimal-breadth panel of largest weight, and while that weight exceeds
the dual of "sum to one" the panel improves the LP, so it is added. When none does,
weak duality proves t optimal over *all* optimal panels (not just the ones found). The
applicants with positive dual weight cannot rise above t; they are fixed there and the
next stage raises the rest. The first stage is the maximin; the sequence is leximin.
Accuracy: exact up to the float tolerance EPS when the pricing search is exhaustive.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

EPS = 1e-9
BIG_M = 1e4
MAX_COLUMNS_PER_STAGE = 2000
Pricing = Callable[[list[float], float], tuple[tuple[int, ...] | None, bool]]


class Tableau:
    """max c.x subject to rows (le, ge or eq, right-hand side >= 0), x >= 0."""

    def __init__(self, kinds: Sequence[str], rhs: Sequence[float]) -> None:
        self.rows: list[list[float]] = [[] for _ in kinds]
        self.rhs = [float(value) for value in rhs]
        self.cost: list[float] = []
        self.reduced: list[float] = []
        self.enterable: list[bool] = []
        self.identity: list[int] = []
        self.basis: list[int] = []
        for r, kind in enumerate(kinds):
            unit = [1.0 if i == r else 0.0 for i in range(len(kinds))]
            if kind == "ge":
                self._append([-x for x in unit], 0.0, enterable=True)
            self.identity.append(len(self.cost))
            self.basis.append(len(self.cost))
            self._append(unit, 0.0 if kind == "le" else -BIG_M, enterable=kind == "le")
        for j in range(len(self.cost)):
            self.reduced[j] = self.cost[j] - sum(
                self.cost[self.basis[r]] * row[j] for r, row in enumerate(self.rows)
            )

    def _append(self, column: list[float], cost: float, *, enterable: bool) -> int:
        for row, value in zip(self.rows, column, strict=True):
            row.append(value)
        self.cost.append(cost)
        self.reduced.append(0.0)
        self.enterable.append(enterable)
        return len(self.cost) - 1

    def duals(self) -> list[float]:
        """The dual price of every row, as the rows were given."""
        return [self.cost[j] - self.reduced[j] for j in self.identity]

    def add_column(self, column: Sequence[float], cost: float) -> int:
        """Add a structural column, expressed in the current basis."""
        rows = self.rows
        current = [0.0] * len(rows)
        for r, value in enumerate(column):
            if value:
                unit = self.identity[r]
                for i, row in enumerate(rows):
                    current[i] += value * row[unit]
        duals = self.duals()
        reduced = cost - sum(y * a for y, a in zip(duals, column, strict=True))
        index = self._append(current, cost, enterable=True)
        self.reduced[index] = reduced
        return index

    def value(self, j: int) -> float:
        """The current value of column j."""
        for r, basic in enumerate(self.basis):
            if basic == j:
                return self.rhs[r]
        return 0.0

    def solve(self, max_pivots: int = 10_000) -> None:
        """Pivot to an optimum (largest reduced cost first, Bland's rule on stalls)."""
        stalled = 0
        for _ in range(max_pivots):
            entering = self._entering(bland=stalled > 50)
            if entering < 0:
                self._drive_out_artificials()
                return
            row = self._leaving(entering)
            if row < 0:
                raise ArithmeticError("unbounded linear programme")
            stalled = stalled + 1 if self.rhs[row] <= EPS else 0
            self._pivot(row, entering)
        raise ArithmeticError("simplex did not converge")

    def _drive_out_artificials(self) -> None:
        """Pivot artificials left basic at zero out, so the duals carry no Big-M."""
        for r, basic in enumerate(self.basis):
            if self.enterable[basic] or abs(self.rhs[r]) > EPS:
                continue
            row = self.rows[r]
            for j, value in enumerate(row):
                if self.enterable[j] and abs(value) > 1e-7:
                    self._pivot(r, j)
                    break

    def _entering(self, *, bland: bool) -> int:
        best, best_value = -1, EPS
        for j, value in enumerate(self.reduced):
            if value > best_value and self.enterable[j]:
                if bland:
                    return j
                best, best_value = j, value
        return best

    def _leaving(self, entering: int) -> int:
        best, best_ratio = -1, 0.0
        for r, row in enumerate(self.rows):
            a = row[entering]
            if a > EPS:
                ratio = self.rhs[r] / a
                if (
                    best < 0
                    or ratio < best_ratio - EPS
                    or (ratio <= best_ratio + EPS and self.basis[r] < self.basis[best])
                ):
                    best, best_ratio = r, ratio
        return best

    def _pivot(self, pr: int, pc: int) -> None:
        pivot_row = self.rows[pr]
        factor = pivot_row[pc]
        pivot_row[:] = [value / factor for value in pivot_row]
        self.rhs[pr] /= factor
        rhs = self.rhs[pr]
        for r, row in enumerate(self.rows):
            f = row[pc]
            if r != pr and f:
                row[:] = [a - f * b for a, b in zip(row, pivot_row, strict=True)]
                self.rhs[r] -= f * rhs
        f = self.reduced[pc]
        self.reduced = [a - f * b for a, b in zip(self.reduced, pivot_row, strict=True)]
        self.basis[pr] = pc


@dataclass(frozen=True)
class Lottery:
    """Panels (positions) with their probabilities, and how sure we are of them."""

    panels: tuple[tuple[tuple[int, ...], float], ...]
    probabilities: tuple[float, ...]
    exact: bool
    minimum: float
    # dual weights of the first stage: no panel outweighs `minimum` under them, which
    # proves that no lottery gives every possible applicant more than `minimum`
    certificate: tuple[float, ...] = ()


def leximin(
    n: int,
    columns: list[tuple[int, ...]],
    price: Pricing,
    refine: Pricing | None = None,
) -> Lottery:
    """The leximin distribution over panels of n agents; *price* finds new panels.

    *price* must be exact for the maximin (the first stage) to be proven; the later
    stages may use a cheaper *refine*: they only raise probabilities above the
    maximin, which every stage keeps.
    """
    possible, exact = _seed_columns(n, columns, price)
    fixed: dict[int, float] = {i: 0.0 for i in range(n) if not possible[i]}
    tableau, minimum, certificate = None, 0.0, [0.0] * n
    while len(fixed) < n:
        free = [i for i in range(n) if i not in fixed]
        first = len(fixed) == possible.count(False)
        pricing = price if first or refine is None else refine
        tableau, level, proven = _solve_stage(n, columns, free, fixed, pricing)
        weights = _agent_weights(tableau, n, free, fixed)
        if first:
            exact &= proven
            minimum, certificate = level, weights  # the first stage is the maximin
        rising = [i for i in free if weights[i] > 1e-7] or [
            max(free, key=lambda i: weights[i])
        ]
        for i in rising:
            fixed[i] = max(0.0, level - 1e-10)
    if tableau is None:  # nobody can be chosen: the one panel is what is given
        return Lottery(((columns[0] if columns else (), 1.0),), (0.0,) * n, exact, 0.0)
    lottery = _distribution(tableau, n, columns, exact, minimum)
    return replace(lottery, certificate=tuple(certificate))


def _seed_columns(
    n: int, columns: list[tuple[int, ...]], price: Pricing
) -> tuple[list[bool], bool]:
    """Find an optimal panel containing each agent, or learn that none exists."""
    possible, exact = [False] * n, True
    for panel in columns:
        for i in panel:
            possible[i] = True
    for i in range(n):
        if not possible[i]:
            found, proven = price([1.0 if j == i else 0.0 for j in range(n)], 0.5)
            exact &= proven
            if found is not None:
                columns.append(found)
                for j in found:
                    possible[j] = True
    return possible, exact


def _solve_stage(
    n: int,
    columns: list[tuple[int, ...]],
    free: list[int],
    fixed: dict[int, float],
    price: Pricing,
) -> tuple[Tableau, float, bool]:
    """Maximise the level of the free agents, adding panels while they help."""
    held = _held(fixed)
    rows = [*free, *held]
    kinds = ["le"] * len(free) + ["ge"] * len(held) + ["eq"]
    rhs = [0.0] * len(free) + [fixed[i] for i in held] + [1.0]
    tableau = Tableau(kinds, rhs)
    level = tableau.add_column([1.0] * len(free) + [0.0] * (len(held) + 1), 1.0)
    position = {agent: r for r, agent in enumerate(rows)}
    free_set = set(free)

    def add(panel: tuple[int, ...]) -> None:
        column = [0.0] * len(kinds)
        for i in panel:
            if i in position:
                column[position[i]] = -1.0 if i in free_set else 1.0
        column[-1] = 1.0
        tableau.add_column(column, 0.0)

    for panel in columns:
        add(panel)
    for _ in range(MAX_COLUMNS_PER_STAGE):
        tableau.solve()
        weights = _agent_weights(tableau, n, free, fixed)
        threshold = tableau.duals()[-1]
        found, proven = price(weights, threshold + 1e-9)
        if found is None or found in columns:
            return tableau, tableau.value(level), proven
        columns.append(found)
        add(found)
    tableau.solve()
    return tableau, tableau.value(level), False


def _agent_weights(
    tableau: Tableau, n: int, free: list[int], fixed: dict[int, float]
) -> list[float]:
    """Each agent's dual weight: how much the stage's optimum leans on them."""
    duals = tableau.duals()
    weights = [0.0] * n
    for r, i in enumerate(free):
        weights[i] = max(0.0, duals[r])
    for r, i in enumerate(_held(fixed), start=len(free)):
        weights[i] = max(0.0, -duals[r])
    return weights


def _held(fixed: dict[int, float]) -> list[int]:
    """Fixed agents that need a row (those at zero are in no panel at all)."""
    return sorted(i for i, level in fixed.items() if level > 0.0)


def _distribution(
    tableau: Tableau, n: int, columns: list[tuple[int, ...]], exact: bool, low: float
) -> Lottery:
    """Read the panel probabilities off the last stage's tableau."""
    first = len(tableau.cost) - len(columns)
    chosen = [
        (panel, tableau.value(first + c))
        for c, panel in enumerate(columns)
        if tableau.value(first + c) > 1e-12
    ]
    total = sum(p for _, p in chosen) or 1.0
    panels = tuple(sorted((panel, p / total) for panel, p in chosen))
    probabilities = [0.0] * n
    for panel, p in panels:
        for i in panel:
            probabilities[i] += p
    return Lottery(panels, tuple(probabilities), exact, low)


def multiplicative_weights(
    n: int, columns: list[tuple[int, ...]], price: Pricing, rounds: int
) -> Lottery:
    """An approximate maximin lottery for instances too large for the exact LP.

    Hedge on the applicants (weight falls as an applicant is chosen more often) against
    a best-response panel each round; the average of the rounds' panels approaches the
    maximin at a rate of about sqrt(log n / rounds). The minimum reached is reported.
    """
    rate = math.sqrt(8 * math.log(max(n, 2)) / rounds)
    chosen = [0] * n
    tally: dict[tuple[int, ...], int] = {}
    for _ in range(rounds):
        low = min(chosen)
        weights = [math.exp(-rate * (c - low)) for c in chosen]
        total = sum(weights)
        weights = [w / total for w in weights]
        panel = max(columns, key=lambda c: (sum(weights[j] for j in c), c))
        better, _proven = price(weights, sum(weights[j] for j in panel) + 1e-12)
        if better is not None:
            columns.append(better)
            panel = better
        tally[panel] = tally.get(panel, 0) + 1
        for j in panel:
            chosen[j] += 1
    panels = tuple(sorted((panel, count / rounds) for panel, count in tally.items()))
    probabilities = tuple(c / rounds for c in chosen)
    return Lottery(panels, probabilities, False, min(probabilities, default=0.0))
