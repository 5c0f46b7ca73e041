"""Choosing an open call's members: the widest panel, then a fair and seeded lottery.

Pure functions on plain dataclasses (no database), so the CLI, the views, the verify
page, the tests and the benchmark all run exactly the same computation.

1. Breadth is lexicographic: departments, then competences, then experience bands.
2. When C(N, S) <= exhaustive_limit, branch and bound proves the optimum
   (search); beyond that, greedy + local search restarts with an upper bound
   (heuristic), and the result is only "proven" if it meets the bound.
3. Among the panels of that breadth a leximin lottery (lottery) maximises the
   smallest selection probability, then the next smallest, and so on.
4. One panel is drawn with random.Random(seed); the same RNG stream then orders the
   others into the replacement order. Same inputs + same seed = same result.
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from itertools import pairwise
from math import comb

from tracker.services.selection.heuristic import (
    best_of_restarts,
    climb_weight,
    upper_bound,
)
from tracker.services.selection.lottery import (
    Pricing,
    leximin,
    multiplicative_weights,
)
from tracker.services.selection.search import (
    Instance,
    best_breadth,
    best_weighted,
    optimal_panels,
)
from tracker.services.selection.types import Breadth, Candidate, Criteria, Proposal
from tracker.services.selection.validation import check_criteria

HEURISTIC_RESTARTS = 40
HEURISTIC_WORK = 2_000_000
REFINE_BUDGET = 5_000  # search nodes per pricing after the maximin stage
HEDGE_ROUNDS = 200
PANEL_LIST_LIMIT = 20_000


def band_of(years: int | None, bands: Sequence[int]) -> int | None:
    """The experience band of *years*: with bands (2, 5, 10), 4 years is band 1."""
    return None if years is None else bisect_right(list(bands), years)


def band_labels(bands: Sequence[int]) -> list[str]:
    """Readable bands, e.g. ['< 2', '2–5', '5–10', '10+']."""
    limits = list(bands)
    labels = [f"< {limits[0]}"] if limits else ["0+"]
    labels += [f"{low}–{high}" for low, high in pairwise(limits)]
    return labels + ([f"{limits[-1]}+"] if limits else [])


def breadth_of(
    candidates: Sequence[Candidate], ids: Sequence[int], bands: Sequence[int]
) -> Breadth:
    """The breadth of the panel *ids*, computed directly from the sets."""
    chosen = [c for c in candidates if c.id in set(ids)]
    return Breadth(
        len(set().union(*(c.departments for c in chosen))) if chosen else 0,
        len(set().union(*(c.competences for c in chosen))) if chosen else 0,
        len({b for c in chosen if (b := band_of(c.years, bands)) is not None}),
    )


def propose(candidates: Sequence[Candidate], criteria: Criteria, seed: int) -> Proposal:
    """The widest panel by a fair lottery; raises DomainError on impossible criteria."""
    check_criteria(candidates, criteria)
    inst, free_ids = encode(candidates, criteria)
    exhaustive = comb(len(free_ids), inst.k) <= criteria.exhaustive_limit
    score, panels, proven = _search(inst, exhaustive)
    bound = score if proven else upper_bound(inst)
    proven = proven or score >= bound

    columns = list(panels)
    if exhaustive:
        listed = optimal_panels(inst, score, PANEL_LIST_LIMIT)
        lottery = leximin(
            len(free_ids),
            columns,
            _pricing(inst, score, columns, listed, search=True),
            _pricing(inst, score, columns, listed, search=True, budget=REFINE_BUDGET),
        )
    elif proven and (listed := _listed(inst, score)) is not None:
        scan = _pricing(inst, score, columns, listed, search=False)
        lottery = leximin(len(free_ids), columns, scan)
    else:
        climb = _pricing(inst, score, columns, None, search=False)
        lottery = multiplicative_weights(len(free_ids), columns, climb, HEDGE_ROUNDS)
    pinned = tuple(sorted(criteria.pinned))
    distribution = tuple(
        (tuple(sorted(pinned + tuple(free_ids[j] for j in panel))), p)
        for panel, p in lottery.panels
    )
    distribution = tuple(sorted(distribution))
    probabilities = {c.id: 0.0 for c in candidates}
    probabilities.update({i: 1.0 for i in pinned})
    for j, p in enumerate(lottery.probabilities):
        probabilities[free_ids[j]] = p
    selected, order = draw(distribution, probabilities, criteria.excluded, seed)
    return Proposal(
        selected=selected,
        breadth=_decode(inst, score),
        upper_bound=_decode(inst, bound),
        optimal=proven,
        exhaustive=exhaustive,
        probabilities=probabilities,
        panels=distribution,
        lottery_exact=lottery.exact and proven,
        minimum_probability=lottery.minimum,
        replacement_order=order,
        seed=seed,
        certificate={free_ids[j]: w for j, w in enumerate(lottery.certificate)},
    )


def draw(
    panels: Sequence[tuple[tuple[int, ...], float]],
    probabilities: dict[int, float],
    excluded: frozenset[int],
    seed: int,
) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Draw one panel, then order the rest for replacements, from one seeded RNG."""
    rng = random.Random(seed)  # noqa: S311 - a public, reproducible draw, not a secret
    u, total, selected = rng.random(), 0.0, panels[-1][0] if panels else ()
    for panel, p in panels:
        total += p
        if u < total:
            selected = panel
            break
    others = sorted(i for i in probabilities if i not in selected and i not in excluded)
    # Weighted order without replacement (Efraimidis-Spirakis keys u^(1/p)): the more
    # often the lottery picks someone, the earlier they come back as a replacement.
    keys = {i: _key(rng.random(), probabilities[i]) for i in others}
    order = tuple(sorted(others, key=lambda i: (-keys[i][0], -keys[i][1], i)))
    return tuple(sorted(selected)), order


