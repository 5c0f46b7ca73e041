"""The process support's method steps and where each plan stands in them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.people import Person
from tracker.models.plans import ActionPlan
from tracker.models.steps import MethodStep, PlanStep
from tracker.services import activity

DEFAULT_STEPS = (
    "Steg 1 Förbereda och förankra",
    "Steg 2 Nuläge och förståelse",
    "Steg 3 Analysera och prioritera",
    "Steg 4 Idégenerera och utveckla",
    "Steg 5 Förverkliga och lära",
)


@dataclass(frozen=True)
class StepValues:
    """Entering a step: which, when, and the plan's purpose and goal in it."""

    step_id: int | None
    entered_on: date | None
    purpose: str = ""
    goal: str = ""


def ensure_steps(session: Session, names: Sequence[str] = DEFAULT_STEPS) -> bool:
    """Create the configured steps that are missing, after the others; whether any."""
    existing = {s.name: s for s in session.scalars(select(MethodStep))}
    last = max((s.position for s in existing.values()), default=-1)
    missing = [name for name in names if name not in existing]
    for offset, name in enumerate(missing, start=1):
        session.add(MethodStep(name=name, position=last + offset))
    session.flush()
    return bool(missing)


def list_steps(session: Session) -> list[MethodStep]:
    """The method's steps in order, the defaults created if there are none."""
    if session.scalar(select(MethodStep.id).limit(1)) is None:
        ensure_steps(session)
    return list(session.scalars(select(MethodStep).order_by(MethodStep.position)))


def history(session: Session, plan: ActionPlan) -> list[PlanStep]:
    """The steps *plan* has entered, the current (newest) first."""
    statement = (
        select(PlanStep)
        .where(PlanStep.plan_id == plan.id)
        .order_by(PlanStep.entered_on.desc(), PlanStep.id.desc())
    )
    return list(session.scalars(statement))


def current_steps(session: Session) -> dict[int, PlanStep]:
    """Every plan's current step, by plan id (the overview)."""
    current: dict[int, PlanStep] = {}
    statement = select(PlanStep).order_by(PlanStep.entered_on, PlanStep.id)
    for entry in session.scalars(statement):
        current[entry.plan_id] = entry  # the newest wins
    return current


def next_step(session: Session, plan: ActionPlan) -> MethodStep | None:
    """The step after the plan's current one (the first if it has none)."""
    steps = list_steps(session)
    entries = history(session, plan)
    if not entries:
        return steps[0] if steps else None
    later = [s for s in steps if s.position > entries[0].step.position]
    return later[0] if later else None


def enter_step(
    session: Session, actor: Person | None, plan: ActionPlan, values: StepValues
) -> PlanStep:
    """Record that *plan* entered a step; the change shows in its history."""
    step = session.get(MethodStep, values.step_id) if values.step_id else None
    if step is None:
        raise DomainError(_l("Choose a step of the method."), field="step_id")
    if values.entered_on is None:
        raise DomainError(_l("Give the date the step began."), field="entered_on")
    entries = history(session, plan)
    if entries and values.entered_on < entries[0].entered_on:
        raise DomainError(
            _l("A new step cannot begin before the current one began."),
            field="entered_on",
        )
    if entries and entries[0].step_id == step.id:
        raise DomainError(_l("The plan is already in this step."), field="step_id")
    entry = PlanStep(
        plan_id=plan.id,
        step=step,
        entered_on=values.entered_on,
        purpose=values.purpose.strip(),
        goal=values.goal.strip(),
        recorded_by_id=actor.id if actor else None,
    )
    session.add(entry)
    before = {"step": entries[0].step.name} if entries else None
    activity.record(
        session,
        actor,
        "step_entered",
        plan,
        before=before,
        after={"step": step.name},
        plan_id=plan.id,
    )
    return entry
