"""The lottery with HiGHS against the hand-written simplex it replaced, same instances.

Run: python bench/bench_lottery.py [--instances N]
For each size of bench_selection.py (25 for 8, 60 for 12, 300 for 20) it times whole
proposals with each LP solver, the same random applicants and seeds, in one process,
and prints the largest difference between the two solvers' selection probabilities.
The old solver is the copy kept for the tests (tests/lottery_tableau.py).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

from bench_selection import SIZES, applicants

from tracker.services.selection import lottery, proposal
from tracker.services.selection.types import Criteria

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
import lottery_tableau  # the tests' copy of the old solver

SOLVERS = {"HiGHS": lottery.leximin, "old simplex": lottery_tableau.leximin}


def timed(solver: str, n: int, seats: int, vocabulary: tuple[int, int], count: int):
    """Times of *count* proposals with one LP solver (whole, and the leximin lottery
    alone: its LPs and pricing searches), and their probabilities."""
    in_lottery = [0.0]

    def leximin(*args, **kwargs):
        start = time.perf_counter()
        try:
            return SOLVERS[solver](*args, **kwargs)
        finally:
            in_lottery[0] += time.perf_counter() - start

    proposal.leximin = leximin  # type: ignore[assignment]
    times, lottery_times, chances = [], [], []
    for instance in range(count):
        candidates = applicants(random.Random(1000 * n + instance), n, *vocabulary)
        in_lottery[0] = 0.0
        start = time.perf_counter()
        result = proposal.propose(candidates, Criteria(seats=seats), seed=instance)
        times.append(time.perf_counter() - start)
        lottery_times.append(in_lottery[0])
        chances.append(result.probabilities)
    return sorted(times), sorted(lottery_times), chances


def _figures(times: list[float]) -> str:
    p90 = times[int(0.9 * (len(times) - 1))]
    median = statistics.median(times)
    return f"median {median:.3f} s, p90 {p90:.3f} s, max {times[-1]:.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--instances", type=int, default=20)
    args = parser.parse_args()
    for n, seats, departments, competences in SIZES:
        count = args.instances if n < 300 else max(3, args.instances // 4)
        runs = {
            s: timed(s, n, seats, (departments, competences), count) for s in SOLVERS
        }
        for solver, (times, lottery_times, _chances) in runs.items():
            print(
                f"{n:>4} applicants / {seats:>2} seats, {solver:<11}:"
                f" proposal {_figures(times)}; lottery {_figures(lottery_times)}"
            )
        pairs = zip(runs["HiGHS"][2], runs["old simplex"][2], strict=True)
        gap = max(abs(new[i] - old[i]) for new, old in pairs for i in new)
        print(f"      largest difference in a probability: {gap:.1e}")


if __name__ == "__main__":
    main()
