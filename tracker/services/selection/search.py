"""Branch and bound over panels as bitmasks: optimal breadth and best-weighted panels.

A panel's breadth is one integer: every department, competence and experience band is
a bit, and the bits are weighted so that one more department outweighs any number of
competences, and one more competence any number of bands (lexicographic order).
Coverage is submodular, so "what the panel covers now + the k largest single gains"
bounds every completion; a separable bound per level (at most k new departments, at
most the reachable competences, ...) tightens it.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Instance:
    """The search problem: masks of the free candidates, what the pins already cover."""

    ids: tuple[int, ...]
    masks: tuple[int, ...]
    depts: tuple[int, ...]  # department index, -1 when unknown
    k: int  # seats left after the pins
    base_cover: int = 0
    base_counts: tuple[int, ...] = ()  # pinned members per department
    dept_max: int | None = None
    dmask: int = 0
    cmask: int = 0
    bmask: int = 0
    wd: int = 1
    wc: int = 1

    def score(self, cover: int) -> int:
        """The lexicographic breadth of a cover as one integer."""
        return (
            (cover & self.dmask).bit_count() * self.wd
            + (cover & self.cmask).bit_count() * self.wc
            + (cover & self.bmask).bit_count()
        )

    def cover_of(self, panel: Sequence[int]) -> int:
        """The union of the pins' and the given free candidates' masks (by position)."""
        cover = self.base_cover
        for j in panel:
            cover |= self.masks[j]
        return cover

    def fits(self, panel: Sequence[int]) -> bool:
        """Whether the panel respects the per-department maximum."""
        if self.dept_max is None:
            return True
        counts = list(self.base_counts)
        for j in panel:
            d = self.depts[j]
            if d >= 0:
                counts[d] += 1
                if counts[d] > self.dept_max:
                    return False
        return True


@dataclass
class Search:
    """One depth-first search over free candidates taken in a fixed order."""

    inst: Instance
    order: list[int]
    weights: list[float] = field(default_factory=list)
    node_budget: int | None = None
    nodes: int = 0
    complete: bool = True

    def __post_init__(self) -> None:
        masks = [self.inst.masks[j] for j in self.order]
        self.masks = masks
        self.depts = [self.inst.depts[j] for j in self.order]
        suffix = [0] * (len(masks) + 1)
        for i in range(len(masks) - 1, -1, -1):
            suffix[i] = suffix[i + 1] | masks[i]
        self.suffix = suffix
        w = [self.weights[j] for j in self.order] if self.weights else []
        self.w = w
        self.wsum = [0.0] * (len(w) + 1)
        for i, value in enumerate(w):
            self.wsum[i + 1] = self.wsum[i] + value
        self.required = 0
        self.coverers: dict[int, int] = {}
        # most departments one candidate brings (their current and former ones)
        dmask = self.inst.dmask
        self.widest_d = max([(m & dmask).bit_count() for m in masks] + [1])

    def require(self, target: int) -> None:
        """Note the features and counts every panel of breadth >= target must cover."""
        inst = self.inst
        self.need = (target // inst.wd, (target % inst.wd) // inst.wc, target % inst.wc)
        self.widest = max([(m & inst.cmask).bit_count() for m in self.masks] + [1])
        reach = self.inst.base_cover | self.suffix[0]
        bits = reach & ~self.inst.base_cover
        while bits:
            low = bits & -bits
            bits ^= low
            if self.inst.score(reach & ~low) < target:
                self.required |= low
                self.coverers[low] = sum(
                    1 << j for j, mask in enumerate(self.masks) if mask & low
                )

    def weight_bound(self, j: int, k: int, cover: int) -> float:
        """The most weight k picks from j on can add while covering what is required."""
        w, wsum = self.w, self.wsum
        best = wsum[j + k] - wsum[j]
        missing = self.required & ~cover
        while missing:
            low = missing & -missing
            missing ^= low
            rest = self.coverers[low] >> j
            if not rest:
                return float("-inf")
            first = j + (rest & -rest).bit_length() - 1
            if first >= j + k:
                best = min(best, wsum[j + k - 1] - wsum[j] + w[first])
        return min(best, self.count_bound(j, k, cover))

    def count_bound(self, j: int, k: int, cover: int) -> float:
        """Every optimal panel has the target's counts; if the k heaviest picks from j
        cannot reach them, at least r lighter ones must replace some of them."""
        inst, n = self.inst, len(self.masks)
        top = 0
        for mask in self.masks[j : j + k]:
            top |= mask
        new = top & ~cover
        d, c, b = self.need
        short_d = d - (cover & inst.dmask).bit_count() - (new & inst.dmask).bit_count()
        r = max(
            0,
            -(-short_d // self.widest_d),
            b - (cover & inst.bmask).bit_count() - (new & inst.bmask).bit_count(),
        )
        short = c - (cover & inst.cmask).bit_count() - (new & inst.cmask).bit_count()
        if short > 0:
            r = max(r, -(-short // self.widest))
        if r == 0:
            return self.wsum[j + k] - self.wsum[j]
        if r > k or j + k + r > n:
            return float("-inf")
        wsum = self.wsum
        return wsum[j + k - r] - wsum[j] + wsum[j + k + r] - wsum[j + k]

    def breadth_bounds(self, start: int, k: int, cover: int, stop: int) -> list[int]:
        """For start <= j < stop: a bound on the breadth of cover + k of masks[j:]."""
        inst, n = self.inst, len(self.masks)
        uncovered = ~cover
        heap_all: list[int] = []
        heap_rest: list[int] = []
        sum_all = sum_rest = 0
        bounds = [0] * (stop - start)
        base = inst.score(cover)
        for j in range(n - 1, start - 1, -1):
            new = self.masks[j] & uncovered
            gain = inst.score(new)
            rest = gain - (new & inst.dmask).bit_count() * inst.wd
            sum_all += _push(heap_all, gain, k)
            sum_rest += _push(heap_rest, rest, k)
            if j >= stop:
                continue
            reach = self.suffix[j] & uncovered
            departments = min(k * self.widest_d, (reach & inst.dmask).bit_count())
            separable = departments * inst.wd + min(
                sum_rest, inst.score(reach & ~inst.dmask)
            )
            bounds[j - start] = base + min(sum_all, separable)
        return bounds

    def run(
        self, k: int, cover: int, accept: Callable[[int, float, list[int]], None]
    ) -> None:
        """Visit every completion that may beat the caller's thresholds."""
        self.counts = list(self.inst.base_counts)
        self.chosen: list[int] = []
        self.accept = accept
        self._dfs(0, k, cover, 0.0)

    # thresholds the caller raises as it finds better panels
    min_score: int = -1
    min_weight: float = float("-inf")

    def _dfs(self, start: int, k: int, cover: int, weight: float) -> None:
        if k == 0:
            self.accept(self.inst.score(cover), weight, self.chosen)
            return
        self.nodes += 1
        if self.node_budget is not None and self.nodes > self.node_budget:
            self.complete = False
            return
        stop = len(self.masks) - k + 1
        if self.w:
            # weights are sorted, so the best completion from j only falls with j
            wsum, need = self.wsum, self.min_weight - weight
            while stop > start and wsum[stop - 1 + k] - wsum[stop - 1] <= need:
                stop -= 1
        if stop <= start:
            return
        if k == 1:
            self._leaves(start, stop, cover, weight)
            return
        bounds = self.breadth_bounds(start, k, cover, stop)
        cap, counts = self.inst.dept_max, self.counts
        tried: set[tuple[int, int]] = set()
        for j in range(start, stop):
            if bounds[j - start] < self.min_score:
                break  # bounds only shrink as the suffix does
            if self.w and weight + self.weight_bound(j, k, cover) <= self.min_weight:
                if weight + self.wsum[j + k] - self.wsum[j] <= self.min_weight:
                    break
                continue
            if self.best_only:
                # A twin tried earlier at this level was at least as heavy, and every
                # completion of this branch was open to it too.
                twin = (self.masks[j], self.depts[j])
                if twin in tried:
                    continue
                tried.add(twin)
            d = self.depts[j]
            if cap is not None and d >= 0 and counts[d] >= cap:
                continue
            if d >= 0:
                counts[d] += 1
            self.chosen.append(self.order[j])
            w = self.w[j] if self.w else 0.0
            self._dfs(j + 1, k - 1, cover | self.masks[j], weight + w)
            self.chosen.pop()
            if d >= 0:
                counts[d] -= 1
            if not self.complete or self.done:
                return

    done: bool = False
    best_only: bool = True  # False when every panel is wanted, not only the best

    def _leaves(self, start: int, stop: int, cover: int, weight: float) -> None:
        cap, counts, score = self.inst.dept_max, self.counts, self.inst.score
        for j in range(start, stop):
            d = self.depts[j]
            if cap is not None and d >= 0 and counts[d] >= cap:
                continue
            value = score(cover | self.masks[j])
            if value >= self.min_score:
                self.chosen.append(self.order[j])
                self.accept(value, weight + (self.w[j] if self.w else 0.0), self.chosen)
                self.chosen.pop()
                if self.done:
                    return


