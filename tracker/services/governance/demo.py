"""The demo's governance: adoption decisions, method steps, mandates, an evaluated
pilot group, and three maturity rounds (two closed, one open). Idempotent."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models.decisions import Decision
from tracker.models.groups import GroupState, WorkingGroup
from tracker.models.maturity import MaturityRound
from tracker.models.people import Department, Person, Role
from tracker.models.plans import ActionPlan
from tracker.services import groups
from tracker.services.governance import (
    aims,
    answers,
    decisions,
    evaluations,
    maturity,
    steps,
)

NAMND, LEDNING, STRATEGISKA = decisions.DEFAULT_BODIES
PILOT = "Pilotgrupp kundresor"
# the demo's plans were adopted half a year ago (tracker.demo.story.PLANS_ADOPTED)
ADOPTED_DAYS_AGO = 183
# the staff login answers the open round in the demo, so it is left out here
STAFF_LOGIN = "medarbetare@demo.se"
MANDATE = (
    "Gruppen beslutar själv om arbetssätt och mötesformer inom sin tidsram. "
    "Förslag som påverkar flera verksamhetsdelar lämnas till strategiska "
    "ledningsgruppen."
)
AMBITION = "Ett genomarbetat förslag som går att pröva i en verksamhetsdel."
FOLLOW_UP = (
    "Avstämning med styrgruppen varje månad och en utvärdering när tiden är slut."
)


def seed_demo(session: Session, *, today: date) -> None:
    """Add the demo's governance data to the demo's plans, groups and people."""
    plans = list(session.scalars(select(ActionPlan).order_by(ActionPlan.position)))
    if not plans:
        return
    decisions.ensure_bodies(session)
    _pilot(session, plans, today)  # before the decisions: it has one too
    _decisions(session, plans, today)
    _steps(session, plans, today)
    _mandates(session)
    _maturity(session, plans, today)


def _body_id(session: Session, name: str) -> int:
    return next(b.id for b in decisions.list_bodies(session) if b.name == name)


def _decide(session: Session, values: decisions.DecisionValues) -> None:
    if session.scalar(select(Decision.id).where(Decision.title == values.title)):
        return
    decisions.record_decision(session, None, values)


def _decisions(session: Session, plans: list[ActionPlan], today: date) -> None:
    adopted = today - timedelta(days=ADOPTED_DAYS_AGO)
    for number, plan in enumerate(plans, start=1):
        _decide(
            session,
            decisions.DecisionValues(
                decided_on=adopted,
                body_id=_body_id(session, NAMND),
                title=f"Handlingsplanen {plan.title} antas",
                reference=f"AMN 2026/{100 + number}",
                text=(
                    "Nämnden antar handlingsplanen samtidigt med besluten i "
                    "invånarprocessen. Förvaltningen återrapporterar efter ett år."
                ),
                owner_id=plan.owner_id,
                follow_up_on=adopted + timedelta(days=365),
                plans=[plan],
            ),
        )
    started = list(
        session.scalars(
            select(WorkingGroup).where(WorkingGroup.state != GroupState.PLANNED)
        )
    )
    for group in started:
        _decide(
            session,
            decisions.DecisionValues(
                # two weeks before the start, or yesterday for a group yet to start
                decided_on=min(
                    (group.starts_on or today) - timedelta(days=14),
                    today - timedelta(days=1),
                ),
                body_id=_body_id(session, STRATEGISKA),
                title=f"Arbetsgruppen {group.name} startas",
                text=f"Strategiska ledningsgruppen beslutar att starta {group.name}.",
                owner_id=plans[0].owner_id,
                follow_up_on=group.ends_on,
                groups=[group],
                assignments=list(group.assignments),
            ),
        )


def _steps(session: Session, plans: list[ActionPlan], today: date) -> None:
    method = steps.list_steps(session)
    for index, plan in enumerate(plans):
        if steps.history(session, plan):
            continue
        reached = 3 - index % 3  # steps 3, 2, 1, 3, 2
        for position in range(reached):
            steps.enter_step(
                session,
                None,
                plan,
                steps.StepValues(
                    step_id=method[position].id,
                    entered_on=today - timedelta(days=ADOPTED_DAYS_AGO - 60 * position),
                    purpose=f"{method[position].name.split(' ', 2)[-1]} för planen.",
                    goal="Klart underlag till nästa steg.",
                ),
            )


def _mandates(session: Session) -> None:
    for group in session.scalars(select(WorkingGroup)):
        if not group.mandate:
            group.mandate, group.ambition, group.follow_up = (
                MANDATE,
                AMBITION,
                FOLLOW_UP,
            )


def _pilot(session: Session, plans: list[ActionPlan], today: date) -> None:
    """A closed pilot group whose evaluation becomes the plan's lessons."""
    if groups.get_by_slug(session, "pilotgrupp-kundresor") is not None:
        return
    plan = plans[1] if len(plans) > 1 else plans[0]
    group = groups.create_group(
        session,
        None,
        groups.GroupValues(
            name=PILOT,
            purpose="Prövade kundresor med invånare under tolv veckor.",
            mandate=MANDATE,
            ambition=AMBITION,
            follow_up=FOLLOW_UP,
            starts_on=today - timedelta(days=180),
            ends_on=today - timedelta(days=96),
            assignments=plan.assignments[:1],
        ),
    )
    closed = datetime.combine(today - timedelta(days=95), time(12), tzinfo=UTC)
    groups.set_state(session, None, group, GroupState.CLOSED, closed)
    evaluations.record_evaluation(
        session,
        None,
        evaluations.EvaluationValues(
            evaluated_on=today - timedelta(days=90),
            worked="Invånarna gav konkreta råd som vi kunde pröva direkt.",
            did_not_work="Det tog för lång tid att boka in intervjuerna.",
            adjust="Vi bokar intervjuer redan när gruppen startar.",
            interview_count=25,
            interview_roles="handläggare, chefer, invånare",
            findings=[
                "Invånare vill ha en kontaktperson genom hela ärendet.",
                "Handläggare saknar en gemensam bild av processen.",
                "Information på lätt svenska efterfrågas.",
            ],
        ),
        group=group,
    )


