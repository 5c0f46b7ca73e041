"""`tracker demo`: replay half a year of the programme through the domain services.

Each chapter returns steps (a moment and an action); the steps of all chapters run
in time order with `tracker.clock` set to each step's moment, so the activity log,
the audit history, the charts and every past month's digest tell a true story.
Add a chapter by adding its function to chapters().
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import count

from flask_babel import lazy_gettext as _l
from sqlalchemy import Engine, delete, func, select, text
from sqlalchemy.orm import Session

from tracker import clock
from tracker.db import Base
from tracker.demo import digests as demo_digests
from tracker.demo import groups as demo_groups
from tracker.demo import people as demo_people
from tracker.demo import programme as demo_programme
from tracker.demo.story import PLANS_ADOPTED
from tracker.errors import DomainError
from tracker.models.assignments import Assignment, Stage
from tracker.models.groups import WorkingGroup
from tracker.models.mail import OutboxMessage
from tracker.models.people import Person, Role
from tracker.models.plans import ActionPlan
from tracker.services.attention import fanout
from tracker.services.governance import demo as governance_demo
from tracker.services.programme import stages

LOGINS = demo_people.LOGINS
DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"
SEED = 2026


@dataclass(frozen=True)
class Step:
    """One thing that happened: when, and the call that makes it happen."""

    at: datetime
    order: int
    action: Callable[[], object]


@dataclass
class Demo:
    """What the chapters share: the session, the real today and what exists so far."""

    session: Session
    today: date
    real_now: datetime
    public_url: str
    password: str
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))  # noqa: S311 - no secrets
    people: dict[str, Person] = field(default_factory=dict)  # by name and by e-mail
    crowd: list[Person] = field(default_factory=list)  # staff who apply and join
    plans: dict[str, ActionPlan] = field(default_factory=dict)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    groups: dict[str, WorkingGroup] = field(default_factory=dict)
    stages: list[Stage] = field(default_factory=list)
    _order: count[int] = field(default_factory=count)

    def at(self, day: int, hour: int = 10, minute: int = 0) -> datetime:
        """*day* days from today at *hour* Stockholm time."""
        when = self.today + timedelta(days=day)
        return datetime.combine(when, time(hour, minute), tzinfo=clock.STOCKHOLM)

    def stamp(self, at: datetime, previous: datetime | None) -> datetime:
        """When a step planned for *at* happens: a weekday, in order, never ahead."""
        local = at.astimezone(clock.STOCKHOLM)
        # the office works Monday to Friday: the weekend's steps happen on Friday
        moment = local - timedelta(days=max(local.weekday() - 4, 0))
        if previous is not None:
            moment = max(moment, previous + timedelta(minutes=1))
        return min(moment, self.real_now - timedelta(minutes=1))

    def step(self, day: int, action: Callable[[], object], hour: int = 10) -> Step:
        """A step on *day* at *hour*, with a minute that keeps the steps apart."""
        order = next(self._order)
        return Step(self.at(day, hour, order % 60), order, action)

    def step_at(self, at: datetime, action: Callable[[], object]) -> Step:
        """A step at exactly *at*, before any other step planned for that moment."""
        return Step(at, -1, action)

    def date_of(self, day: int) -> date:
        """The date *day* days from today."""
        return self.today + timedelta(days=day)

    def stage(self, position: int) -> Stage:
        """The workflow stage at *position*; -1 is the last (done)."""
        return self.stages[min(position, len(self.stages) - 1)]

    def leader(self) -> Person:
        """Lena Ledare, who chairs the leadership group."""
        return self.people["ledning@demo.se"]


Chapter = Callable[[Demo], Iterable[Step]]


def chapters() -> list[Chapter]:
    """The demo's chapters, in the order their steps are collected."""
    return [
        demo_programme.plans_and_assignments,
        demo_groups.working_groups,
        demo_programme.progress,
        demo_digests.monthly_digests,
        governance_records,
    ]


def governance_records(demo: Demo) -> list[Step]:
    """Decisions, method steps, mandates, an evaluated pilot and maturity rounds,
    recorded in the register a few days ago (their own dates go back further)."""
    return [
        Step(
            demo.real_now - timedelta(days=3),
            10**6,
            lambda: governance_demo.seed_demo(demo.session, today=demo.today),
        )
    ]


def load(
    session: Session, *, password: str, public_url: str = DEFAULT_PUBLIC_URL
) -> str:
    """Replay the demo programme into an empty database; a second run adds nothing."""
    if _already_loaded(session):
        return "The demo is already loaded; nothing was added."
    if session.scalar(select(func.count()).select_from(ActionPlan)):
        raise DomainError(
            _l(
                "The database already holds action plans, so the demo was not "
                "loaded. Use an empty database, or start over with tracker demo "
                "--reset."
            )
        )
    demo = Demo(session, clock.today(), clock.now(), public_url, password)
    demo.stages = stages.list_stages(session) or stages.ensure_stages(
        session, ["Planerad", "Pågår", "Klar"]
    )
    with clock.set_to(demo.stamp(demo.at(-200, 8), None)):
        demo_people.create_people(demo)
        session.flush()  # rows are stamped when inserted: insert them now
    mail_before = session.scalar(select(func.max(OutboxMessage.id))) or 0
    replay(demo, [s for chapter in chapters() for s in chapter(demo)])
    # The history's e-mail went out when it happened: the outbox starts empty, so
    # the server beside the demo sends nothing of the past and everyone's first
    # e-mail is about something that happens now.
    session.execute(delete(OutboxMessage).where(OutboxMessage.id > mail_before))
    fanout.start_now(session)  # the demo's own history is not news to anyone
    return (
        f"Demo loaded: {len(demo.plans)} action plans, {len(demo.assignments)} "
        f"assignments and {len(demo.groups)} working groups since "
        f"{demo.date_of(PLANS_ADOPTED).isoformat()}."
    )


def replay(demo: Demo, steps: list[Step]) -> None:
    """Run *steps* in time order, each with the clock set to its moment."""
    stamp = None
    for step in sorted(steps, key=lambda s: (s.at, s.order)):
        stamp = demo.stamp(step.at, stamp)
        with clock.set_to(stamp):
            step.action()
            demo.session.flush()  # rows are stamped when inserted: insert them now


def reset(engine: Engine) -> None:
    """Drop every table and the migration mark, so the schema and demo start over."""
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _already_loaded(session: Session) -> bool:
    lena = session.scalars(
        select(Person).where(
            Person.email == "ledning@demo.se", Person.role == Role.LEADERSHIP
        )
    ).first()
    return lena is not None and bool(
        session.scalar(
            select(func.count())
            .select_from(ActionPlan)
            .where(ActionPlan.owner_id == lena.id)
        )
    )
