"""Chapters of the plans and assignments: adopted, started, moved, reported, ended."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from sqlalchemy import select

from tracker import clock
from tracker.demo.data import PLANS
from tracker.demo.groups import link_assignment
from tracker.demo.story import DOCUMENTS, ENDED, PLANS_ADOPTED, STORIES, Story
from tracker.models.assignments import Assignment
from tracker.models.groups import Membership, group_assignments
from tracker.models.people import Person
from tracker.services.programme import assignments, milestones, plans, reports

if TYPE_CHECKING:
    from tracker.demo.load import Demo, Step

Callable0 = Callable[[], None]

# the first plans keep their documents in the shared folder (the others not yet)
PLANS_WITH_FOLDER = 3

# who owns each plan in the leadership group, in the order of PLANS
OWNERS = [
    "ledning@demo.se",
    "Ulrika Lindqvist",
    "Hassan Jama",
    "ledning@demo.se",
    "Birgitta Sandström",
]


def plans_and_assignments(demo: Demo) -> Iterator[Step]:
    """The five plans adopted in June; each assignment created on its own day."""

    def adopt() -> None:
        for position, ((title, goal, _), owner) in enumerate(
            zip(PLANS, OWNERS, strict=True), start=1
        ):
            demo.plans[title] = plans.create_plan(
                demo.session,
                demo.leader(),
                title=title,
                goal=goal,
                owner=demo.people[owner],
                position=position,
            )
            if position <= PLANS_WITH_FOLDER:
                demo.plans[title].documents_link = f"{DOCUMENTS}\\{title}"

    yield demo.step(PLANS_ADOPTED, adopt, hour=9)
    for plan_title, _, items in PLANS:
        for title, description in items:
            story = STORIES[title]
            yield demo.step(
                story.created,
                _creator(demo, plan_title, title, description, story),
                hour=10,
            )


def _creator(
    demo: Demo, plan_title: str, title: str, description: str, story: Story
) -> Callable0:
    def create() -> None:
        plan = demo.plans[plan_title]
        assignment = assignments.create_assignment(
            demo.session,
            plan.owner,
            plan,
            assignments.AssignmentValues(
                title=title,
                description=description,
                responsible=demo.people[story.responsible],
                starts_on=demo.date_of(story.starts),
                ends_on=demo.date_of(story.ends),
                documents_link=f"{DOCUMENTS}\\{plan_title}\\{title}",
            ),
        )
        demo.assignments[title] = assignment
        link_assignment(demo, title)
        for name, due, _ in story.milestones:
            milestones.add_milestone(
                demo.session,
                plan.owner,
                assignment,
                title=name,
                due_on=demo.date_of(due),
            )

    return create


def progress(demo: Demo) -> Iterator[Step]:
    """Stage moves, milestones reached, progress reports and ended assignments."""
    for title, story in STORIES.items():
        for day, position in story.moves:
            yield demo.step(day, _mover(demo, title, position), hour=9)
        for index, (_, _, done) in enumerate(story.milestones):
            if done is not None:
                yield demo.step(done, _ticker(demo, title, index), hour=14)
        for number, (day, body) in enumerate(story.reports):
            yield demo.step(day, _reporter(demo, title, number, body), hour=15)
        if story.outcome is not None:
            day, outcome = story.outcome
            yield demo.step(day, _reporter(demo, title, 0, outcome), hour=16)
            if title in ENDED:
                yield demo.step(day, _closer(demo, title, outcome), hour=16)


def _mover(demo: Demo, title: str, position: int) -> Callable0:
    def move() -> None:
        assignment = demo.assignments[title]
        assignments.move_assignment(
            demo.session, assignment.plan.owner, assignment, demo.stage(position)
        )

    return move


def _ticker(demo: Demo, title: str, index: int) -> Callable0:
    def tick() -> None:
        assignment = demo.assignments[title]
        milestone = sorted(assignment.milestones, key=lambda m: m.id)[index]
        milestones.set_done(
            demo.session, assignment.responsible, milestone, True, clock.now()
        )

    return tick


def _reporter(demo: Demo, title: str, number: int, body: str) -> Callable0:
    def report() -> None:
        assignment = demo.assignments[title]
        reports.add_report(
            demo.session,
            _author(demo, assignment, number),
            assignment,
            body=body,
            reported_on=clock.today(),
        )

    return report


def _author(demo: Demo, assignment: Assignment, number: int) -> Person:
    """The responsible, or every other time a member of one of its groups."""
    responsible = demo.people[STORIES[assignment.title].responsible]
    if number % 2 == 0:
        return responsible
    members = list(
        demo.session.scalars(
            select(Person)
            .join(Membership, Membership.person_id == Person.id)
            .join(
                group_assignments,
                group_assignments.c.group_id == Membership.group_id,
            )
            .where(
                group_assignments.c.assignment_id == assignment.id,
                Membership.left_on.is_(None),
                Person.id != responsible.id,
                Person.external.is_(False),
            )
            .order_by(Person.id)
        )
    )
    return demo.rng.choice(members) if members else responsible


def _closer(demo: Demo, title: str, outcome: str) -> Callable0:
    def close() -> None:
        assignment = demo.assignments[title]
        assignments.close_assignment(
            demo.session,
            assignment.plan.owner,
            assignment,
            outcome=outcome,
            now=clock.now(),
        )

    return close
