"""Running, adjusting, confirming and verifying the selection of an open call."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.applications import ApplicationStatus, SelectionRun
from tracker.models.groups import RecruitmentMode, WorkingGroup
from tracker.models.people import Person
from tracker.services import activity, groups
from tracker.services.recruitment import applications
from tracker.services.selection.proposal import propose
from tracker.services.selection.types import Candidate, Criteria, Proposal


@dataclass(frozen=True)
class Choices:
    """Leadership's inputs to one run."""

    seed: int
    department_max: int | None = None
    pinned: frozenset[int] = frozenset()
    excluded: frozenset[int] = frozenset()


def candidates_of(session: Session, group: WorkingGroup) -> list[Candidate]:
    """The submitted applications as the selection sees them."""
    pending = applications.applications_to(
        session, group, [ApplicationStatus.SUBMITTED]
    )
    return [
        Candidate(
            a.id,
            a.department,
            frozenset(a.competences),
            a.years_experience,
            frozenset(a.former_departments),
        )
        for a in pending
    ]


def run_selection(
    session: Session,
    actor: Person | None,
    group: WorkingGroup,
    choices: Choices,
    recruitment: Mapping[str, Any],
) -> SelectionRun:
    """Compute a proposal and store it with everything needed to recompute it."""
    if group.recruitment is not RecruitmentMode.OPEN_CALL:
        raise DomainError(_l("Only open calls are decided by a selection."))
    candidates = candidates_of(session, group)
    if not candidates:
        raise DomainError(_l("There are no applications to select from."))
    free = group.seats - groups.count_members(session, group)
    if free < 1:
        raise DomainError(_l("All seats are taken."))
    criteria = Criteria(
        seats=free,
        bands=tuple(int(b) for b in recruitment["EXPERIENCE_BANDS"]),
        department_max=choices.department_max,
        pinned=choices.pinned,
        excluded=choices.excluded,
        exhaustive_limit=int(recruitment["EXHAUSTIVE_LIMIT"]),
    )
    proposal = propose(candidates, criteria, choices.seed)
    run = SelectionRun(
        group=group,
        seed=choices.seed,
        inputs=inputs_json(candidates, criteria),
        proposal=proposal_json(proposal),
        changes=[],
        created_by_id=actor.id if actor else None,
    )
    session.add(run)
    session.flush()
    return run


def inputs_json(candidates: Sequence[Candidate], criteria: Criteria) -> dict[str, Any]:
    """The candidates and criteria, enough to recompute the draw."""
    return {
        "candidates": [
            {
                "id": c.id,
                "department": c.department,
                "former_departments": sorted(c.former),
                "competences": sorted(c.competences),
                "years": c.years,
            }
            for c in candidates
        ],
        "criteria": {
            "seats": criteria.seats,
            "bands": list(criteria.bands),
            "department_max": criteria.department_max,
            "pinned": sorted(criteria.pinned),
            "excluded": sorted(criteria.excluded),
            "exhaustive_limit": criteria.exhaustive_limit,
        },
    }


def proposal_json(proposal: Proposal) -> dict[str, Any]:
    """What the draw gave, as JSON."""
    return {
        "drawn": list(proposal.selected),
        "selected": list(proposal.selected),
        "breadth": proposal.breadth.as_dict(),
        "upper_bound": proposal.upper_bound.as_dict(),
        "optimal": proposal.optimal,
        "exhaustive": proposal.exhaustive,
        "lottery_exact": proposal.lottery_exact,
        "minimum_probability": proposal.minimum_probability,
        "probabilities": {str(k): v for k, v in proposal.probabilities.items()},
        "drawn_order": list(proposal.replacement_order),
        "replacement_order": list(proposal.replacement_order),
        "seed": proposal.seed,
    }


def decode_inputs(inputs: Mapping[str, Any]) -> tuple[list[Candidate], Criteria]:
    """Candidates and criteria back from a run's stored inputs."""
    candidates = [
        Candidate(
            c["id"],
            c["department"],
            frozenset(c["competences"]),
            c["years"],
            # runs stored before applications knew former departments have none
            frozenset(c.get("former_departments", ())),
        )
        for c in inputs["candidates"]
    ]
    raw = inputs["criteria"]
    criteria = Criteria(
        seats=raw["seats"],
        bands=tuple(raw["bands"]),
        department_max=raw["department_max"],
        pinned=frozenset(raw["pinned"]),
        excluded=frozenset(raw["excluded"]),
        exhaustive_limit=raw["exhaustive_limit"],
    )
    return candidates, criteria


def verify(run: SelectionRun) -> tuple[Proposal, bool]:
    """Recompute the draw from the stored inputs; whether it gives the same panel."""
    candidates, criteria = decode_inputs(run.inputs)
    again = propose(candidates, criteria, run.seed)
    same = (
        list(again.selected) == run.proposal["drawn"]
        and list(again.replacement_order) == run.proposal["drawn_order"]
    )
    return again, same


def anonymised(run: SelectionRun) -> bool:
    """Whether the privacy purge blanked applicants in the stored inputs: the draw
    can then no longer be recomputed."""
    return any(c.get("anonymised") for c in run.inputs.get("candidates", []))


def swap(
    session: Session,
    actor: Person | None,
    run: SelectionRun,
    *,
    out_id: int,
    in_id: int,
    reason: str,
) -> None:
    """Replace a selected applicant by another; the written reason is required."""
    check_unconfirmed(run)
    selected = list(run.proposal["selected"])
    known = {c["id"] for c in run.inputs["candidates"]}
    if not reason.strip():
        raise DomainError(_l("Write why you change the proposal."), field="reason")
    if out_id not in selected or in_id in selected or in_id not in known:
        raise DomainError(_l("Choose a selected applicant and one who is not."))
    selected[selected.index(out_id)] = in_id
    order = [i for i in run.proposal["replacement_order"] if i != in_id] + [out_id]
    change = {"out": out_id, "in": in_id, "reason": reason.strip()}
    run.proposal = {**run.proposal, "selected": sorted(selected)} | {
        "replacement_order": order
    }
    run.changes = [*run.changes, change]
    session.flush()
    activity.record(
        session,
        actor,
        "selection_changed",
        run,
        after=change,
        group_id=run.group_id,
        label=run.group.name,
    )


def latest_run(
    session: Session, group: WorkingGroup, *, confirmed: bool | None = None
) -> SelectionRun | None:
    """The newest run of the group (only confirmed or unconfirmed ones if asked)."""
    statement = select(SelectionRun).where(SelectionRun.group_id == group.id)
    if confirmed is not None:
        column = SelectionRun.confirmed_at
        statement = statement.where(
            column.is_not(None) if confirmed else column.is_(None)
        )
    return session.scalars(statement.order_by(SelectionRun.id.desc())).first()


def check_unconfirmed(run: SelectionRun) -> None:
    if run.confirmed_at is not None:
        raise DomainError(_l("This selection has already been confirmed."))
