"""seed_demo: the governance data on top of the demo programme, once."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import clock, demo
from tracker.models.activity import ActivityEvent
from tracker.models.decisions import Decision
from tracker.models.evaluations import Evaluation
from tracker.models.maturity import MaturityParticipation, MaturityRound
from tracker.models.plans import ActionPlan
from tracker.models.steps import PlanStep
from tracker.services.governance import evaluations, maturity, results, steps
from tracker.services.governance.demo import seed_demo

# the demo programme is dated from the real day it is loaded on (tracker.demo)
TODAY = clock.today()


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_seed_demo_on_the_demo_programme_once(session: Session) -> None:
    demo.load(session, password="demo")
    seed_demo(session, today=TODAY)
    plans = list(session.scalars(select(ActionPlan).order_by(ActionPlan.position)))
    titles = set(session.scalars(select(Decision.title)))
    assert {f"Handlingsplanen {p.title} antas" for p in plans} <= titles
    assert all(d < TODAY for d in session.scalars(select(Decision.decided_on)))
    assert all(steps.history(session, p) for p in plans)

    rounds = maturity.list_rounds(session)
    assert [maturity.is_closed(r, TODAY) for r in rounds] == [False, True, True]
    assert maturity.is_open(rounds[0], TODAY)
    latest = results.latest_result(session, TODAY, min_group=5)
    assert latest is not None and latest.previous is not None
    changes = [row.total.change for row in latest.rows if row.total]
    assert changes and all(change and change > 0 for change in changes)
    # one department answered only four times: shown nowhere
    hidden = [
        name
        for department_id, name in latest.departments
        if all(row.cells[department_id] is None for row in latest.rows)
    ]
    assert len(hidden) == 1

    lessons = [e for p in plans for e in evaluations.lessons_for_plan(session, p)]
    assert any(e.group and e.group.name == "Pilotgrupp kundresor" for e in lessons)

    counts = [
        count(session, m)
        for m in (
            Decision,
            PlanStep,
            Evaluation,
            MaturityRound,
            MaturityParticipation,
            ActivityEvent,
        )
    ]
    seed_demo(session, today=TODAY)
    assert [
        count(session, m)
        for m in (
            Decision,
            PlanStep,
            Evaluation,
            MaturityRound,
            MaturityParticipation,
            ActivityEvent,
        )
    ] == counts
