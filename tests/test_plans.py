"""Action plans and assignments through the services."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from factories import make_assignment, make_person, make_plan
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.activity import ActivityEvent
from tracker.models.plans import PlanState
from tracker.services import activity
from tracker.services.attention import overview
from tracker.services.programme import assignments, plans, stages

NOW = datetime(2026, 11, 3, 10, 0, tzinfo=UTC)


def events_for(session: Session, obj_type: str, obj_id: int) -> list[ActivityEvent]:
    return activity.history_of(session, obj_type, obj_id, activity.LEADERSHIP_READER)


def test_plan_gets_a_swedish_slug(session: Session) -> None:
    plan = make_plan(session, title="Invånaren som medskapare")
    assert plan.slug == "invanaren-som-medskapare"


def test_duplicate_plan_title_is_refused(session: Session) -> None:
    make_plan(session, title="Bli en processorganisation")
    with pytest.raises(DomainError) as error:
        make_plan(session, title="bli en processorganisation")
    assert error.value.field == "title"


def test_closing_a_plan_keeps_it_and_logs_it(session: Session) -> None:
    leader = make_person(session)
    plan = make_plan(session)
    plans.close_plan(session, leader, plan, NOW)
    assert plan.state is PlanState.CLOSED
    event = events_for(session, "ActionPlan", plan.id)[0]
    assert (event.verb, event.actor_label) == ("closed", leader.name)
    with pytest.raises(DomainError):
        plans.close_plan(session, leader, plan, NOW)


def test_moving_an_assignment_records_from_and_to(session: Session) -> None:
    leader = make_person(session)
    assignment = make_assignment(session)
    doing = stages.list_stages(session)[1]
    assert assignments.move_assignment(session, leader, assignment, doing)
    event = events_for(session, "Assignment", assignment.id)[0]
    assert event.verb == "moved"
    assert event.before == {"stage": "Planerad"}
    assert event.after == {"stage": "Pågår"}
    assert event.plan_id == assignment.plan_id
    assert not assignments.move_assignment(session, leader, assignment, doing)


def test_end_date_before_start_is_refused_and_changes_nothing(session: Session) -> None:
    plan = make_plan(session)
    before = session.scalar(select(ActivityEvent.id).order_by(ActivityEvent.id.desc()))
    with pytest.raises(DomainError) as error:
        make_assignment(
            session, plan, starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1)
        )
    assert error.value.field == "ends_on"
    assert plan.assignments == []
    last = session.scalar(select(ActivityEvent.id).order_by(ActivityEvent.id.desc()))
    assert last == before


def test_update_logs_only_changed_fields(session: Session) -> None:
    assignment = make_assignment(session, description="Gammal")
    values = assignments.AssignmentValues(title=assignment.title, description="Ny")
    assignments.update_assignment(session, None, assignment, values)
    event = events_for(session, "Assignment", assignment.id)[0]
    assert event.before == {"description": "Gammal"}
    assert event.after == {"description": "Ny"}


def test_ended_assignment_keeps_history_and_cannot_move(session: Session) -> None:
    assignment = make_assignment(session)
    assignments.close_assignment(session, None, assignment, outcome="Klart!", now=NOW)
    assert assignment.is_closed
    with pytest.raises(DomainError):
        assignments.move_assignment(
            session, None, assignment, stages.list_stages(session)[1]
        )
    assignments.reopen_assignment(session, None, assignment)
    assert not assignment.is_closed
    verbs = [e.verb for e in events_for(session, "Assignment", assignment.id)]
    assert verbs[:2] == ["reopened", "closed"]


def test_progress_counts_the_last_stage_as_done(session: Session) -> None:
    plan = make_plan(session)
    workflow = stages.list_stages(session)
    for index in range(4):
        assignment = make_assignment(session, plan)
        if index < 1:
            assignments.move_assignment(session, None, assignment, workflow[-1])
    closed = make_assignment(session, plan)
    assignments.close_assignment(session, None, closed, outcome="x", now=NOW)
    row = next(r for r in overview.plan_progress(session, [plan]) if r.plan is plan)
    assert (row.done, row.total, row.percent) == (1, 4, 25)
    assert [c.count for c in row.stage_counts] == [3, 0, 1]


def test_board_groups_assignments_by_stage(session: Session) -> None:
    plan = make_plan(session)
    first = make_assignment(session, plan, title="A")
    second = make_assignment(session, plan, title="B")
    assignments.move_assignment(session, None, second, stages.list_stages(session)[1])
    board = assignments.board(session, plan)
    assert [a.title for a in board.columns[0].assignments] == [first.title]
    assert [a.title for a in board.columns[1].assignments] == ["B"]
