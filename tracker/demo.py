"""`tracker demo`: load the demo programme idempotently through the domain services."""

from __future__ import annotations

from datetime import timedelta
from itertools import cycle

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.demo_data import COMPETENCES, DEPARTMENTS, FIRST_NAMES, LAST_NAMES, PLANS
from tracker.models.assignments import Assignment, Stage
from tracker.models.groups import GroupState, MemberRole, RecruitmentMode, WorkingGroup
from tracker.models.people import Competence, Department, Person, Role
from tracker.models.plans import ActionPlan
from tracker.services import groups, people
from tracker.services.attention import fanout
from tracker.services.programme import assignments, milestones, plans, reports, stages
from tracker.slugs import slugify

LOGINS = [
    ("ledning@demo.se", Role.LEADERSHIP),
    ("medarbetare@demo.se", Role.STAFF),
    ("kommunikator@demo.se", Role.COMMUNICATOR),
    ("admin@demo.se", Role.ADMIN),
]
LOGIN_NAMES = ["Lena Ledare", "Mats Medarbetare", "Klara Kommunikatör", "Adam Admin"]
CITIZENS = ["Invånare Amira", "Invånare Bengt", "Invånare Cecilia", "Invånare David"]

GROUPS = [
    # name, mode, state, seats, deadline days, assignment titles, purpose
    (
        "Utvecklingsgruppen",
        RecruitmentMode.INVITED,
        GroupState.ACTIVE,
        8,
        None,
        ["Kartlägga kärnprocesserna", "Utse processägare"],
        "Driver omställningen till processorganisation och håller ihop "
        "handlingsplanerna.",
    ),
    (
        "Multiteamsgruppen",
        RecruitmentMode.OPEN_CALL,
        GroupState.RECRUITING,
        8,
        14,
        ["Införa multiteam"],
        "Utformar hur multiteam ska arbeta runt invånaren. Vi söker så stor bredd som "
        "möjligt i kompetens, erfarenhet och verksamhetsdel.",
    ),
    (
        "Val av huvudhandläggare",
        RecruitmentMode.INVITED,
        GroupState.ACTIVE,
        6,
        None,
        ["Val av huvudhandläggare", "Rollbeskrivning för huvudhandläggare"],
        "Tar fram kriterier för hur huvudhandläggare utses.",
    ),
    (
        "Gemensam ingång",
        RecruitmentMode.FIRST_COME,
        GroupState.RECRUITING,
        10,
        21,
        ["Gemensam ingång"],
        "Formar förvaltningens gemensamma ingång för invånare. Först till kvarn.",
    ),
    (
        "Referensgrupp invånare",
        RecruitmentMode.INVITED,
        GroupState.ACTIVE,
        8,
        None,
        ["Starta en referensgrupp med invånare", "Kundresor för tre målgrupper"],
        "Invånare med egen erfarenhet av förvaltningens stöd ger råd om tjänsterna.",
    ),
    (
        # its deadline has passed: the applications wait for leadership's selection
        "Språkstödsgruppen",
        RecruitmentMode.OPEN_CALL,
        GroupState.RECRUITING,
        6,
        -3,
        [],
        "Tar fram hur språkstöd kan ges i alla verksamhetsdelar.",
    ),
    (
        "Behovsanalysgruppen",
        RecruitmentMode.INVITED,
        GroupState.PLANNED,
        5,
        None,
        ["Samla befintliga data", "Målgruppsbeskrivningar"],
        "Inbjudna för särskild kompetens i analys och statistik.",
    ),
]


def load(session: Session, *, password: str) -> str:
    """Create what of the demo programme is missing; running it twice adds nothing."""
    stage_list = stages.list_stages(session)
    departments = [
        people.get_or_create_term(session, Department, n) for n in DEPARTMENTS
    ]
    competences = [
        people.get_or_create_term(session, Competence, n) for n in COMPETENCES
    ]
    staff = _people(session, departments, competences, password)
    leader = staff[0]
    created = 0
    for position, (title, goal, items) in enumerate(PLANS, start=1):
        plan = plans.get_by_slug(session, slugify(title)) or plans.create_plan(
            session, None, title=title, goal=goal, owner=leader, position=position
        )
        for index, (a_title, description) in enumerate(items):
            if _assignment(session, plan.id, a_title) is None:
                created += 1
                _create_assignment(
                    session, plan, a_title, description, index, stage_list, staff
                )
    _groups(session, staff)
    _applications(session, staff)
    fanout.start_now(session)  # the demo's own history is not news to anyone
    return f"Demo data ready ({created} new assignments)."


def _people(
    session: Session,
    departments: list[Department],
    competences: list[Competence],
    password: str,
) -> list[Person]:
    result = []
    for (email, role), name in zip(LOGINS, LOGIN_NAMES, strict=True):
        person = people.find_by_email(session, email)
        if person is None:
            person = people.create_person(
                session,
                None,
                people.PersonValues(name=name, email=email, department=departments[0]),
                role=role,
            )
            people.set_password(person, password, enforce_length=False)
        result.append(person)
    names = cycle(LAST_NAMES)
    for number in range(52):
        first = FIRST_NAMES[number % len(FIRST_NAMES)]
        name = f"{first} {next(names)}"
        email = f"{name.lower().replace(' ', '.')}@kommun.example"
        person = people.find_by_email(session, email)
        if person is None:
            person = people.create_person(
                session,
                None,
                people.PersonValues(
                    name=name,
                    email=email,
                    department=departments[number % len(departments)],
                    competences=[
                        competences[number % len(competences)],
                        competences[(number * 5 + 3) % len(competences)],
                    ],
                    years_experience=(number * 7) % 25,
                ),
            )
        result.append(person)
    for index, name in enumerate(CITIZENS):
        if session.scalars(select(Person).where(Person.name == name)).first() is None:
            people.create_person(
                session,
                None,
                people.PersonValues(name=name),
                external=True,
                consent_on=clock.today() - timedelta(days=30 + index),
                consent_note="Skriftligt samtycke vid första träffen.",
            )
    return result


