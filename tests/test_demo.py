"""`tracker demo`: half a year replayed through the services; the facts users see."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import clock, demo
from tracker.errors import DomainError
from tracker.models.activity import ActivityEvent
from tracker.models.applications import Application, ApplicationStatus, SelectionRun
from tracker.models.assignments import Assignment, Milestone, ProgressReport
from tracker.models.digests import BlogPost, Digest
from tracker.models.groups import GroupState, RecruitmentMode, WorkingGroup
from tracker.models.mail import OutboxMessage
from tracker.models.people import Department, Person, Role
from tracker.models.plans import ActionPlan
from tracker.services import groups, people
from tracker.services.digest.months import Month
from tracker.services.programme import stages

PLAN_TITLES = {
    "Bli en processorganisation",
    "Invånaren som medskapare",
    "Dela myndighet och planering",
    "Införa huvudhandläggare",
    "Skapa en kvalitativ behovs- och målgruppsanalys",
}
OPEN_CALLS = {
    "Utvecklingsgruppen",
    "Multiteamsgruppen",
    "Val av huvudhandläggare",
    "Gemensam ingång",
    "Utvärderingsgruppen",  # its call waits for the selection
}


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def group(session: Session, slug: str) -> WorkingGroup:
    found = groups.get_by_slug(session, slug)
    assert found is not None, slug
    return found


def test_demo_loads_the_programme_once(session: Session) -> None:
    demo.load(session, password="demo")
    assert set(session.scalars(select(ActionPlan.title))) == PLAN_TITLES
    assert count(session, Assignment) == 25
    assert count(session, Person) >= 60
    assert count(session, Department) >= 6
    for email, role in demo.LOGINS:
        person = people.find_by_email(session, email)
        assert person is not None and person.role is role and person.has_login
    assert {role for _, role in demo.LOGINS} == set(Role)
    assert count(session, OutboxMessage) == 0  # the history's e-mail went out then
    models = (ActionPlan, Assignment, Person, WorkingGroup, ActivityEvent, BlogPost)
    counts = [count(session, m) for m in models]
    assert "already" in demo.load(session, password="demo")
    assert [count(session, m) for m in models] == counts


def test_demo_refuses_a_database_with_other_plans(session: Session) -> None:
    from factories import make_plan

    make_plan(session, title="Vår egen plan")
    with pytest.raises(DomainError, match="--reset"):
        demo.load(session, password="demo")
    assert count(session, Assignment) == 0


def test_the_history_spans_half_a_year_and_every_month_has_a_digest(
    session: Session,
) -> None:
    demo.load(session, password="demo")
    now = clock.now()
    first, last = session.execute(
        select(func.min(ActivityEvent.created_at), func.max(ActivityEvent.created_at))
    ).one()
    assert first <= now - timedelta(days=180) and last < now
    actors = session.scalar(select(func.count(func.distinct(ActivityEvent.actor_id))))
    assert actors is not None and actors >= 10
    # the history happened over the months, not at the moment the demo loaded
    recent = session.scalar(
        select(func.count())
        .select_from(ActivityEvent)
        .where(ActivityEvent.created_at > now - timedelta(days=1))
    )
    assert recent is not None and recent < count(session, ActivityEvent) / 20
    reports = session.scalars(select(ProgressReport.body)).all()
    assert len(reports) >= 40 and len(set(reports)) == len(reports)
    previous = Month.of(now).previous
    posts = set(session.scalars(select(BlogPost.slug)))
    assert f"manadsbrev-{previous.key}" in posts and len(posts) >= 5
    digest = session.scalars(select(Digest).where(Digest.period == previous.key)).one()
    changed = {
        row["title"]
        for row in digest.facts["plans"]
        if any(
            row[kind]["count"]
            for kind in ("new", "started", "finished", "ended", "milestones")
        )
    }
    assert changed == PLAN_TITLES


def test_stages_follow_the_works_logic(session: Session) -> None:
    demo.load(session, password="demo")
    done_stage = stages.done_stage_id(session)

    def finished(title: str) -> datetime:
        return session.scalar(
            select(func.min(ActivityEvent.created_at)).where(
                ActivityEvent.verb == "moved",
                ActivityEvent.object_label == title,
                ActivityEvent.after["stage"].as_string() == "Klar",
            )
        )

    def started(title: str) -> datetime:
        return session.scalar(
            select(func.min(ActivityEvent.created_at)).where(
                ActivityEvent.verb == "moved", ActivityEvent.object_label == title
            )
        )

    assert finished("Kartlägga kärnprocesserna") < started("Utse processägare")
    role, training = "Rollbeskrivning", "Kompetensutveckling"
    assert finished(f"{role} för huvudhandläggare") < started(
        f"{training} för huvudhandläggare"
    )
    for assignment in session.scalars(select(Assignment)):
        if assignment.stage_id == done_stage:
            assert all(m.done for m in assignment.milestones), assignment.title
        assert 1 <= len(assignment.milestones) <= 5
        assert assignment.documents_link.startswith(
            "G:\\Allmänt\\Handlingsplaner – AMF\\"
        )
    time_boxes = {
        (g.starts_on, g.ends_on) for g in session.scalars(select(WorkingGroup))
    }
    assert len(time_boxes) == count(session, WorkingGroup)


def test_each_groups_state_agrees_with_its_assignments(session: Session) -> None:
    demo.load(session, password="demo")
    done_stage = stages.done_stage_id(session)
    first_stage = stages.first_stage(session).id
    for g in session.scalars(select(WorkingGroup)):
        finished = [a.stage_id == done_stage or a.is_closed for a in g.assignments]
        if g.state is GroupState.CLOSED:
            assert all(finished), g.name
        elif g.state is GroupState.ACTIVE:
            assert not all(finished), g.name
        else:
            assert all(a.stage_id == first_stage for a in g.assignments), g.name


def test_the_seeds_groups_recruit_as_they_really_did(session: Session) -> None:
    demo.load(session, password="demo")
    calls = set(
        session.scalars(
            select(WorkingGroup.name).where(
                WorkingGroup.recruitment == RecruitmentMode.OPEN_CALL
            )
        )
    )
    assert calls == OPEN_CALLS
    today = clock.today()
    multiteam = group(session, "multiteamsgruppen")
    assert multiteam.seats == 8 and multiteam.state is GroupState.RECRUITING
    assert multiteam.signup_deadline is not None and multiteam.signup_deadline > today
    assert len(applications_to(session, multiteam)) == 25
    for slug in ("utvecklingsgruppen", "val-av-huvudhandlaggare"):
        selected = group(session, slug)
        run = session.scalars(
            select(SelectionRun).where(SelectionRun.group_id == selected.id)
        ).one()
        assert run.confirmed_at is not None
        assert run.confirmed_at < clock.now() - timedelta(days=60)
        members = groups.current_members(session, selected)
        assert len({m.person.department_id for m in members}) >= 4
    invited = session.scalars(
        select(WorkingGroup).where(WorkingGroup.recruitment == RecruitmentMode.INVITED)
    ).all()
    assert any("särskild kompetens" in g.purpose for g in invited)
    citizens = [
        m.person
        for m in groups.current_members(
            session, group(session, "referensgrupp-invanare")
        )
        if m.person.external
    ]
    assert len(citizens) >= 3
    assert all(c.consent_on and c.publication_consent_on is None for c in citizens)


def applications_to(session: Session, g: WorkingGroup) -> list[Application]:
    return list(
        session.scalars(select(Application).where(Application.group_id == g.id))
    )


def test_leadership_finds_late_stale_and_waiting_items_today(session: Session) -> None:
    """The cases the overview's "Läget nu" lists, as of the day the demo loads."""
    demo.load(session, password="demo")
    today = clock.today()
    done_stage = stages.done_stage_id(session)
    open_work = [
        a
        for a in session.scalars(select(Assignment))
        if not a.is_closed and a.stage_id != done_stage
    ]
    late_milestones = session.scalars(
        select(Milestone).where(Milestone.done.is_(False), Milestone.due_on < today)
    ).all()
    assert late_milestones
    assert any(a.ends_on and a.ends_on < today for a in open_work)  # a late one
    assert any(
        a.ends_on and today <= a.ends_on <= today + timedelta(days=14)
        for a in open_work
    )
    started = [a for a in open_work if a.stage_id != stages.first_stage(session).id]
    newest = dict(
        session.execute(
            select(
                ProgressReport.assignment_id, func.max(ProgressReport.reported_on)
            ).group_by(ProgressReport.assignment_id)
        ).all()
    )
    stale = [a for a in started if newest.get(a.id, date.min) < today - timedelta(30)]
    assert len(stale) == 1
    waiting = group(session, "utvarderingsgruppen")
    assert waiting.state is GroupState.RECRUITING and waiting.seats == 8
    assert waiting.signup_deadline is not None and waiting.signup_deadline < today
    assert len(applications_to(session, waiting)) >= 20
    assert not session.scalars(
        select(SelectionRun).where(SelectionRun.group_id == waiting.id)
    ).all()
    staff = people.find_by_email(session, "medarbetare@demo.se")
    assert staff is not None
    # the staff login reports on Utse processägare through Utvecklingsgruppen
    mats_groups = {m.group.name for m in groups.groups_of(session, staff)}
    assert {"Utvecklingsgruppen", "Referensgrupp invånare"} <= mats_groups
    mine = session.scalars(
        select(Application).where(Application.person_id == staff.id)
    ).all()
    assert ApplicationStatus.INVITED in {a.status for a in mine}
