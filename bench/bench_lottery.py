"""The lottery with HiGHS against the hand-written simplex it replaced, same instances.

Run: python bench/bench_lottery.py [--instances N]
For each size of bench_selection.py (25 for 8, 60 for 12, 300 for 20) it times whole
proposals and the leximin lottery alone (its LPs and pricing searches) with each LP
solver, on the same random applicants and seeds, one solver right after the other so
that the machine's changing speed hits both alike. It then compares each solver's
selection probabilities with brute force: leximin over every optimal panel at once,
when there are at most 20 000 of them. The old solver is the copy kept for the tests
(tests/lottery_tableau.py).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_selection import SIZES, applicants

from tracker.services.selection import lottery, proposal
from tracker.services.selection.search import optimal_panels
from tracker.services.selection.types import Candidate, Criteria

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import lottery_tableau  # the tests' copy of the old solver

SOLVERS: dict[str, Callable[..., Any]] = {
    "HiGHS": lottery.leximin,
    "old simplex": lottery_tableau.leximin,
}


def run(solver: str, candidates: list[Candidate], criteria: Criteria, seed: int):
    """(whole time, time in the lottery, probabilities) of one proposal."""
    in_lottery = [0.0]

    def leximin(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return SOLVERS[solver](*args, **kwargs)
        finally:
            in_lottery[0] += time.perf_counter() - start

    proposal.leximin = leximin  # type: ignore[assignment]
    start = time.perf_counter()
    result = proposal.propose(candidates, criteria, seed=seed)
    return time.perf_counter() - start, in_lottery[0], result.probabilities


def brute_force(candidates: list[Candidate], criteria: Criteria) -> dict[int, float]:
    """Leximin over every optimal panel at once, or {} when there are too many."""
    instance, free = proposal.encode(candidates, criteria)
    score = proposal._search(instance, True)[0]
    panels = optimal_panels(instance, score, 20_000)
    if panels is None:
        return {}
    result = lottery_tableau.leximin(len(free), panels, lambda _w, _t: (None, True))
    return dict(zip(free, result.probabilities, strict=True))


def _figures(times: list[float]) -> str:
    times = sorted(times)
    p90 = times[int(0.9 * (len(times) - 1))]
    median = statistics.median(times)
    return f"median {median:.3f} s, p90 {p90:.3f} s, max {times[-1]:.3f} s"


def bench(n: int, seats: int, vocabulary: tuple[int, int], count: int) -> None:
    """Time and check *count* instances of one size; print the figures."""
    whole: dict[str, list[float]] = {s: [] for s in SOLVERS}
    alone: dict[str, list[float]] = {s: [] for s in SOLVERS}
    agree = dict.fromkeys(SOLVERS, 0)
    checked, gap = 0, 0.0
    for instance in range(count):
        candidates = applicants(random.Random(1000 * n + instance), n, *vocabulary)
        criteria = Criteria(seats=seats)
        chances = {}
        for solver in SOLVERS:
            total, in_lottery, chances[solver] = run(
                solver, candidates, criteria, instance
            )
            whole[solver].append(total)
            alone[solver].append(in_lottery)
        new, old = chances["HiGHS"], chances["old simplex"]
        gap = max(gap, *(abs(new[i] - old[i]) for i in new))
        if n <= 60 and (brute := brute_force(candidates, criteria)):
            checked += 1
            for solver, found in chances.items():
                agree[solver] += all(
                    abs(found[i] - p) <= 1e-6 for i, p in brute.items()
                )
    for solver in SOLVERS:
        print(
            f"{n:>4} applicants / {seats:>2} seats, {solver:<11}: proposal"
            f" {_figures(whole[solver])}; lottery {_figures(alone[solver])}"
        )
    print(f"      largest difference between the solvers' probabilities: {gap:.1e}")
    if checked:
        print(
            f"      equal to brute force (1e-6) on {checked} instances with at most"
            f" 20 000 optimal panels: HiGHS {agree['HiGHS']},"
            f" old simplex {agree['old simplex']}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=20)
    args = parser.parse_args()
    for n, seats, departments, competences in SIZES:
        count = args.instances if n < 300 else max(3, args.instances // 4)
        bench(n, seats, (departments, competences), count)


if __name__ == "__main__":
    main()
