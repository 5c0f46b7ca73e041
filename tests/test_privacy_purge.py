"""After a purge, no table and no page holds a purged applicant's data.

An applicant who was not selected goes through everything that copies their data:
applying and changing the application, leadership reading it, a selection with
swaps whose reasons name her, the outcome e-mail, an e-mail from before e-mail named
its application, and a digest draft a communicator wrote her name into. After the
purge every column of every table and every page is searched for her.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

import pytest
from factories import (
    make_application,
    make_competence,
    make_department,
    make_group,
    make_person,
)
from flask import Flask
from route_samples import Call, get_pages
from route_world import World, build_world
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session
from visitors import Visitor, isolated, make_visitor

import tracker.models  # noqa: F401 - every table on Base.metadata
from tracker import clock
from tracker.config import DEFAULTS
from tracker.db import Base, get_session
from tracker.models.activity import ActivityEvent
from tracker.models.applications import Application, ApplicationStatus, SelectionRun
from tracker.models.groups import GroupState, RecruitmentMode
from tracker.models.mail import OutboxMessage
from tracker.models.people import Person
from tracker.services import groups, mail, privacy
from tracker.services.digest import drafts, editing
from tracker.services.recruitment import applications, invitations
from tracker.services.selection import confirmation
from tracker.services.selection import runs as selection_runs

NAME = "Signe Sökande"
EMAIL = "signe.sokande@test.se"
MOTIVATION = "Jag brinner för kvarteret Tallbacken och dess bibliotek."
DEPARTMENT = "Enheten för ovanliga prov"
COMPETENCE = "Kvartersanalys på lätt svenska"
DETAILS = (NAME, EMAIL, MOTIVATION, DEPARTMENT, COMPETENCE)
VOCABULARY = {"departments", "competences"}  # terms, not anyone's data


@dataclass
class Applicant:
    """The applicant under test and what her application left behind."""

    person_id: int
    application_id: int
    run_id: int


@dataclass(frozen=True)
class Hit:
    """A column of a row that holds one of the details."""

    table: str
    key: str
    column: str
    found: str


def spellings(text: str) -> set[str]:
    """A detail as a column may hold it: as typed, or escaped inside JSON."""
    return {text.lower(), json.dumps(text)[1:-1].lower()}


def scan(session: Session, details: tuple[str, ...]) -> tuple[list[Hit], int, int]:
    """Every text and JSON value of every table searched for *details*."""
    hits, rows, values = [], 0, 0
    for table in Base.metadata.sorted_tables:
        wanted = [d for d in details if table.name not in VOCABULARY]
        for row in session.execute(select(table)).mappings():
            rows += 1
            key = ",".join(str(row[c.name]) for c in table.primary_key.columns)
            for column in table.columns:
                value = row[column.name]
                if value is None or isinstance(value, int | float):
                    continue
                values += 1
                text = (
                    json.dumps(value, ensure_ascii=False)
                    if isinstance(value, dict | list)
                    else str(value)
                ).lower()
                for detail in wanted:
                    if any(form in text for form in spellings(detail)):
                        hits.append(Hit(table.name, key, column.name, detail))
    return hits, rows, values


def own_profile(session: Session, person_id: int) -> set[tuple[str, str]]:
    """Her own directory entry, which stays: the people row and its audit trail."""
    trail = session.scalars(
        select(ActivityEvent.id).where(
            ActivityEvent.object_type == "Person", ActivityEvent.object_id == person_id
        )
    )
    return {("people", str(person_id))} | {("activity_events", str(e)) for e in trail}


def apply_and_lose(app: Flask, world: World) -> Applicant:
    """Signe applies, changes her application and is not selected after swaps."""
    with app.app_context():
        session = get_session()
        group = groups.get_by_slug(session, world.open_group_slug)
        assert group is not None
        department = make_department(session, DEPARTMENT)
        competence = make_competence(session, COMPETENCE)
        signe = session.scalars(select(Person).where(Person.email == EMAIL)).one()
        values = applications.ApplicationValues(
            department=department,
            competences=[competence],
            years_experience=37,
            motivation="Första tanken: " + MOTIVATION,
        )
        application = applications.apply(
            session, group, signe, values, today=clock.today()
        )
        values.motivation = MOTIVATION
        applications.update_application(
            session, application, values, today=clock.today()
        )
        leader = world.logins["leadership"]
        others = selection_runs.candidates_of(session, group)
        run = selection_runs.run_selection(
            session,
            leader,
            group,
            selection_runs.Choices(seed=7, excluded=frozenset({application.id})),
            DEFAULTS["RECRUITMENT"],
        )
        rival = next(c.id for c in others if c.id != application.id)
        for out_id, in_id in ((rival, application.id), (application.id, rival)):
            selection_runs.swap(
                session,
                leader,
                run,
                out_id=out_id,
                in_id=in_id,
                reason=f"{NAME} ({EMAIL}) har sällsynt kompetens",
            )
        # an e-mail from before messages named their application
        mail.queue(
            session,
            to=[EMAIL],
            subject=f"Din anmälan till {group.name}",
            body=f"Hej {NAME}! Vi har tagit emot din anmälan.",
        )
        session.commit()
        return Applicant(signe.id, application.id, run.id)


def write_her_into_a_draft(app: Flask, world: World) -> None:
    """A communicator names her in the text of an unpublished digest."""
    with app.app_context():
        session = get_session()
        digest = drafts.get_by_period(session, world.extra["period"])
        assert digest is not None
        newest = drafts.newest_version(session, digest)
        editing.save_text(
            session,
            world.logins["communicator"],
            digest,
            title=digest.title,
            body=digest.body + f"\n\n{NAME} sökte till gruppen.",
            base_version=newest.number if newest else 0,
        )
        session.commit()


def confirm(app: Flask, world: World, applicant: Applicant) -> None:
    """Leadership confirms: she is not selected and told so by e-mail."""
    with app.app_context():
        session = get_session()
        run = session.get(SelectionRun, applicant.run_id)
        assert run is not None
        confirmation.confirm(
            session,
            world.logins["leadership"],
            run,
            today=clock.today(),
            close_reason="Alla platser kan fyllas nu.",  # the call is still open
        )
        session.commit()


def purge(app: Flask) -> int:
    """The nightly purge, 400 days later."""
    with app.app_context():
        session = get_session()
        later = clock.now() + timedelta(days=400)
        count = privacy.purge(session, now=later, retention_months=12)
        session.commit()
        return count


def pages_naming(
    app: Flask, visitors: list[Visitor], calls: list[Call], connection: Connection
) -> dict[str, set[str]]:
    """Which pages show which of her details, as each visitor sees them."""
    found: dict[str, set[str]] = {}
    for visitor in visitors:
        for call in calls:
            with isolated(connection):
                response = visitor.send(app, call)
            page = response.get_data(as_text=True).lower()
            for detail in (NAME, EMAIL, MOTIVATION):
                if detail.lower() in page:
                    found.setdefault(detail, set()).add(f"{visitor.role} {call.key}")
    return found


@pytest.fixture
def world(app: Flask) -> World:
    """The routes' objects, and Signe: a staff member with a unique profile."""
    with app.app_context():
        session = get_session()
        world = build_world(session)
        make_person(session, name=NAME, email=EMAIL)
        session.commit()
    return world


