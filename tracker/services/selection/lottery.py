"""The fair lottery: a leximin distribution over optimal panels by column generation.

Stage by stage we solve the linear programme "maximise t such that every applicant not
yet fixed is selected with probability >= t, every fixed one keeps its level, and the
panel probabilities sum to one" over the panels found so far, with HiGHS (the
restricted master LP; each added panel is a column, solved warm from the last basis).
The LP's duals are weights on applicants; the pricing search
looks for the optimal-breadth panel of largest weight, and while that weight exceeds
the dual of "sum to one" the panel improves the LP, so it is added. When none does,
weak duality proves t optimal over *all* optimal panels (not just the ones found). The
applicants with positive dual weight cannot rise above t; they are fixed there and the
next stage raises the rest. The first stage is the maximin; the sequence is leximin.
Accuracy: exact up to HiGHS's tolerances (1e-9) when the pricing search is exhaustive.
"""

from __future__ import annotations

import ctypes
import math
import os
import sys
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # HiGHS (and numpy with it, ~17 MB) loads at the first draw,
    import highspy  # not in every web worker that never draws (tracker.views)

INF = math.inf  # highspy.kHighsInf
MAX_COLUMNS_PER_STAGE = 2000
SOLVER_OPTIONS: dict[str, bool | str | float] = {
    "output_flag": False,
    "solver": "simplex",  # warm starts from the last basis as panels are added
    "presolve": "off",  # the LPs are small; presolve would discard the basis
    "primal_feasibility_tolerance": 1e-9,
    "dual_feasibility_tolerance": 1e-9,
}
_BANNER_LOCK = threading.Lock()
_banner_shown = False
Pricing = Callable[[list[float], float], tuple[tuple[int, ...] | None, bool]]


class Master:
    """One stage's restricted master LP, solved by HiGHS: max t over known panels.

    Columns: t, then one probability per panel. Rows: for each free agent
    t - (its panels' probabilities) <= 0; for each held agent, its panels'
    probabilities >= its level; the probabilities sum to one. Adding a panel adds a
    column, and HiGHS starts the next solve from the last basis.
    """

    def __init__(self, free: Sequence[int], held: dict[int, float]) -> None:
        import highspy

        self.highs = _silent_highs()
        self.rows = len(free) + len(held) + 1
        self.position = {agent: r for r, agent in enumerate([*free, *held])}
        self.free = set(free)
        self.highs.changeObjectiveSense(highspy.ObjSense.kMaximize)
        lower = [-INF] * len(free) + list(held.values()) + [1.0]
        upper = [0.0] * len(free) + [INF] * len(held) + [1.0]
        self.highs.addRows(self.rows, lower, upper, 0, [], [], [])
        self.highs.addCol(
            1.0, 0.0, INF, len(free), list(range(len(free))), [1.0] * len(free)
        )
        self.values: list[float] = []
        self.duals: list[float] = []

    def add(self, panel: Sequence[int]) -> None:
        """A new column: the panel's members in their rows, and one in the sum."""
        rows = [self.position[i] for i in panel if i in self.position]
        values = [-1.0 if i in self.free else 1.0 for i in panel if i in self.position]
        self.highs.addCol(
            0.0, 0.0, INF, len(rows) + 1, [*rows, self.rows - 1], [*values, 1.0]
        )

    def solve(self) -> None:
        """Solve to optimality and keep the column values and the row duals."""
        import highspy

        self.highs.run()
        if self.highs.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            raise ArithmeticError(f"HiGHS: {self.highs.getModelStatus()}")
        solution = self.highs.getSolution()
        self.values = list(solution.col_value)
        self.duals = list(solution.row_dual)

    @property
    def level(self) -> float:
        """The stage's optimum t."""
        return self.values[0]

    def panel_value(self, c: int) -> float:
        """The probability of the c-th panel added."""
        return self.values[1 + c]


def _silent_highs() -> highspy.Highs:
    """A HiGHS instance that prints nothing, set for small warm-started LPs."""
    global _banner_shown
    with _BANNER_LOCK:
        if _banner_shown:
            highs = _new_highs()
        else:
            # HiGHS prints its banner to the C-level stdout on the first instance of a
            # process, before any option can be set; `tracker select --json` must
            # print only JSON, so the first one is made with stdout on /dev/null.
            highs = _quietly(_new_highs)
            _banner_shown = True
    for option, value in SOLVER_OPTIONS.items():
        highs.setOptionValue(option, value)
    return highs


def _new_highs() -> highspy.Highs:
    import highspy

    return highspy.Highs()  # type: ignore[no-untyped-call]  # __init__ is unannotated


def _quietly(make: Callable[[], highspy.Highs]) -> highspy.Highs:
    sys.stdout.flush()
    saved, null = os.dup(1), os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 1)
        try:
            return make()
        finally:
            ctypes.CDLL(None).fflush(None)
    finally:
        os.dup2(saved, 1)
        os.close(saved)
        os.close(null)


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
    master, minimum, certificate = None, 0.0, [0.0] * n
    while len(fixed) < n:
        free = [i for i in range(n) if i not in fixed]
        first = len(fixed) == possible.count(False)
        pricing = price if first or refine is None else refine
        master, level, proven = _solve_stage(n, columns, free, fixed, pricing)
        weights = _agent_weights(master, n, free, fixed)
        if first:
            exact &= proven
            minimum, certificate = level, weights  # the first stage is the maximin
        rising = [i for i in free if weights[i] > 1e-7] or [
            max(free, key=lambda i: weights[i])
        ]
        for i in rising:
            fixed[i] = max(0.0, level - 1e-10)
    if master is None:  # nobody can be chosen: the one panel is what is given
        return Lottery(((columns[0] if columns else (), 1.0),), (0.0,) * n, exact, 0.0)
    lottery = _distribution(master, n, columns, exact, minimum)
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
) -> tuple[Master, float, bool]:
    """Maximise the level of the free agents, adding panels while they help."""
    master = Master(free, {i: fixed[i] for i in _held(fixed)})
    for panel in columns:
        master.add(panel)
    for _ in range(MAX_COLUMNS_PER_STAGE):
        master.solve()
        weights = _agent_weights(master, n, free, fixed)
        threshold = master.duals[-1]
        found, proven = price(weights, threshold + 1e-9)
        if found is None or found in columns:
            return master, master.level, proven
        columns.append(found)
        master.add(found)
    master.solve()
    return master, master.level, False


def _agent_weights(
    master: Master, n: int, free: list[int], fixed: dict[int, float]
) -> list[float]:
    """Each agent's dual weight: how much the stage's optimum leans on them."""
    weights = [0.0] * n
    for r, i in enumerate(free):
        weights[i] = max(0.0, master.duals[r])
    for r, i in enumerate(_held(fixed), start=len(free)):
        weights[i] = max(0.0, -master.duals[r])
    return weights


def _held(fixed: dict[int, float]) -> list[int]:
    """Fixed agents that need a row (those at zero are in no panel at all)."""
    return sorted(i for i, level in fixed.items() if level > 0.0)


def _distribution(
    master: Master, n: int, columns: list[tuple[int, ...]], exact: bool, low: float
) -> Lottery:
    """Read the panel probabilities off the last stage's solution."""
    chosen = [
        (panel, master.panel_value(c))
        for c, panel in enumerate(columns)
        if master.panel_value(c) > 1e-12
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
