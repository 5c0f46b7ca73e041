"""Chapter of the working groups: calls, selections, invitations, comings, goings."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from tracker import clock
from tracker.config import DEFAULTS
from tracker.demo.people import add_citizens
from tracker.demo.story import GROUPS, MOTIVATIONS, WAITING_INVITATION, GroupStory
from tracker.models.applications import ApplicationStatus
from tracker.models.groups import GroupState, MemberRole, RecruitmentMode
from tracker.models.people import Person
from tracker.services import groups
from tracker.services.recruitment import applications, invitations, seats
from tracker.services.selection import confirmation
from tracker.services.selection import runs as selection_runs

if TYPE_CHECKING:
    from tracker.demo.load import Demo, Step

Action = Callable[[], None]
CITIZENS = ["Invånare Amira", "Invånare Bengt", "Invånare Cecilia", "Invånare David"]
STORY_OF = {story.name: story for story in GROUPS}


def working_groups(demo: Demo) -> Iterator[Step]:
    """Every group from its creation to today."""
    for story in GROUPS:
        yield demo.step(story.created, _creator(demo, story), hour=11)
        if story.mode == "open_call":
            yield from _open_call(demo, story)
        else:
            yield from _invitations(demo, story)
        for day, who in story.leaves:
            yield demo.step(day, _leaver(demo, story, who), hour=13)
        if story.closed is not None:
            state = GroupState.CLOSED
            yield demo.step(story.closed, _state(demo, story, state), hour=16)
    group_name, email, day = WAITING_INVITATION
    yield demo.step(day, _inviter(demo, STORY_OF[group_name], email), hour=10)


def link_assignment(demo: Demo, title: str) -> None:
    """A group that exists takes on a newly created assignment its story lists."""
    for story in GROUPS:
        group = demo.groups.get(story.name)
        if group is None or title not in story.assignments:
            continue
        values = _values(demo, story)
        values.assignments = [*group.assignments, demo.assignments[title]]
        groups.update_group(demo.session, demo.leader(), group, values)


def _values(demo: Demo, story: GroupStory) -> groups.GroupValues:
    return groups.GroupValues(
        name=story.name,
        purpose=story.purpose,
        starts_on=demo.date_of(story.starts),
        ends_on=demo.date_of(story.ends),
        seats=story.seats,
        recruitment=RecruitmentMode(story.mode),
        signup_deadline=None
        if story.deadline is None
        else demo.date_of(story.deadline),
        assignments=[
            demo.assignments[t] for t in story.assignments if t in demo.assignments
        ],
    )


def _creator(demo: Demo, story: GroupStory) -> Action:
    def create() -> None:
        group = groups.create_group(demo.session, demo.leader(), _values(demo, story))
        demo.groups[story.name] = group
        seated = [(story.lead, MemberRole.LEAD)] if story.lead else []
        for who, role in [*seated, *((p, MemberRole.MEMBER) for p in story.appointed)]:
            groups.add_member(
                demo.session,
                demo.leader(),
                group,
                demo.people[who],
                role=role,
                today=clock.today(),
            )
        if story.mode == "open_call":
            groups.set_state(
                demo.session, demo.leader(), group, GroupState.RECRUITING, clock.now()
            )

    return create


def _open_call(demo: Demo, story: GroupStory) -> Iterator[Step]:
    """Staff apply over the weeks of the call; leadership selects after it."""
    last = min(story.deadline or 0, -1)
    taken = {story.lead}
    applicants = [p for p in demo.crowd if p.name not in taken]
    chosen = demo.rng.sample(applicants, story.applicants)
    span = max(last - story.created - 1, 1)
    for number, person in enumerate(chosen):
        day = story.created + 1 + (number * span) // len(chosen)
        yield demo.step(day, _applier(demo, story, person, number), hour=12)
    if story.selected is not None:
        yield demo.step(story.selected, _selector(demo, story), hour=14)


def _applier(demo: Demo, story: GroupStory, person: Person, number: int) -> Action:
    def apply() -> None:
        department = person.department
        text = MOTIVATIONS[number % len(MOTIVATIONS)]
        applications.apply(
            demo.session,
            demo.groups[story.name],
            person,
            applications.ApplicationValues(
                department=department,
                competences=list(person.competences),
                years_experience=person.years_experience,
                motivation=text.format(dept=department.name if department else ""),
            ),
            today=clock.today(),
        )

    return apply


def _selector(demo: Demo, story: GroupStory) -> Action:
    def select_and_confirm() -> None:
        group = demo.groups[story.name]
        run = selection_runs.run_selection(
            demo.session,
            demo.leader(),
            group,
            selection_runs.Choices(seed=demo.rng.randrange(1, 10**6)),
            DEFAULTS["RECRUITMENT"],
        )
        confirmation.confirm(demo.session, demo.leader(), run, today=clock.today())

    return select_and_confirm


def _invitations(demo: Demo, story: GroupStory) -> Iterator[Step]:
    """Leadership invites for a competence; the invited accept within days."""
    picked: list[str] = []
    for number, wanted in enumerate(story.invited):
        person = _invitee(demo, wanted, picked)
        picked.append(person.name)
        yield demo.step(story.created + 1, _inviter(demo, story, person.name), 10)
        yield demo.step(story.created + 2 + number, _accepter(demo, story, person), 9)
    if story.citizens is not None:
        yield demo.step(story.citizens, _citizens(demo, story), hour=17)
    if story.starts <= 0:
        state = GroupState.ACTIVE
        yield demo.step(story.starts, _state(demo, story, state), hour=8)


def _invitee(demo: Demo, wanted: str, picked: list[str]) -> Person:
    """The person *wanted* names, or someone with that competence not yet asked."""
    if "@" in wanted:
        return demo.people[wanted]
    fits = [
        p
        for p in demo.crowd
        if p.name not in picked and wanted in {c.name for c in p.competences}
    ]
    departments = {demo.people[n].department_id for n in picked if n in demo.people}
    fits.sort(key=lambda p: p.department_id in departments)  # breadth first
    return fits[0]


def _inviter(demo: Demo, story: GroupStory, who: str) -> Action:
    def invite() -> None:
        person = demo.people.get(who) or next(p for p in demo.crowd if p.name == who)
        invitations.invite(
            demo.session,
            demo.leader(),
            demo.groups[story.name],
            person,
            message="Vi behöver din kunskap i gruppen.",
        )

    return invite


def _accepter(demo: Demo, story: GroupStory, person: Person) -> Action:
    def accept() -> None:
        invitation = applications.find(demo.session, demo.groups[story.name], person)
        if invitation is None:
            raise LookupError(f"{person.name} was never invited to {story.name}")
        invitations.answer(demo.session, invitation, accept=True, today=clock.today())

    return accept


def _citizens(demo: Demo, story: GroupStory) -> Action:
    def join() -> None:
        group = demo.groups[story.name]
        for citizen in add_citizens(demo, CITIZENS):
            groups.add_member(
                demo.session, demo.leader(), group, citizen, today=clock.today()
            )

    return join


def _state(demo: Demo, story: GroupStory, state: GroupState) -> Action:
    def change() -> None:
        group = demo.groups[story.name]
        groups.set_state(demo.session, demo.leader(), group, state, clock.now())

    return change


def _leaver(demo: Demo, story: GroupStory, who: str) -> Action:
    """*who* is "applicant:N" (the N-th seated by the call) or "invited:N"."""

    def leave() -> None:
        group = demo.groups[story.name]
        kind, number = who.split(":")
        wanted = (
            ApplicationStatus.SELECTED
            if kind == "applicant"
            else ApplicationStatus.ACCEPTED
        )
        seated = [
            a.person_id
            for a in applications.applications_to(demo.session, group)
            if a.status is wanted and a.person_id is not None
        ]
        person_id = sorted(seated)[int(number)]
        membership = next(
            m
            for m in groups.current_members(demo.session, group)
            if m.person_id == person_id
        )
        seats.remove_member(
            demo.session, demo.leader(), membership, today=clock.today()
        )

    return leave