ROUNDS = (
    # title, opens days ago, closes days ago (negative: still open), level shift
    ("Mognadsmätning våren 2026", 250, 230, 0),
    ("Mognadsmätning hösten 2026", 70, 50, 1),
    ("Mognadsmätning vintern 2026", 5, -20, 1),
)


def _maturity(session: Session, plans: list[ActionPlan], today: date) -> None:
    model = maturity.default_model(session)
    departments = list(session.scalars(select(Department).order_by(Department.id)))
    for title, opened, closes, shift in ROUNDS:
        if session.scalar(select(MaturityRound.id).where(MaturityRound.title == title)):
            continue
        measured = maturity.open_round(
            session,
            None,
            maturity.RoundValues(
                title,
                today - timedelta(days=opened),
                today - timedelta(days=closes),
                departments,
                model.id,
            ),
        )
        day = today - timedelta(days=opened - 1)
        _answer(session, measured, shift, day, hidden=departments[-1].id)
    for plan, dimension in zip(plans, model.dimensions, strict=False):
        if not aims.dimensions_of(session, plan):
            aims.set_plan_dimensions(session, None, plan, [dimension.id])


def _answer(
    session: Session, measured: MaturityRound, shift: int, day: date, *, hidden: int
) -> None:
    """Answers from the staff; the *hidden* department gives only four (not shown)."""
    staff = session.scalars(
        select(Person)
        .where(
            Person.role == Role.STAFF,
            Person.external.is_(False),
            Person.department_id.is_not(None),
            Person.email != STAFF_LOGIN,
        )
        .order_by(Person.id)
    )
    counted: dict[int | None, int] = {}
    for number, person in enumerate(staff):
        if person.department_id == hidden and counted.get(hidden, 0) >= 4:
            continue
        counted[person.department_id] = counted.get(person.department_id, 0) + 1
        levels = {
            d.id: min(5, 1 + (number + position) % 3 + shift)
            for position, d in enumerate(measured.model.dimensions)
        }
        answers.answer(session, person, measured, levels, today=day)
