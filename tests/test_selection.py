"""The selection algorithm against brute force over every panel, and its fairness."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from bisect import bisect_right
from itertools import combinations

import lottery_tableau
import pytest

from tracker.errors import DomainError
from tracker.services.selection import proposal as proposal_module
from tracker.services.selection.proposal import band_labels, propose
from tracker.services.selection.search import optimal_panels
from tracker.services.selection.types import Candidate, Criteria

BANDS = (2, 5, 10)


def random_candidates(rng: random.Random, n: int, nd: int, nc: int) -> list[Candidate]:
    """Applicants over nd departments and nc competences, some without data."""
    result = []
    for i in range(n):
        department = f"D{rng.randrange(nd)}" if rng.random() > 0.05 else ""
        count = rng.randint(0, min(3, nc))
        competences = frozenset(f"C{c}" for c in rng.sample(range(nc), count))
        years = rng.randrange(20) if rng.random() > 0.1 else None
        result.append(Candidate(100 + i, department, competences, years))
    return result


def breadth_key(chosen: list[Candidate]) -> tuple[int, int, int]:
    """Independent of the code under test: plain sets, compared as a tuple."""
    departments = {c.department for c in chosen if c.department}
    departments |= {name for c in chosen for name in c.former}
    competences = set().union(*(c.competences for c in chosen))
    bands = {bisect_right(BANDS, c.years) for c in chosen if c.years is not None}
    return (len(departments), len(competences), len(bands))


def all_panels(
    candidates: list[Candidate], criteria: Criteria
) -> dict[tuple[int, ...], tuple[int, int, int]]:
    """Every admissible panel of the largest possible size, with its breadth."""
    eligible = [c for c in candidates if c.id not in criteria.excluded]
    panels: dict[tuple[int, ...], tuple[int, int, int]] = {}
    for size in range(min(criteria.seats, len(eligible)), -1, -1):
        for combo in combinations(eligible, size):
            ids = {c.id for c in combo}
            if not criteria.pinned <= ids:
                continue
            if criteria.department_max is not None:
                counts: dict[str, int] = {}
                for c in combo:
                    if c.department:
                        counts[c.department] = counts.get(c.department, 0) + 1
                if any(n > criteria.department_max for n in counts.values()):
                    continue
            panels[tuple(sorted(ids))] = breadth_key(list(combo))
        if panels:
            return panels
    return panels


def check_against_brute_force(candidates: list[Candidate], criteria: Criteria) -> None:
    proposal = propose(candidates, criteria, seed=7)
    panels = all_panels(candidates, criteria)
    best = max(panels.values())
    optimal = {panel for panel, key in panels.items() if key == best}
    by_id = {c.id: c for c in candidates}
    assert proposal.optimal and proposal.exhaustive
    assert (
        proposal.breadth.departments,
        proposal.breadth.competences,
        proposal.breadth.bands,
    ) == best
    assert proposal.selected in optimal
    assert breadth_key([by_id[i] for i in proposal.selected]) == best
    assert all(panel in optimal for panel, _ in proposal.panels)
    assert sum(p for _, p in proposal.panels) == pytest.approx(1.0)
    possible = set().union(*optimal)
    for candidate in candidates:
        probability = proposal.probabilities[candidate.id]
        if candidate.id in possible:
            assert probability >= proposal.minimum_probability - 1e-7
        else:
            assert probability == pytest.approx(0.0, abs=1e-9)
    # The dual certificate: no optimal panel outweighs the minimum, so no lottery over
    # optimal panels can give every possible applicant more (weak LP duality).
    certificate = proposal.certificate
    free = possible - criteria.pinned
    if free:
        assert sum(certificate.get(i, 0.0) for i in free) == pytest.approx(1.0)
        heaviest = max(sum(certificate.get(i, 0.0) for i in p) for p in optimal)
        assert heaviest <= proposal.minimum_probability + 1e-6


@pytest.mark.parametrize("instance", range(40))
def test_breadth_and_lottery_match_brute_force_for_small_groups(instance: int) -> None:
    rng = random.Random(instance)
    n = rng.randint(1, 14)
    candidates = random_candidates(rng, n, rng.randint(1, 6), rng.randint(1, 8))
    ids = [c.id for c in candidates]
    pinned = frozenset(rng.sample(ids, rng.randint(0, min(2, n))))
    others = [i for i in ids if i not in pinned]
    excluded = frozenset(rng.sample(others, rng.randint(0, min(2, len(others)))))
    criteria = Criteria(
        seats=rng.randint(max(1, len(pinned)), 8),
        bands=BANDS,
        department_max=rng.choice([None, None, 1, 2, 3]),
        pinned=pinned,
        excluded=excluded,
    )
    try:
        check_against_brute_force(candidates, criteria)
    except DomainError:
        # only crowded pins may be refused; brute force agrees nothing fits
        assert criteria.department_max is not None
        assert not all_panels(candidates, criteria)


def fast_brute_force(candidates: list[Candidate], seats: int) -> tuple[int, int, int]:
    """Every 8-panel of 25 via an independent bit encoding (about a million)."""
    competences = set().union(*(c.competences for c in candidates))
    names = sorted({c.department for c in candidates} | competences)
    bit = {name: 1 << i for i, name in enumerate(names)}
    departments = 0
    for c in candidates:
        departments |= bit[c.department]
    masks = []
    for c in candidates:
        mask = bit[c.department]
        for name in c.competences:
            mask |= bit[name]
        band = bisect_right(BANDS, c.years) if c.years is not None else None
        masks.append((mask, 0 if band is None else 1 << band))
    best = (0, 0, 0)
    for combo in combinations(masks, seats):
        cover = bands = 0
        for mask, band in combo:
            cover |= mask
            bands |= band
        d = (cover & departments).bit_count()
        key = (d, cover.bit_count() - d, bands.bit_count())
        if key > best:
            best = key
    return best


def test_25_applicants_for_8_seats_is_exactly_optimal() -> None:
    rng = random.Random(2026)
    candidates = []
    for i in range(25):
        competences = frozenset(f"C{c}" for c in rng.sample(range(12), 2))
        candidates.append(Candidate(i + 1, f"D{i % 7}", competences, rng.randrange(25)))
    proposal = propose(candidates, Criteria(seats=8, bands=BANDS), seed=1)
    best = fast_brute_force(candidates, 8)
    assert proposal.optimal and proposal.exhaustive and proposal.lottery_exact
    found = proposal.breadth
    assert (found.departments, found.competences, found.bands) == best
    by_id = {c.id: c for c in candidates}
    for panel, _ in proposal.panels:
        assert breadth_key([by_id[i] for i in panel]) == best
    assert len(proposal.selected) == 8


def test_same_seed_same_panel_and_order() -> None:
    rng = random.Random(5)
    candidates = random_candidates(rng, 14, 3, 3)
    criteria = Criteria(seats=5, bands=BANDS)
    first = propose(candidates, criteria, seed=424242)
    again = propose(list(reversed(candidates)), criteria, seed=424242)
    assert first.selected == again.selected
    assert first.replacement_order == again.replacement_order
    assert first.probabilities == again.probabilities
    draws = {propose(candidates, criteria, seed=s).selected for s in range(30)}
    assert len(draws) > 1  # the seed matters when several panels are optimal


def test_replacement_order_holds_everyone_not_selected_or_excluded() -> None:
    candidates = random_candidates(random.Random(9), 12, 4, 5)
    criteria = Criteria(seats=4, excluded=frozenset({100}))
    proposal = propose(candidates, criteria, seed=3)
    expected = {c.id for c in candidates} - set(proposal.selected) - {100}
    assert set(proposal.replacement_order) == expected
    assert len(proposal.replacement_order) == len(expected)


def candidate(i: int, department: str, *competences: str, years: int = 3) -> Candidate:
    return Candidate(i, department, frozenset(competences), years)


def test_interchangeable_applicants_get_equal_chances() -> None:
    candidates = [candidate(i, "A", "x") for i in range(1, 4)]
    proposal = propose(candidates, Criteria(seats=1), seed=0)
    assert proposal.minimum_probability == pytest.approx(1 / 3)
    assert all(p == pytest.approx(1 / 3) for p in proposal.probabilities.values())


def test_the_only_one_from_a_department_is_certain_and_the_rest_share() -> None:
    candidates = [
        candidate(1, "A", "x"),
        candidate(2, "A", "x"),
        candidate(3, "B", "x"),
    ]
    proposal = propose(candidates, Criteria(seats=2), seed=0)
    assert proposal.probabilities == pytest.approx({1: 0.5, 2: 0.5, 3: 1.0})
    assert 3 in proposal.selected


def test_maximin_by_hand_when_one_applicant_covers_two_competences() -> None:
    # Two seats; the widest panels hold both x and y: {1,2}, {1,3}, {2,3} and {3,4}.
    # Two seats spread over four people give at most 1/2 each, and {1,2} + {3,4} at
    # 1/2 each reaches it; a uniform draw over the four panels would give 4 only 1/4.
    candidates = [
        candidate(1, "A", "x"),
        candidate(2, "A", "y"),
        candidate(3, "A", "x", "y"),
        candidate(4, "A"),
    ]
    proposal = propose(candidates, Criteria(seats=2), seed=0)
    assert proposal.minimum_probability == pytest.approx(0.5)
    assert proposal.probabilities == pytest.approx({1: 0.5, 2: 0.5, 3: 0.5, 4: 0.5})


def test_more_pins_than_seats_is_refused() -> None:
    candidates = [candidate(i, "A", "x") for i in range(1, 5)]
    with pytest.raises(DomainError, match="only 2 seats"):
        propose(candidates, Criteria(seats=2, pinned=frozenset({1, 2, 3})), seed=0)


def test_pins_are_kept_and_excludes_left_out() -> None:
    candidates = random_candidates(random.Random(11), 12, 4, 6)
    criteria = Criteria(seats=4, pinned=frozenset({101}), excluded=frozenset({102}))
    proposal = propose(candidates, criteria, seed=5)
    assert 101 in proposal.selected and 102 not in proposal.selected
    assert proposal.probabilities[101] == 1.0 and proposal.probabilities[102] == 0.0


def test_department_maximum_is_respected() -> None:
    candidates = [candidate(i, "A" if i < 6 else "B", f"c{i}") for i in range(1, 9)]
    proposal = propose(candidates, Criteria(seats=6, department_max=2), seed=1)
    assert len(proposal.selected) == 4  # only two from each of A and B can sit
    assert sum(1 for i in proposal.selected if i < 6) == 2


def test_heuristic_beyond_the_limit_is_bounded_and_honest() -> None:
    rng = random.Random(21)
    for _ in range(10):
        candidates = random_candidates(rng, 13, 4, 10)
        criteria = Criteria(seats=5, exhaustive_limit=10)
        proposal = propose(candidates, criteria, seed=1)
        best = max(all_panels(candidates, criteria).values())
        found = proposal.breadth
        bound = proposal.upper_bound
        assert not proposal.exhaustive
        assert (found.departments, found.competences, found.bands) <= best
        assert (bound.departments, bound.competences, bound.bands) >= best
        if proposal.optimal:
            assert (found.departments, found.competences, found.bands) == best


def test_band_labels() -> None:
    assert band_labels([2, 5, 10]) == ["< 2", "2–5", "5–10", "10+"]


def old_lottery_probabilities(
    candidates: list[Candidate], criteria: Criteria, monkeypatch: pytest.MonkeyPatch
) -> dict[int, float]:
    """The proposal's chances with the hand-written simplex the lottery used before."""
    with monkeypatch.context() as patched:
        patched.setattr(proposal_module, "leximin", lottery_tableau.leximin)
        return propose(candidates, criteria, seed=7).probabilities


