"""Greedy panels, local search and an upper bound, for instances too large to prove."""

from __future__ import annotations

import random
from collections.abc import Sequence

from tracker.services.selection.search import Instance


def greedy(inst: Instance, rng: random.Random | None = None) -> tuple[int, ...]:
    """Add the candidate with the largest gain until the seats are full."""
    chosen: list[int] = []
    cover = inst.base_cover
    counts = list(inst.base_counts)
    free = list(range(len(inst.masks)))
    if rng is not None:
        rng.shuffle(free)
    for _ in range(inst.k):
        best, best_key = -1, (-1, 0.0)
        for j in free:
            d = inst.depts[j]
            if inst.dept_max is not None and d >= 0 and counts[d] >= inst.dept_max:
                continue
            gain = inst.score(inst.masks[j] & ~cover)
            key = (gain, rng.random() if rng is not None else -inst.ids[j])
            if key > best_key:
                best, best_key = j, key
        if best < 0:
            break
        chosen.append(best)
        free.remove(best)
        cover |= inst.masks[best]
        if inst.depts[best] >= 0:
            counts[inst.depts[best]] += 1
    return tuple(sorted(chosen))


def improve(inst: Instance, panel: Sequence[int]) -> tuple[int, ...]:
    """Swap one member for one outsider while that widens the panel (first gain)."""
    current = list(panel)
    score = inst.score(inst.cover_of(current))
    improved = True
    while improved:
        improved = False
        outsiders = [j for j in range(len(inst.masks)) if j not in set(current)]
        for position in range(len(current)):
            rest = current[:position] + current[position + 1 :]
            rest_cover = inst.cover_of(rest)
            for j in outsiders:
                trial = inst.score(rest_cover | inst.masks[j])
                if trial > score and inst.fits([*rest, j]):
                    current, score, improved = [*rest, j], trial, True
                    break
            if improved:
                break
    return tuple(sorted(current))


def best_of_restarts(
    inst: Instance, restarts: int, seed: int = 0
) -> tuple[int, list[tuple[int, ...]]]:
    """The best breadth over greedy + local search restarts, and its distinct panels."""
    # A fixed seed: the breadth found must not depend on the lottery's seed.
    rng = random.Random(seed)  # noqa: S311 - reproducible search, not a secret
    best_score, panels = -1, []
    for attempt in range(restarts):
        start = greedy(inst, None if attempt == 0 else rng)
        panel = improve(inst, start)
        score = inst.score(inst.cover_of(panel))
        if score > best_score:
            best_score, panels = score, [panel]
        elif score == best_score and panel not in panels:
            panels.append(panel)
    return best_score, panels


def upper_bound(inst: Instance) -> int:
    """A bound no panel can beat: each level capped by seats and by what exists."""
    reach = inst.base_cover
    for mask in inst.masks:
        reach |= mask
    k = inst.k
    new = reach & ~inst.base_cover
    gains = sorted(
        ((mask & new & inst.cmask).bit_count() for mask in inst.masks), reverse=True
    )
    # one applicant may bring several departments (where they worked before)
    dgains = sorted(
        ((mask & new & inst.dmask).bit_count() for mask in inst.masks), reverse=True
    )
    departments = min(sum(dgains[:k]), (new & inst.dmask).bit_count())
    competences = min(sum(gains[:k]), (new & inst.cmask).bit_count())
    bands = min(k, (new & inst.bmask).bit_count())
    base = inst.score(inst.base_cover)
    return base + departments * inst.wd + competences * inst.wc + bands


def climb_weight(
    inst: Instance, panel: Sequence[int], target: int, weights: Sequence[float]
) -> tuple[tuple[int, ...], float]:
    """Swap in heavier outsiders while the panel stays at least *target* wide."""
    current = list(panel)
    heavy_first = sorted(range(len(inst.masks)), key=lambda j: (-weights[j], j))
    improved = True
    while improved:
        improved = False
        inside = set(current)
        for position in sorted(range(len(current)), key=lambda p: weights[current[p]]):
            rest = current[:position] + current[position + 1 :]
            rest_cover = inst.cover_of(rest)
            for j in heavy_first:
                if weights[j] <= weights[current[position]] + 1e-12:
                    break
                if j in inside or inst.score(rest_cover | inst.masks[j]) < target:
                    continue
                if inst.fits([*rest, j]):
                    current, improved = [*rest, j], True
                    break
            if improved:
                break
    return tuple(sorted(current)), sum(weights[j] for j in current)
