"""Page data for a selection run: coverage, breadth added, chances, the receipt."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.models.applications import SelectionRun
from tracker.services.selection.proposal import band_labels, band_of, breadth_of
from tracker.services.selection.runs import decode_inputs
from tracker.services.selection.types import Breadth, Candidate


@dataclass(frozen=True)
class CoverageRow:
    """One department, competence or band: how many applied, how many are selected."""

    kind: Any
    name: str
    applicants: int
    selected: int


@dataclass(frozen=True)
class CandidateRow:
    """One applicant on the selection page."""

    id: int
    department: str
    competences: list[str]
    band: str
    probability: float
    selected: bool
    adds: Breadth | None  # breadth with minus without them, for the selected
    replacement_rank: int | None


def coverage(run: SelectionRun) -> list[CoverageRow]:
    """Each department, competence and band: applicants vs selected."""
    candidates, criteria = decode_inputs(run.inputs)
    chosen = set(run.proposal["selected"])
    labels = band_labels(criteria.bands)
    rows: list[CoverageRow] = []
    keyers = (
        (_l("Department"), lambda c: [c.department] if c.department else []),
        (_l("Competence"), lambda c: sorted(c.competences)),
        (_l("Experience"), lambda c: _band_names(c, criteria.bands, labels)),
    )
    for kind, keys in keyers:
        counts: dict[str, list[int]] = {}
        for c in candidates:
            for key in keys(c):
                entry = counts.setdefault(key, [0, 0])
                entry[0] += 1
                entry[1] += c.id in chosen
        order = labels if kind == keyers[2][0] else sorted(counts)
        rows += [CoverageRow(kind, k, *counts[k]) for k in order if k in counts]
    return rows


def candidate_rows(run: SelectionRun) -> list[CandidateRow]:
    """Every applicant with chances; the selected with the breadth they add."""
    candidates, criteria = decode_inputs(run.inputs)
    chosen = list(run.proposal["selected"])
    whole = breadth_of(candidates, chosen, criteria.bands)
    ranks = {i: n for n, i in enumerate(run.proposal["replacement_order"], 1)}
    labels = band_labels(criteria.bands)
    rows = []
    for c in candidates:
        adds = None
        if c.id in chosen:
            rest = breadth_of(
                candidates, [i for i in chosen if i != c.id], criteria.bands
            )
            adds = Breadth(
                whole.departments - rest.departments,
                whole.competences - rest.competences,
                whole.bands - rest.bands,
            )
        rows.append(
            CandidateRow(
                id=c.id,
                department=c.department,
                competences=sorted(c.competences),
                band=" ".join(_band_names(c, criteria.bands, labels)) or "–",
                probability=float(run.proposal["probabilities"].get(str(c.id), 0.0)),
                selected=c.id in chosen,
                adds=adds,
                replacement_rank=ranks.get(c.id),
            )
        )
    return rows


def current_breadth(run: SelectionRun) -> Breadth:
    """The breadth of the panel as it stands (after leadership's changes)."""
    candidates, criteria = decode_inputs(run.inputs)
    return breadth_of(candidates, run.proposal["selected"], criteria.bands)


def criteria_summary(run: SelectionRun) -> dict[str, Any]:
    """The criteria in words for the receipt and the verify page."""
    _candidates, criteria = decode_inputs(run.inputs)
    return {
        "seats": criteria.seats,
        "bands": ", ".join(band_labels(criteria.bands)),
        "department_max": criteria.department_max,
        "pinned": len(criteria.pinned),
        "excluded": len(criteria.excluded),
        "applicants": len(run.inputs["candidates"]),
    }


def _band_names(c: Candidate, bands: Sequence[int], labels: list[str]) -> list[str]:
    band = band_of(c.years, bands)
    return [] if band is None else [labels[band]]