def test_after_a_purge_no_table_holds_the_applicant(
    app: Flask, world: World, capsys: Any
) -> None:
    applicant = apply_and_lose(app, world)
    write_her_into_a_draft(app, world)
    leader = make_visitor(app, "leadership", world)
    read = Call("selection.application", "GET", "", {"application_id": 0})
    read.values["application_id"] = applicant.application_id
    assert leader.send(app, read).status_code == 200  # "Lena read an application"
    confirm(app, world, applicant)
    with app.app_context():
        before, _rows, _values = scan(get_session(), DETAILS)
        profile = own_profile(get_session(), applicant.person_id)
    copies = {hit.table for hit in before if (hit.table, hit.key) not in profile}
    # the search finds every kind of copy while they exist
    assert copies >= {
        "applications",
        "selection_runs",
        "activity_events",
        "outbox_messages",
        "digests",
        "digest_versions",
    }
    assert purge(app) == 1
    with app.app_context():
        session = get_session()
        after, rows, values = scan(session, DETAILS)
        left = [hit for hit in after if (hit.table, hit.key) not in profile]
        assert left == []
        application = session.get(Application, applicant.application_id)
        assert application is not None
        assert application.status is ApplicationStatus.NOT_SELECTED
        assert application.person_id is None and application.years_experience is None
        run = session.get(SelectionRun, applicant.run_id)
        assert run is not None
        entry = next(
            c for c in run.inputs["candidates"] if c["id"] == applicant.application_id
        )
        assert entry["years"] is None and selection_runs.anonymised(run)
        linked = session.scalars(
            select(OutboxMessage).where(
                OutboxMessage.application_id == applicant.application_id
            )
        ).all()
        assert linked and all(m.person_id is None and not m.to for m in linked)
    with capsys.disabled():
        print(f"\npurge scan: {rows} rows, {values} values, {len(DETAILS)} details")
    assert rows > 50 and values > 300