def brute_force_probabilities(
    candidates: list[Candidate], criteria: Criteria
) -> dict[int, float]:
    """Leximin over every optimal panel at once (no column generation, no search)."""
    panels = all_panels(candidates, criteria)
    best = max(panels.values())
    optimal = sorted(panel for panel, key in panels.items() if key == best)
    ids = [c.id for c in candidates]
    position = {i: j for j, i in enumerate(ids)}
    columns = [tuple(position[i] for i in panel) for panel in optimal]
    lottery = lottery_tableau.leximin(len(ids), columns, lambda _w, _t: (None, True))
    return {i: lottery.probabilities[position[i]] for i in ids}


@pytest.mark.parametrize("instance", range(40))
def test_highs_lottery_equals_the_old_simplex_and_brute_force(
    instance: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(instance)
    n = rng.randint(1, 14)
    candidates = random_candidates(rng, n, rng.randint(1, 6), rng.randint(1, 8))
    ids = [c.id for c in candidates]
    pinned = frozenset(rng.sample(ids, rng.randint(0, min(2, n))))
    others = [i for i in ids if i not in pinned]
    excluded = frozenset(rng.sample(others, rng.randint(0, min(2, len(others)))))
    criteria = Criteria(
        seats=rng.randint(max(1, len(pinned)), 8),
        bands=BANDS,
        department_max=rng.choice([None, None, 1, 2, 3]),
        pinned=pinned,
        excluded=excluded,
    )
    try:
        highs = propose(candidates, criteria, seed=7).probabilities
    except DomainError:
        return  # refused criteria: the brute-force test above checks the refusal
    old = old_lottery_probabilities(candidates, criteria, monkeypatch)
    brute = brute_force_probabilities(candidates, criteria)
    for i in ids:
        assert highs[i] == pytest.approx(old[i], abs=1e-6)
        assert highs[i] == pytest.approx(brute[i], abs=1e-6)


def test_highs_lottery_equals_the_old_simplex_for_25_applicants(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for instance in range(5):
        rng = random.Random(1000 * 25 + instance)
        candidates = random_candidates(rng, 25, 8, 12)
        criteria = Criteria(seats=8, bands=BANDS)
        highs = propose(candidates, criteria, seed=7).probabilities
        old = old_lottery_probabilities(candidates, criteria, monkeypatch)
        assert highs == pytest.approx(old, abs=1e-6)


def test_a_fresh_process_prints_only_its_own_output_when_the_lottery_runs() -> None:
    # HiGHS prints a banner on its first use in a process; `tracker select --json`
    # must still print nothing but JSON.
    script = (
        "import json\n"
        "from tracker.services.selection.proposal import propose\n"
        "from tracker.services.selection.types import Candidate, Criteria\n"
        "people = [Candidate(i, 'A', frozenset({'x'}), 3) for i in range(1, 4)]\n"
        "result = propose(people, Criteria(seats=1), seed=0)\n"
        "print(json.dumps(sorted(result.probabilities.values())))\n"
    )
    done = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout) == pytest.approx([1 / 3] * 3)


def test_highs_lottery_is_leximin_where_the_old_simplex_fell_short() -> None:
    # bench/bench_selection.py's instance 13 of 25 for 8: the old column generation
    # stopped one stage early (three applicants at 0.3125 where 0.3333 is possible);
    # leximin over all 215 optimal panels at once shows what is reachable.
    rng = random.Random(1000 * 25 + 13)
    candidates = [
        Candidate(
            i + 1,
            f"Avdelning {rng.randrange(8)}",
            frozenset(
                f"Kompetens {c}" for c in rng.sample(range(12), rng.randint(1, 3))
            ),
            rng.randrange(30),
        )
        for i in range(25)
    ]
    criteria = Criteria(seats=8)
    highs = propose(candidates, criteria, seed=13).probabilities
    instance, free = proposal_module.encode(candidates, criteria)
    score, _panels, _proven = proposal_module._search(instance, True)
    panels = optimal_panels(instance, score, 20_000)
    assert panels is not None and len(panels) == 215
    brute = lottery_tableau.leximin(len(free), panels, lambda _w, _t: (None, True))
    for position, applicant in enumerate(free):
        assert highs[applicant] == pytest.approx(
            brute.probabilities[position], abs=1e-6
        )


@pytest.mark.parametrize("instance", range(30))
def test_former_departments_widen_the_breadth_like_brute_force(instance: int) -> None:
    rng = random.Random(500 + instance)
    n = rng.randint(2, 13)
    nd = rng.randint(2, 7)
    candidates = [
        Candidate(
            c.id,
            c.department,
            c.competences,
            c.years,
            frozenset(f"D{d}" for d in rng.sample(range(nd), rng.randint(0, 2))),
        )
        for c in random_candidates(rng, n, nd, rng.randint(1, 6))
    ]
    criteria = Criteria(
        seats=rng.randint(1, 6),
        bands=BANDS,
        department_max=rng.choice([None, None, 1, 2]),  # counts the current one only
    )
    check_against_brute_force(candidates, criteria)
