"""`tracker demo`: the five real plans, 25 assignments, groups, people; idempotent."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import demo
from tracker.models.activity import ActivityEvent
from tracker.models.assignments import Assignment
from tracker.models.groups import RecruitmentMode, WorkingGroup
from tracker.models.people import Department, Person, Role
from tracker.models.plans import ActionPlan
from tracker.services import people

PLAN_TITLES = {
    "Bli en processorganisation",
    "Invånaren som medskapare",
    "Dela myndighet och planering",
    "Införa huvudhandläggare",
    "Skapa en kvalitativ behovs- och målgruppsanalys",
}


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_demo_loads_the_programme_once(session: Session) -> None:
    demo.load(session, password="demo")
    assert set(session.scalars(select(ActionPlan.title))) == PLAN_TITLES
    assert count(session, Assignment) == 25
    assert count(session, Person) >= 60
    assert count(session, Department) >= 6
    names = set(session.scalars(select(WorkingGroup.name)))
    assert {
        "Utvecklingsgruppen",
        "Multiteamsgruppen",
        "Val av huvudhandläggare",
        "Gemensam ingång",
    } <= names
    multiteam = session.scalars(
        select(WorkingGroup).where(WorkingGroup.slug == "multiteamsgruppen")
    ).one()
    assert (multiteam.seats, multiteam.recruitment) == (8, RecruitmentMode.OPEN_CALL)
    for email, role in demo.LOGINS:
        person = people.find_by_email(session, email)
        assert person is not None and person.role is role and person.has_login
    assert {role for _, role in demo.LOGINS} == set(Role)

    counts = [
        count(session, m)
        for m in (ActionPlan, Assignment, Person, WorkingGroup, ActivityEvent)
    ]
    demo.load(session, password="demo")
    assert [
        count(session, m)
        for m in (ActionPlan, Assignment, Person, WorkingGroup, ActivityEvent)
    ] == counts


def test_demo_staff_login_can_report_in_a_group(session: Session) -> None:
    demo.load(session, password="demo")
    staff = people.find_by_email(session, "medarbetare@demo.se")
    assert staff is not None
    assert staff.memberships, "the demo staff login belongs to a working group"
