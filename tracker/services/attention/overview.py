"""The "need to know" overview: plan progress, recruiting groups, recent activity."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tracker.models.activity import ActivityEvent
from tracker.models.assignments import Assignment, Milestone, Stage
from tracker.models.groups import WorkingGroup
from tracker.models.plans import ActionPlan
from tracker.services import activity, groups
from tracker.services.attention import needs, status, summary
from tracker.services.programme import plans, stages
from tracker.services.recruitment import applications


@dataclass(frozen=True)
class StageCount:
    """Open assignments of a plan in one stage."""

    stage: Stage
    count: int


@dataclass(frozen=True)
class PlanProgress:
    """A plan's row on the overview."""

    plan: ActionPlan | plans.PlanRow
    total: int
    done: int
    percent: int
    milestones_done: int
    milestones_total: int
    stage_counts: list[StageCount]

    @property
    def card_key(self) -> tuple[object, ...]:
        """Every value the plan's card shows (page_cache.fragment's key)."""
        plan = self.plan
        counts = tuple((c.stage.id, c.stage.name, c.count) for c in self.stage_counts)
        return (
            "plan-card",
            plan.id,
            plan.slug,
            plan.title,
            self.total,
            self.done,
            self.percent,
            self.milestones_done,
            self.milestones_total,
            counts,
        )


@dataclass(frozen=True)
class RecruitingGroup:
    """A group recruiting now, with days left to its deadline."""

    group: WorkingGroup
    days_left: int | None
    applications: int  # received so far: a count, never who


@dataclass(frozen=True)
class Overview:
    """Everything the overview page shows."""

    plans: list[PlanProgress]
    recent: list[ActivityEvent]
    stages: list[Stage]
    # the programme's most urgent late, stale and waiting items: "Läget nu" for
    # leadership, and how many there are in all
    attention: list[needs.Need]
    attention_total: int
    statuses: dict[int, status.PlanStatus]

    @property
    def attention_hidden(self) -> int:
        """How many of the programme's items "Läget nu" does not show."""
        return self.attention_total - len(self.attention)

    def status_of(self, plan_id: int) -> str:
        """The plan's status value for its card: on_track, at_risk or late."""
        return self.statuses.get(plan_id, status.PlanStatus.ON_TRACK).value

    @cached_property
    def cards(self) -> list[tuple[PlanProgress, str]]:
        """Each plan's row and status, as its card shows them."""
        return [(row, self.status_of(row.plan.id)) for row in self.plans]


@dataclass(frozen=True)
class PlanCounts:
    """What a plan's card counts: its open assignments per stage, its milestones."""

    stages: Mapping[int, int]  # stage id -> open assignments there
    milestones_done: int
    milestones_total: int


# what plan_counts() reads (tracker.stamps.per_plan)
COUNT_TABLES = ("assignments", "milestones")


def plan_counts(session: Session, plan_ids: set[int] | None) -> dict[int, PlanCounts]:
    """The counts of the plans *plan_ids* (None: of every plan), in two queries."""
    open_ones = Assignment.closed_at.is_(None)
    chosen = (Assignment.plan_id.in_(plan_ids),) if plan_ids is not None else ()
    per_stage: dict[int, dict[int, int]] = {}
    for plan_id, stage_id, count in session.execute(
        select(Assignment.plan_id, Assignment.stage_id, func.count())
        .where(open_ones, *chosen)
        .group_by(Assignment.plan_id, Assignment.stage_id)
    ):
        per_stage.setdefault(plan_id, {})[stage_id] = count
    milestones = {
        plan_id: (done or 0, total)
        for plan_id, done, total in session.execute(
            select(
                Assignment.plan_id,
                func.sum(case((Milestone.done.is_(True), 1), else_=0)),
                func.count(Milestone.id),
            )
            .join(Milestone, Milestone.assignment_id == Assignment.id)
            .where(open_ones, *chosen)
            .group_by(Assignment.plan_id)
        )
    }
    return {
        key: PlanCounts(per_stage.get(key, {}), *milestones.get(key, (0, 0)))
        for key in per_stage.keys() | milestones.keys()
    }


def plan_progress(
    session: Session,
    plan_list: Sequence[ActionPlan | plans.PlanRow],
    stage_list: list[Stage] | None = None,
    counts: Mapping[int, PlanCounts] | None = None,
) -> list[PlanProgress]:
    """Progress of each plan in a fixed number of queries, whatever the data size;
    *counts*: plan_counts() as kept by the caller, else read now."""
    if stage_list is None:
        stage_list = stages.list_stages(session)
    if counts is None:
        counts = plan_counts(session, {plan.id for plan in plan_list})
    done_id = stage_list[-1].id if stage_list else None
    none = PlanCounts({}, 0, 0)
    rows = []
    for plan in plan_list:
        found = counts.get(plan.id, none)
        per_stage = [StageCount(s, found.stages.get(s.id, 0)) for s in stage_list]
        total = sum(c.count for c in per_stage)
        done = found.stages.get(done_id, 0) if done_id is not None else 0
        rows.append(
            PlanProgress(
                plan,
                total,
                done,
                round(100 * done / total) if total else 0,
                found.milestones_done,
                found.milestones_total,
                per_stage,
            )
        )
    return rows


def recruiting(session: Session, today: date) -> list[RecruitingGroup]:
    """The groups recruiting now, with days left and applications received."""
    open_groups = groups.recruiting(session)
    received = applications.received_counts(session, [g.id for g in open_groups])
    return [
        RecruitingGroup(
            g,
            (g.signup_deadline - today).days if g.signup_deadline else None,
            received.get(g.id, 0),
        )
        for g in open_groups
    ]


ATTENTION_SHOWN = 25  # "Läget nu" on the overview; the rest are counted


def build_overview(
    session: Session,
    horizon: needs.Horizon,
    reader: activity.Reader,
    *,
    recent_limit: int = 10,
    attention_limit: int = ATTENTION_SHOWN,
    parts: summary.Parts | None = None,
    counts: Mapping[int, PlanCounts] | None = None,
    plan_rows: Sequence[plans.PlanRow] | None = None,
    group_needs: list[Any] | None = None,
) -> Overview:
    """Assemble the overview page; recent activity as *reader* may see it. *parts*
    and *counts*: the plans' shares of "Läget nu" (summary.plan_parts) and their
    counts (plan_counts) as they are now, *plan_rows* the active plans
    (plans.active_rows) and *group_needs* (summary.group_rows), when the caller
    keeps them between requests."""
    if plan_rows is None:
        plan_rows = plans.active_rows(session)
    recent = activity.recent(session, reader, limit=recent_limit)
    stage_list = stages.list_stages(session)
    if parts is None:
        programme = summary.programme_summary(session, horizon, attention_limit)
    else:
        programme = summary.summed(session, parts, group_needs)
    return Overview(
        plan_progress(session, plan_rows, stage_list, counts),
        recent,
        stage_list,
        programme.first,
        programme.total,
        status.flag_statuses(programme.plans),
    )
