"""Scale the demo programme: copies of its plans, assignments, groups and people."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.demo.data import PLANS
from tracker.models import Department, GroupState, Person, RecruitmentMode
from tracker.services import groups, people
from tracker.services.programme import assignments, milestones, plans, reports, stages


def scale(session: Session, *, factor: int) -> None:
    """Add factor-1 copies of the demo programme (the demo itself is copy 1)."""
    departments = list(session.scalars(select(Department)))
    workflow = stages.list_stages(session)
    today = clock.today()
    for copy in range(2, factor + 1):
        staff = [
            people.create_person(
                session,
                None,
                people.PersonValues(
                    name=f"Kopia {copy} person {n}",
                    email=f"k{copy}p{n}@bench.example",
                    department=departments[n % len(departments)],
                    years_experience=n % 20,
                ),
            )
            for n in range(60)
        ]
        for position, (title, goal, items) in enumerate(PLANS, start=1):
            plan = plans.create_plan(
                session,
                None,
                title=f"{title} ({copy})",
                goal=goal,
                position=copy * 10 + position,
            )
            created = []
            for index, (a_title, description) in enumerate(items):
                assignment = assignments.create_assignment(
                    session,
                    staff[index],
                    plan,
                    assignments.AssignmentValues(
                        title=a_title,
                        description=description,
                        responsible=staff[index],
                        starts_on=today,
                        ends_on=today + timedelta(days=100),
                    ),
                )
                assignments.move_assignment(
                    session, staff[index], assignment, workflow[index % len(workflow)]
                )
                milestone = milestones.add_milestone(
                    session, None, assignment, title="Startmöte", due_on=today
                )
                milestones.set_done(session, None, milestone, True, clock.now())
                # late and not reached: "Läget nu" has 20x as much to list
                milestones.add_milestone(
                    session,
                    None,
                    assignment,
                    title="Delrapport",
                    due_on=today - timedelta(days=index + 1),
                )
                reports.add_report(
                    session,
                    _admin(session),
                    assignment,
                    body="Lägesrapport.",
                    reported_on=today,
                )
                created.append(assignment)
            group = groups.create_group(
                session,
                None,
                groups.GroupValues(
                    name=f"Grupp {copy}-{position}",
                    seats=8,
                    assignments=created[:2],
                    recruitment=RecruitmentMode.INVITED,
                    starts_on=today,
                    ends_on=today + timedelta(days=90),
                ),
            )
            groups.set_state(session, None, group, GroupState.ACTIVE, clock.now())
            for member in staff[position * 6 : position * 6 + 6]:
                groups.add_member(session, None, group, member, today=today)
        session.flush()


def _admin(session: Session) -> Person:
    person = people.find_by_email(session, "ledning@demo.se")
    assert person is not None
    return person
