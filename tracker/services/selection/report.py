"""Page data for a selection run: coverage, breadth added in words, chances, the
panel's breadth against the widest possible, the receipt."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.lists import format_list
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.models.applications import SelectionRun
from tracker.services.selection.confirmation import call_open
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
    former: list[str]
    competences: list[str]
    band: str
    probability: float
    selected: bool
    adds: Breadth | None  # breadth with minus without them, for the selected
    adds_text: str  # the same in words ("adds 1 new department and ...")
    replacement_rank: int | None


@dataclass(frozen=True)
class BreadthSummary:
    """The panel's breadth as it stands, against the widest the search found."""

    current: Breadth
    widest: Breadth  # the drawn panel's: proven the widest when `proven`
    upper_bound: Breadth
    proven: bool
    changed: bool  # leadership swapped applicants after the draw
    text: str


def coverage(run: SelectionRun) -> list[CoverageRow]:
    """Each department, competence and band: applicants vs selected."""
    candidates, criteria = decode_inputs(run.inputs)
    chosen = set(run.proposal["selected"])
    labels = band_labels(criteria.bands)
    rows: list[CoverageRow] = []
    keyers = (
        (_l("Department"), lambda c: sorted(c.departments)),
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
    """Every applicant with chances, the selected first with the breadth they add,
    then the replacement order, then those left out."""
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
                former=sorted(c.former - {c.department}),
                competences=sorted(c.competences),
                band=" ".join(_band_names(c, criteria.bands, labels)) or "–",
                probability=float(run.proposal["probabilities"].get(str(c.id), 0.0)),
                selected=c.id in chosen,
                adds=adds,
                adds_text=breadth_in_words(adds) if adds else "",
                replacement_rank=ranks.get(c.id),
            )
        )
    return sorted(rows, key=_row_order)


def breadth_in_words(adds: Breadth) -> str:
    """'adds 1 new department and 2 new competences', in the reader's language."""
    parts = []
    if adds.departments:
        parts.append(
            ngettext(
                "%(num)d new department", "%(num)d new departments", adds.departments
            )
        )
    if adds.competences:
        parts.append(
            ngettext(
                "%(num)d new competence", "%(num)d new competences", adds.competences
            )
        )
    if adds.bands:
        parts.append(
            ngettext(
                "%(num)d new experience band",
                "%(num)d new experience bands",
                adds.bands,
            )
        )
    if not parts:
        return str(_("adds nothing the others do not bring"))
    listed = format_list([str(part) for part in parts], locale=str(get_locale()))
    return str(_("adds %(parts)s", parts=listed))


def breadth_summary(run: SelectionRun) -> BreadthSummary:
    """The panel's breadth in words; a panel leadership changed is never 'optimal'."""
    proposal = run.proposal
    current = current_breadth(run)
    widest = Breadth(**proposal["breadth"])
    bound = Breadth(**proposal["upper_bound"])
    changed = bool(run.changes)
    if changed:
        text = _(
            "%(breadth)s of a possible %(widest)s: leadership changed the drawn panel",
            breadth=_dots(current),
            widest=_dots(widest if proposal["optimal"] else bound),
        )
    elif proposal["optimal"]:
        text = _("%(breadth)s, proven the widest possible", breadth=_dots(current))
    else:
        text = _(
            "%(breadth)s; not proven the widest: no panel is wider than %(bound)s",
            breadth=_dots(current),
            bound=_dots(bound),
        )
    return BreadthSummary(
        current, widest, bound, bool(proposal["optimal"]), changed, text
    )


@dataclass(frozen=True)
class Outcome:
    """What confirming does, summed up before leadership confirms."""

    selected: list[str]
    not_selected: int
    replacements: int
    breadth: BreadthSummary
    open_until: date | None  # the deadline, while the call still takes applications


def outcome(run: SelectionRun, names: Mapping[int, str], today: date) -> Outcome:
    """The selected by name, how many others are told, the breadth, the deadline."""
    chosen = list(run.proposal["selected"])
    everyone = len(run.inputs["candidates"])
    group = run.group
    return Outcome(
        selected=sorted(names.get(i, f"#{i}") for i in chosen),
        not_selected=everyone - len(chosen),
        replacements=len(run.proposal["replacement_order"]),
        breadth=breadth_summary(run),
        open_until=group.signup_deadline if call_open(group, today) else None,
    )


def _dots(breadth: Breadth) -> str:
    return f"{breadth.departments} · {breadth.competences} · {breadth.bands}"


def _row_order(row: CandidateRow) -> tuple[int, int, int]:
    if row.selected:
        return (0, 0, row.id)
    if row.replacement_rank is not None:
        return (1, row.replacement_rank, row.id)
    return (2, 0, row.id)


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