def _key(u: float, p: float) -> tuple[int, float]:
    return (1, u ** (1.0 / p)) if p > 1e-12 else (0, u)


def encode(
    candidates: Sequence[Candidate], criteria: Criteria
) -> tuple[Instance, list[int]]:
    """Bitmasks for the search: departments, then competences, then bands."""
    eligible = [c for c in candidates if c.id not in criteria.excluded]
    departments = sorted(
        set().union(*(c.departments for c in eligible)) if eligible else set()
    )
    competences = sorted(
        set().union(*(c.competences for c in eligible)) if eligible else set()
    )
    nd, nc, nb = len(departments), len(competences), len(criteria.bands) + 1
    dept_index = {name: i for i, name in enumerate(departments)}
    comp_index = {name: nd + i for i, name in enumerate(competences)}

    def mask(c: Candidate) -> int:
        bits = 0
        for name in c.departments:
            bits |= 1 << dept_index[name]
        for name in c.competences:
            bits |= 1 << comp_index[name]
        band = band_of(c.years, criteria.bands)
        return bits | (1 << (nd + nc + band) if band is not None else 0)

    pinned = [c for c in eligible if c.id in criteria.pinned]
    free = sorted(
        (c for c in eligible if c.id not in criteria.pinned), key=lambda c: c.id
    )
    base_counts = [0] * nd
    base_cover = 0
    for c in pinned:
        base_cover |= mask(c)
        if c.department:
            base_counts[dept_index[c.department]] += 1
    depts = tuple(dept_index[c.department] if c.department else -1 for c in free)
    k = min(criteria.seats - len(pinned), _capacity(depts, base_counts, criteria))
    wc = nb + 1
    return (
        Instance(
            ids=tuple(c.id for c in free),
            masks=tuple(mask(c) for c in free),
            depts=depts,
            k=max(k, 0),
            base_cover=base_cover,
            base_counts=tuple(base_counts),
            dept_max=criteria.department_max,
            dmask=(1 << nd) - 1,
            cmask=((1 << nc) - 1) << nd,
            bmask=((1 << nb) - 1) << (nd + nc),
            wd=(nc + 1) * wc,
            wc=wc,
        ),
        [c.id for c in free],
    )


def _capacity(depts: Sequence[int], base: Sequence[int], criteria: Criteria) -> int:
    """How many free candidates can sit at once under the department maximum."""
    cap = criteria.department_max
    if cap is None:
        return len(depts)
    free_per = [0] * len(base)
    for d in depts:
        if d >= 0:
            free_per[d] += 1
    room = sum(min(n, max(cap - b, 0)) for n, b in zip(free_per, base, strict=True))
    return room + sum(1 for d in depts if d < 0)


def _search(
    inst: Instance, exhaustive: bool
) -> tuple[int, list[tuple[int, ...]], bool]:
    """The best breadth, panels reaching it, and whether it is proven optimal."""
    if inst.k == 0 or inst.k >= len(inst.masks):
        panel = tuple(range(min(inst.k, len(inst.masks))))
        return inst.score(inst.cover_of(panel)), [panel], True
    restarts = 1 if exhaustive else HEURISTIC_RESTARTS
    score, panels = best_of_restarts(inst, restarts)
    if not exhaustive and score >= upper_bound(inst):
        return score, panels, True  # the bound proves it; no search needed
    # Beyond the limit the search still runs, on a budget of work (nodes x applicants)
    # that does not depend on the machine, so a rerun gives the same answer.
    budget = None if exhaustive else max(1_000, HEURISTIC_WORK // len(inst.masks))
    found, panel, complete = best_breadth(inst, panels[0], node_budget=budget)
    if found > score:
        score, panels = found, [panel]
    return score, panels, complete


def _pricing(
    inst: Instance,
    score: int,
    columns: list[tuple[int, ...]],
    listed: list[tuple[int, ...]] | None,
    *,
    search: bool,
    budget: int | None = None,
) -> Pricing:
    """Find a panel of breadth *score* outweighing a threshold: scan the list of all
    optimal panels when there is one, else climb from known panels, then search."""

    def price(
        weights: list[float], threshold: float
    ) -> tuple[tuple[int, ...] | None, bool]:
        if listed is not None:
            heaviest = max(listed, key=lambda c: sum(map(weights.__getitem__, c)))
            heavy = sum(map(weights.__getitem__, heaviest)) > threshold
            return (heaviest if heavy else None), True
        climbed = _climb(inst, score, columns, weights, threshold)
        if climbed is not None or not search:
            return climbed, climbed is not None
        panel, _weight, complete = best_weighted(
            inst, score, weights, threshold, node_budget=budget
        )
        return panel, complete

    return price


def _listed(inst: Instance, score: int) -> list[tuple[int, ...]] | None:
    """All optimal panels of a large instance, if few and found within the budget."""
    budget = max(1_000, HEURISTIC_WORK // len(inst.masks))
    return optimal_panels(inst, score, PANEL_LIST_LIMIT, node_budget=budget)


def _climb(
    inst: Instance,
    score: int,
    columns: Sequence[tuple[int, ...]],
    weights: Sequence[float],
    threshold: float,
) -> tuple[int, ...] | None:
    """Cheap pricing first: improve the heaviest known panels by single swaps."""
    heaviest = sorted(columns, key=lambda c: -sum(weights[j] for j in c))[:3]
    for start in heaviest:
        panel, weight = climb_weight(inst, start, score, weights)
        if weight > threshold and panel not in columns:
            return panel
    return None


def _decode(inst: Instance, score: int) -> Breadth:
    return Breadth(score // inst.wd, (score % inst.wd) // inst.wc, score % inst.wc)
