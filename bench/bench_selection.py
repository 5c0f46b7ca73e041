"""Time the selection: 25 for 8 (exact + lottery), 60 for 12, 300 for 20 (heuristic).

Run: python bench/bench_selection.py [--instances N]
Prints, per size, the time of a whole proposal (search + leximin lottery + draw), the
breadth found against the upper bound, and whether the optimum is proven.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from tracker.services.selection.proposal import propose
from tracker.services.selection.types import Candidate, Criteria

# applicants, seats, departments, competences: the first is the demo's vocabulary;
# the larger ones have more departments and competences than seats can cover, so the
# search has real work to do and the heuristic can fall short of its bound.
SIZES = ((25, 8, 8, 12), (60, 12, 14, 30), (300, 20, 30, 80))


def applicants(
    rng: random.Random, n: int, departments: int, competences: int
) -> list[Candidate]:
    """Random applicants with 1-3 competences each and 0-29 years of experience."""
    return [
        Candidate(
            i + 1,
            f"Avdelning {rng.randrange(departments)}",
            frozenset(
                f"Kompetens {c}"
                for c in rng.sample(range(competences), rng.randint(1, 3))
            ),
            rng.randrange(30),
        )
        for i in range(n)
    ]


def bench(n: int, seats: int, vocabulary: tuple[int, int], instances: int) -> None:
    """Run *instances* random proposals of one size and print the figures."""
    times, gaps, proven, exact_lottery, lows = [], [], 0, 0, []
    for instance in range(instances):
        rng = random.Random(1000 * n + instance)
        candidates = applicants(rng, n, *vocabulary)
        start = time.perf_counter()
        proposal = propose(candidates, Criteria(seats=seats), seed=instance)
        times.append(time.perf_counter() - start)
        found, bound = proposal.breadth, proposal.upper_bound
        gaps.append(
            f"{found.departments}/{found.competences}/{found.bands}"
            f" vs {bound.departments}/{bound.competences}/{bound.bands}"
        )
        proven += proposal.optimal
        chances = [p for p in proposal.probabilities.values() if p > 1e-9]
        lows.append((len(chances), min(chances) / (seats / n)))
        exact_lottery += proposal.lottery_exact
    times.sort()
    median, p90 = statistics.median(times), times[int(0.9 * (len(times) - 1))]
    print(
        f"{n:>4} applicants / {seats:>2} seats: median {median:.3f} s,"
        f" p90 {p90:.3f} s, max {times[-1]:.3f} s; optimum proven"
        f" {proven}/{instances}, exact lottery {exact_lottery}/{instances}"
    )
    print(f"      breadth found vs upper bound (dept/comp/band): {gaps[:3]}")
    chance = statistics.median(c for c, _ in lows)
    share = statistics.median(r for _, r in lows)
    print(
        f"      applicants with a chance (median): {chance} of {n}; their smallest"
        f" probability as a share of seats/applicants: median {share:.2f}"
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
