"""The selection's plain types: an applicant as the selection sees them, the criteria,
a panel's breadth and the proposal. Shared by the proposal, its validation, the runs
and the reports; imports nothing of the tracker.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Candidate:
    """An applicant as the selection sees them: the snapshot from the application."""

    id: int
    department: str  # where they work now: the per-department maximum counts this
    competences: frozenset[str]
    years: int | None
    former: frozenset[str] = frozenset()  # where they worked before

    @property
    def departments(self) -> frozenset[str]:
        """Every department the applicant brings: the current one and the former."""
        return (self.former | {self.department}) - {""}


@dataclass(frozen=True, order=True)
class Breadth:
    """Distinct departments, competences and experience bands covered."""

    departments: int
    competences: int
    bands: int

    def as_dict(self) -> dict[str, int]:
        """For JSON."""
        return {
            "departments": self.departments,
            "competences": self.competences,
            "bands": self.bands,
        }


@dataclass(frozen=True)
class Criteria:
    """What leadership decided: seats, bands, department maximum, pins, excludes."""

    seats: int
    bands: tuple[int, ...] = (2, 5, 10)
    department_max: int | None = None
    pinned: frozenset[int] = frozenset()
    excluded: frozenset[int] = frozenset()
    exhaustive_limit: int = 2_000_000


@dataclass(frozen=True)
class Proposal:
    """The drawn panel, how wide it is, and the lottery it came from."""

    selected: tuple[int, ...]
    breadth: Breadth
    upper_bound: Breadth
    optimal: bool
    exhaustive: bool
    probabilities: dict[int, float]
    panels: tuple[tuple[tuple[int, ...], float], ...]
    lottery_exact: bool
    minimum_probability: float
    replacement_order: tuple[int, ...]
    seed: int
    certificate: dict[int, float]  # dual weights proving the minimum (see lottery)