def test_after_a_purge_no_page_shows_the_applicant(
    app: Flask, world: World, connection: Connection
) -> None:
    visitors = [make_visitor(app, role, world) for role in ("leadership", "admin")]
    pages = get_pages(app, world)
    baseline = pages_naming(app, visitors, pages, connection)
    applicant = apply_and_lose(app, world)
    confirm(app, world, applicant)
    own = [
        Call("selection.application", "GET", "hers", {"application_id": 0}),
        Call("applications.receipt", "GET", "hers", {"application_id": 0}),
        Call("selection.verify", "GET", "hers", {"run_id": applicant.run_id}),
    ]
    for call in own[:2]:
        call.values["application_id"] = applicant.application_id
    during = pages_naming(app, visitors, pages + own, connection)
    assert MOTIVATION in during and during[NAME] > baseline.get(NAME, set())
    assert purge(app) == 1
    after = pages_naming(app, visitors, pages + own, connection)
    # where the directory shows her (people pickers, the people list) she stays
    assert after.get(NAME, set()) <= baseline.get(NAME, set())
    assert after.get(EMAIL, set()) <= baseline.get(EMAIL, set())
    assert MOTIVATION not in after
    assert len(pages) >= 40


def test_delivered_mail_loses_its_text_after_the_retention_time(
    session: Session,
) -> None:
    now = clock.now()
    old, recent, unsent = (
        mail.queue(session, to=["a@test.se"], subject="Ämne", body="Text om Anna")
        for _ in range(3)
    )
    old.sent_at = now - timedelta(days=91)
    recent.sent_at = now - timedelta(days=89)
    unsent.created_at = now - timedelta(days=200)
    session.flush()
    assert privacy.expire_mail_bodies(session, now=now, days=90) == 1
    session.refresh(old)
    assert (old.body, old.subject, old.to) == ("", "Ämne", ["a@test.se"])
    assert recent.body and unsent.body
    assert privacy.expire_mail_bodies(session, now=now, days=90) == 0


def test_applications_never_decided_are_purged_after_their_group_closed(
    session: Session,
) -> None:
    """A waitlist and an unanswered invitation end when their group does."""
    first_come = make_group(session, recruitment=RecruitmentMode.FIRST_COME, seats=1)
    first_come.signup_deadline = clock.today()
    groups.set_state(session, None, first_come, GroupState.RECRUITING, clock.now())
    seated, waiting = make_person(session), make_person(session, name=NAME)
    for person in (seated, waiting):
        make_application(session, first_come, person, today=clock.today())
    invited_group = make_group(session)
    invitation = invitations.invite(session, None, invited_group, make_person(session))
    later = clock.now() + timedelta(days=400)
    assert privacy.purge(session, now=later, retention_months=12) == 0  # still open
    for group in (first_come, invited_group):
        groups.set_state(session, None, group, GroupState.CLOSED, clock.now())
    assert privacy.purge(session, now=later, retention_months=12) == 2
    left = session.scalars(
        select(Application).where(Application.group_id == first_come.id)
    ).all()
    statuses = {a.status: a.person_id for a in left}
    assert statuses[ApplicationStatus.MEMBER] == seated.id
    assert statuses[ApplicationStatus.WAITLISTED] is None
    session.refresh(invitation)
    assert invitation.person_id is None and invitation.anonymised_at is not None
    hits, _rows, _values = scan(session, (NAME,))
    profile = own_profile(session, waiting.id)
    assert [h for h in hits if (h.table, h.key) not in profile] == []