def _create_assignment(
    session: Session,
    plan: ActionPlan,
    title: str,
    description: str,
    index: int,
    stage_list: list[Stage],
    staff: list[Person],
) -> None:
    today = clock.today()
    assignment = assignments.create_assignment(
        session,
        None,
        plan,
        assignments.AssignmentValues(
            title=title,
            description=description,
            responsible=staff[(index * 3 + plan.position) % len(staff)],
            starts_on=today - timedelta(days=60 - 10 * index),
            ends_on=today + timedelta(days=90 + 30 * index),
            documents_link=f"\\\\kommun\\projekt\\{plan.slug}",
        ),
    )
    stage = stage_list[min((index + plan.position) % 4, len(stage_list) - 1)]
    assignments.move_assignment(session, None, assignment, stage)
    first = milestones.add_milestone(
        session, None, assignment, title="Startmöte", due_on=today - timedelta(days=30)
    )
    milestones.set_done(session, None, first, True, clock.now())
    if index == 0 and plan.position == 1:  # one milestone is late
        milestones.add_milestone(
            session,
            None,
            assignment,
            title="Nulägesbeskrivning",
            due_on=today - timedelta(days=18),
        )
    milestones.add_milestone(
        session,
        None,
        assignment,
        title="Delrapport till ledningsgruppen",
        due_on=today + timedelta(days=45),
    )
    if stage.position > 0 and assignment.responsible is not None:
        reports.add_report(
            session,
            assignment.responsible,
            assignment,
            body="Vi har haft två workshoppar och samlat in synpunkter från "
            "medarbetarna. Nästa steg är att sammanställa.",
            reported_on=today - timedelta(days=7),
        )


def _groups(session: Session, staff: list[Person]) -> None:
    today = clock.today()
    for index, (name, mode, state, seats, deadline, titles, purpose) in enumerate(
        GROUPS
    ):
        if session.scalars(
            select(WorkingGroup).where(WorkingGroup.name == name)
        ).first():
            continue
        served = list(
            session.scalars(select(Assignment).where(Assignment.title.in_(titles)))
        )
        group = groups.create_group(
            session,
            None,
            groups.GroupValues(
                name=name,
                purpose=purpose,
                seats=seats,
                recruitment=mode,
                starts_on=today - timedelta(days=30),
                ends_on=today + timedelta(days=180),
                signup_deadline=today + timedelta(days=deadline) if deadline else None,
                assignments=served,
            ),
        )
        groups.set_state(session, None, group, state, clock.now())
        if state is GroupState.ACTIVE:
            _seat_members(session, group, staff, index)


def _seat_members(
    session: Session, group: WorkingGroup, staff: list[Person], index: int
) -> None:
    today = clock.today()
    chosen = [staff[1]] if group.name == "Utvecklingsgruppen" else []
    chosen += staff[4 + index * 5 : 4 + index * 5 + group.seats - 2]
    if group.name == "Referensgrupp invånare":
        chosen = chosen[:3] + list(
            session.scalars(
                select(Person).where(Person.external.is_(True)).order_by(Person.id)
            )
        )
    for position, person in enumerate(chosen[: group.seats]):
        role = (
            MemberRole.LEAD
            if position == 0 and person.role is Role.STAFF and index
            else MemberRole.MEMBER
        )
        groups.add_member(session, None, group, person, role=role, today=today)


def _assignment(session: Session, plan_id: int, title: str) -> Assignment | None:
    return session.scalars(
        select(Assignment).where(
            Assignment.plan_id == plan_id, Assignment.title == title
        )
    ).first()


def _applications(session: Session, staff: list[Person]) -> None:
    """25 applications to Multiteamsgruppen, so the whole selection can be tried,
    and 9 to Språkstödsgruppen, whose deadline has passed."""
    from tracker.services.recruitment import applications

    for name, applicants in (
        ("Multiteamsgruppen", [p for p in staff[4:] if p.department][:25]),
        ("Språkstödsgruppen", [p for p in staff[30:] if p.department][:9]),
    ):
        group = groups.get_by_slug(session, slugify(name))
        if group is not None and not applications.applications_to(session, group):
            _apply_all(session, group, applicants)


def _apply_all(session: Session, group: WorkingGroup, staff: list[Person]) -> None:
    from tracker.services.recruitment import applications

    applicants = [(p, p.department) for p in staff if p.department]
    deadline = group.signup_deadline or clock.today()
    for person, department in applicants:
        values = applications.ApplicationValues(
            department=department,
            competences=list(person.competences),
            years_experience=person.years_experience,
            motivation=f"Jag vill bidra med erfarenhet från {department.name}.",
        )
        applications.apply(session, group, person, values, today=deadline)
