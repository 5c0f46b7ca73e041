"""Plan status in words (i fas / risk / försenad) and the due and late badges,
from the items of tracker.services.attention.needs."""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from tracker.models.assignments import Assignment
from tracker.services.attention.needs import (
    Horizon,
    Kind,
    Need,
    PlanFlags,
    Severity,
    assignment_needs,
    worst_per_assignment,
)

DEADLINES = (Kind.MILESTONE, Kind.ASSIGNMENT_END)


class PlanStatus(enum.Enum):
    """A plan's state in one word; shown with an icon and text, never colour alone."""

    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"


def flag_statuses(flags: PlanFlags) -> dict[int, PlanStatus]:
    """Late if a milestone or end date has passed; at risk if one is near or an
    assignment has no recent report (*flags*: needs.plan_flags or the overview's
    summary); plans not in the result are on track."""
    return {
        plan_id: PlanStatus.LATE if plan_id in flags.late else PlanStatus.AT_RISK
        for plan_id in flags.flagged
    }


@dataclass
class Badges:
    """Due and late badges by assignment and milestone id."""

    assignments: dict[int, Severity] = field(default_factory=dict)
    milestones: dict[int, Severity] = field(default_factory=dict)
    ends: dict[int, Severity] = field(default_factory=dict)  # the end dates alone

    def assignment(self, assignment_id: int) -> str:
        """ "late", "due_soon" or "" for an assignment's card or end date."""
        severity = self.assignments.get(assignment_id)
        return severity.value if severity else ""

    def end(self, assignment_id: int) -> str:
        """ "late", "due_soon" or "" for an assignment's end date alone."""
        severity = self.ends.get(assignment_id)
        return severity.value if severity else ""

    def milestone(self, milestone_id: int) -> str:
        """ "late", "due_soon" or "" for a milestone."""
        severity = self.milestones.get(milestone_id)
        return severity.value if severity else ""


def badges(needs: Iterable[Need]) -> Badges:
    """An assignment's badge is its worst deadline: its end date or a milestone."""
    found = Badges()
    for need in needs:
        if need.kind not in DEADLINES or need.assignment_id is None:
            continue
        if need.kind is Kind.MILESTONE and need.subject_id is not None:
            found.milestones[need.subject_id] = need.severity
        if need.kind is Kind.ASSIGNMENT_END:
            found.ends[need.assignment_id] = need.severity
        if found.assignments.get(need.assignment_id) is not Severity.LATE:
            found.assignments[need.assignment_id] = need.severity
    return found


def plan_board(
    session: Session,
    horizon: Horizon,
    plan_id: int,
    worst: list[tuple[int, Kind, Severity]] | None = None,
) -> tuple[PlanStatus, Badges]:
    """One plan's status (the same rule as the overview's cards) and its cards'
    badges (not the milestones': the board does not show them); *worst*: the
    plan's worst_per_assignment() where the caller has it (summary.PlanPart)."""
    found = Badges()
    plan = PlanStatus.ON_TRACK
    if worst is None:
        worst = worst_per_assignment(session, horizon, plan_id)
    for assignment_id, kind, severity in worst:
        if kind in DEADLINES and severity is Severity.LATE:
            plan = PlanStatus.LATE
        elif plan is not PlanStatus.LATE:
            plan = PlanStatus.AT_RISK
        if kind is Kind.ASSIGNMENT_END:
            found.ends[assignment_id] = severity
        if (
            kind in DEADLINES
            and found.assignments.get(assignment_id) is not Severity.LATE
        ):
            found.assignments[assignment_id] = severity
    return plan, found


def assignment_badges(session: Session, horizon: Horizon, assignment_id: int) -> Badges:
    """The badges of one assignment's page."""
    return badges(assignment_needs(session, horizon, Assignment.id == assignment_id))
