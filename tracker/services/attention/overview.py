"""The "need to know" overview: plan progress, recruiting groups, recent activity."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from tracker.models.activity import ActivityEvent
from tracker.models.assignments import Assignment, Milestone, Stage
from tracker.models.groups import WorkingGroup
from tracker.models.plans import ActionPlan, PlanState
from tracker.services import activity, groups
from tracker.services.attention import needs, status
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

    plan: ActionPlan
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


def plan_progress(
    session: Session,
    plan_list: list[ActionPlan],
    stage_list: list[Stage] | None = None,
) -> list[PlanProgress]:
    """Progress of each plan in a fixed number of queries, whatever the data size."""
    if stage_list is None:
        stage_list = stages.list_stages(session)
    counts = stages.stage_counts(session)
    done_id = stage_list[-1].id if stage_list else None
    milestones = {
        plan_id: (done or 0, total)
        for plan_id, done, total in session.execute(
            select(
                Assignment.plan_id,
                func.sum(case((Milestone.done.is_(True), 1), else_=0)),
                func.count(Milestone.id),
            )
            .join(Milestone, Milestone.assignment_id == Assignment.id)
            .where(Assignment.closed_at.is_(None))
            .group_by(Assignment.plan_id)
        )
    }
    rows = []
    for plan in plan_list:
        per_stage = [StageCount(s, counts.get((plan.id, s.id), 0)) for s in stage_list]
        total = sum(c.count for c in per_stage)
        done = counts.get((plan.id, done_id), 0) if done_id is not None else 0
        m_done, m_total = milestones.get(plan.id, (0, 0))
        rows.append(
            PlanProgress(
                plan,
                total,
                done,
                round(100 * done / total) if total else 0,
                m_done,
                m_total,
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
) -> Overview:
    """Assemble the overview page; recent activity as *reader* may see it."""
    plan_list = [p for p in plans.list_plans(session) if p.state is PlanState.ACTIVE]
    recent = activity.recent(session, reader, limit=recent_limit)
    stage_list = stages.list_stages(session)
    programme = needs.programme_summary(session, horizon, attention_limit)
    return Overview(
        plan_progress(session, plan_list, stage_list),
        recent,
        stage_list,
        programme.first,
        programme.total,
        status.flag_statuses(programme.plans),
    )
