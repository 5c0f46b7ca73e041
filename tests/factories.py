"""Factories: plain functions that build domain objects through the services."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from itertools import count
from typing import Any

from sqlalchemy.orm import Session

from tracker.models.assignments import Assignment
from tracker.models.groups import RecruitmentMode, WorkingGroup
from tracker.models.people import Competence, Department, Person, Role
from tracker.models.plans import ActionPlan
from tracker.services import groups, people
from tracker.services.programme import assignments, plans

_numbers = count(1)
PASSWORD = "password123"


def make_person(
    session: Session,
    *,
    role: Role = Role.STAFF,
    login: bool = True,
    name: str | None = None,
    email: str | None = None,
    department: Department | None = None,
    competences: list[Competence] | None = None,
    years_experience: int | None = None,
    **overrides: Any,
) -> Person:
    """A person, by default a staff login with password 'password123'."""
    number = next(_numbers)
    person = people.create_person(
        session,
        None,
        people.PersonValues(
            name=name or f"Person {number}",
            email=email or f"person{number}@test.se",
            department=department,
            competences=competences or [],
            years_experience=years_experience,
            **overrides,
        ),
        role=role,
        password=PASSWORD if login else None,
    )
    return person


def make_plan(session: Session, **overrides: Any) -> ActionPlan:
    """An action plan with a unique title."""
    values = {"title": f"Plan {next(_numbers)}", "goal": "Ett mål."} | overrides
    return plans.create_plan(session, None, **values)


def make_assignment(
    session: Session, plan: ActionPlan | None = None, **overrides: Any
) -> Assignment:
    """An assignment in the first stage."""
    plan = plan or make_plan(session)
    fields = {"title": f"Uppdrag {next(_numbers)}"} | overrides
    values = assignments.AssignmentValues(**fields)
    return assignments.create_assignment(session, None, plan, values)


def make_group(session: Session, **overrides: Any) -> WorkingGroup:
    """A working group, by default invited with 8 seats."""
    values: dict[str, Any] = {
        "name": f"Grupp {next(_numbers)}",
        "seats": 8,
        "recruitment": RecruitmentMode.INVITED,
        "starts_on": date(2026, 1, 1),
        "ends_on": date(2026, 12, 31),
    } | overrides
    return groups.create_group(session, None, groups.GroupValues(**values))


def make_department(session: Session, name: str | None = None) -> Department:
    """A department from the vocabulary."""
    term = people.get_or_create_term(
        session, Department, name or f"Avdelning {next(_numbers)}"
    )
    assert isinstance(term, Department)
    return term


def make_competence(session: Session, name: str | None = None) -> Competence:
    """A competence from the vocabulary."""
    term = people.get_or_create_term(
        session, Competence, name or f"Kompetens {next(_numbers)}"
    )
    assert isinstance(term, Competence)
    return term


@contextmanager
def happened_at(session: Session, when: datetime) -> Iterator[None]:
    """Date what the block does (its activity events, new assignments) to *when*."""
    from sqlalchemy import func, select, update

    from tracker.models.activity import ActivityEvent

    mark = session.scalar(select(func.max(ActivityEvent.id))) or 0
    yield
    session.flush()
    created = select(ActivityEvent.object_id).where(
        ActivityEvent.id > mark,
        ActivityEvent.object_type == "Assignment",
        ActivityEvent.verb == "created",
    )
    session.execute(
        update(Assignment).where(Assignment.id.in_(created)).values(created_at=when)
    )
    session.execute(
        update(ActivityEvent).where(ActivityEvent.id > mark).values(created_at=when)
    )
    session.expire_all()


def make_application(
    session: Session,
    group: WorkingGroup,
    person: Person | None = None,
    *,
    today: date = date(2026, 1, 10),
    **values: Any,
) -> Any:
    """An application through the service (the group must be recruiting)."""
    from tracker.services.recruitment import applications

    person = person or make_person(session)
    fields: dict[str, Any] = {
        "department": person.department or make_department(session),
        "competences": list(person.competences),
        "years_experience": person.years_experience,
        "motivation": "Jag vill bidra.",
    } | values
    return applications.apply(
        session, group, person, applications.ApplicationValues(**fields), today=today
    )


def make_open_call(session: Session, **overrides: Any) -> WorkingGroup:
    """An open-call group recruiting until 2026-02-01."""
    from tracker.clock import now
    from tracker.models.groups import GroupState

    values: dict[str, Any] = {
        "recruitment": RecruitmentMode.OPEN_CALL,
        "signup_deadline": date(2026, 2, 1),
    } | overrides
    group = make_group(session, **values)
    groups.set_state(session, None, group, GroupState.RECRUITING, now())
    return group