def _push(heap: list[int], value: int, k: int) -> int:
    """Keep the k largest values in a min-heap; return how much their sum grew."""
    if len(heap) < k:
        heapq.heappush(heap, value)
        return value
    if value > heap[0]:
        return value - heapq.heappushpop(heap, value)
    return 0


def best_breadth(
    inst: Instance,
    start: tuple[int, ...],
    *,
    node_budget: int | None = None,
) -> tuple[int, tuple[int, ...], bool]:
    """The best breadth and a panel (positions) reaching it, starting from *start*.

    Returns (score, panel, proven): proven is False when the node budget ran out.
    """
    best_score = inst.score(inst.cover_of(start))
    best: list[tuple[int, ...]] = [start]
    order = sorted(
        range(len(inst.masks)), key=lambda j: (-inst.score(inst.masks[j]), inst.ids[j])
    )
    search = Search(inst, order, node_budget=node_budget)
    search.min_score = best_score + 1

    def accept(score: int, _weight: float, chosen: list[int]) -> None:
        if score >= search.min_score:
            best[0] = tuple(sorted(chosen))
            search.min_score = score + 1

    search.run(inst.k, inst.base_cover, accept)
    return search.min_score - 1, best[0], search.complete


def best_weighted(
    inst: Instance,
    target: int,
    weights: Sequence[float],
    threshold: float,
    *,
    node_budget: int | None = None,
) -> tuple[tuple[int, ...] | None, float, bool]:
    """The panel of breadth >= target with the largest weight above *threshold*.

    Returns (panel positions or None, its weight, proven).
    """
    order = sorted(range(len(inst.masks)), key=lambda j: (-weights[j], inst.ids[j]))
    search = Search(inst, order, weights=list(weights), node_budget=node_budget)
    search.min_score = target
    search.min_weight = threshold
    search.require(target)
    found: list[tuple[int, ...] | None] = [None]

    def accept(score: int, weight: float, chosen: list[int]) -> None:
        if score >= target and weight > search.min_weight:
            found[0] = tuple(sorted(chosen))
            search.min_weight = weight

    search.run(inst.k, inst.base_cover, accept)
    weight = search.min_weight if found[0] is not None else threshold
    return found[0], weight, search.complete


def optimal_panels(
    inst: Instance, target: int, limit: int, *, node_budget: int | None = None
) -> list[tuple[int, ...]] | None:
    """Every panel of breadth >= target; None if more than *limit* or out of budget."""
    order = sorted(
        range(len(inst.masks)), key=lambda j: (-inst.score(inst.masks[j]), inst.ids[j])
    )
    search = Search(inst, order, node_budget=node_budget)
    search.min_score = target
    search.best_only = False
    panels: list[tuple[int, ...]] = []

    def accept(score: int, _weight: float, chosen: list[int]) -> None:
        if score >= target:
            panels.append(tuple(sorted(chosen)))
            search.done = len(panels) > limit

    search.run(inst.k, inst.base_cover, accept)
    return None if search.done or not search.complete else sorted(panels)
