"""Who applied is seen by leadership and the applicant only: staff see a count.

An applicant's events (applied, changed, read by leadership, withdrawn, selected or
not) are searched for on every page staff and communicators can open, in the
digest and on the Trello card of the group's assignment.
"""

from __future__ import annotations

import re

import pytest
from conftest import login
from factories import make_assignment, make_department, make_person
from flask import Flask
from route_samples import Call, get_pages
from route_world import World, build_world
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session
from visitors import Visitor, isolated, make_visitor

from sync.mapping import BoardMaps, desired_state
from tracker import clock
from tracker.db import get_session
from tracker.models.activity import ActivityEvent
from tracker.models.people import Person
from tracker.services import activity, groups
from tracker.services.digest import drafts
from tracker.services.digest.months import Month
from tracker.services.recruitment import applications

NAME = "Signe Sökande"
EMAIL = "signe.sokande@test.se"
READ = "läste en anmälan"  # leadership read an application


@pytest.fixture
def world(app: Flask) -> World:
    with app.app_context():
        session = get_session()
        world = build_world(session)
        make_person(session, name=NAME, email=EMAIL, trello_username="signe_s")
        session.commit()
    return world


def apply(app: Flask, world: World) -> int:
    """Signe applies to the open call and changes her application."""
    with app.app_context():
        session = get_session()
        group = groups.get_by_slug(session, world.open_group_slug)
        signe = applicant(session)
        assert group is not None
        values = applications.ApplicationValues(
            department=make_department(session), motivation="Gärna!"
        )
        application = applications.apply(
            session, group, signe, values, today=clock.today()
        )
        applications.update_application(
            session, application, values, today=clock.today()
        )
        session.commit()
        return application.id


def applicant(session: Session) -> Person:
    """Signe, the staff member who applies."""
    return session.scalars(select(Person).where(Person.email == EMAIL)).one()


def shown(
    app: Flask, visitors: list[Visitor], pages: list[Call], connection: Connection
) -> dict[str, set[str]]:
    """Which pages show her name or leadership's reading, per visitor."""
    found: dict[str, set[str]] = {NAME: set(), READ: set()}
    for visitor in visitors:
        for call in pages:
            with isolated(connection):
                page = visitor.send(app, call).get_data(as_text=True)
            for text in found:
                if text in page:
                    found[text].add(f"{visitor.role} {call.key}")
    return found


def test_staff_never_see_who_applied_anywhere(
    app: Flask, world: World, connection: Connection
) -> None:
    staff = [make_visitor(app, role, world) for role in ("staff", "communicator")]
    pages = get_pages(app, world)
    before = shown(app, staff, pages, connection)
    application_id = apply(app, world)
    leader = make_visitor(app, "leadership", world)
    read = leader.client.get(f"/anmalningar/ansokan/{application_id}")
    assert read.status_code == 200
    after = shown(app, staff, pages, connection)
    # only the directory and the people pickers name her, as before she applied
    assert after[NAME] == before[NAME]
    assert after[READ] == set()
    # leadership sees who applied and who read it
    feed = leader.client.get("/activity/").get_data(as_text=True)
    assert f"{NAME}</span>\nskickade en anmälan till" in feed and READ in feed
    # staff see how many applied
    overview = staff[0].client.get("/").get_data(as_text=True)
    assert re.search(r"· \d+ anmälningar", overview)
    assert len(pages) >= 40


def test_the_applicant_sees_her_own_application_events(
    app: Flask, world: World
) -> None:
    application_id = apply(app, world)
    leader = make_visitor(app, "leadership", world)
    assert (
        leader.client.get(f"/anmalningar/ansokan/{application_id}").status_code == 200
    )
    signe = app.test_client()
    login(signe, EMAIL)
    feed = signe.get("/activity/").get_data(as_text=True)
    assert "skickade en anmälan till" in feed and READ in feed
    other = make_visitor(app, "communicator", world)  # who has not applied
    theirs = other.client.get("/activity/").get_data(as_text=True)
    assert "skickade en anmälan till" not in theirs and READ not in theirs


def test_the_shared_feed_neither_hides_her_application_nor_shows_it_to_others(
    app: Flask, world: World
) -> None:
    with app.app_context():  # staff, like her, and has never applied
        make_person(get_session(), name="Nils Ny", email="nils.ny@test.se")
        get_session().commit()
    other = app.test_client()
    login(other, "nils.ny@test.se")
    for _ in range(2):  # the staff role's feed page is now in the page cache
        other.get("/activity/")
    apply(app, world)
    signe = app.test_client()
    login(signe, EMAIL)
    signe.get("/")  # the welcome message
    for _ in range(2):
        assert "skickade en anmälan till" in signe.get("/activity/").get_data(
            as_text=True
        )
        theirs = other.get("/activity/").get_data(as_text=True)
        assert "skickade en anmälan till" not in theirs


def test_one_rule_decides_for_every_reader_of_the_log(app: Flask, world: World) -> None:
    """visible_to() in SQL and may_see() in Python agree on every event."""
    apply(app, world)
    with app.app_context():
        session = get_session()
        events = session.scalars(select(ActivityEvent)).all()
        signe = applicant(session)
        readers = [
            activity.LEADERSHIP_READER,
            activity.Reader(),
            activity.Reader.of(signe),
            activity.PUBLIC_READER,
        ]
        for reader in readers:
            visible = select(ActivityEvent.id).where(activity.visible_to(reader))
            in_sql = set(session.scalars(visible))
            in_python = {e.id for e in events if activity.may_see(reader, e)}
            assert in_sql == in_python
        private = {e.id for e in events if activity.is_private(e)}
        assert private and not private & {
            e.id for e in events if activity.may_see(activity.Reader(), e)
        }


def test_neither_digest_nor_trello_card_names_an_applicant(
    app: Flask, world: World
) -> None:
    apply(app, world)
    with app.app_context():
        session = get_session()
        group = groups.get_by_slug(session, world.open_group_slug)
        assert group is not None
        assignment = make_assignment(session, title="Kortet")
        group.assignments = [assignment]
        session.flush()
        maps = BoardMaps(
            list_by_stage={},
            label_by_group={group.id: "label"},
            open_call_label="open",
            member_by_username={"signe_s": "m1"},
            managed_members=frozenset({"m1"}),
            public_url="https://tracker.test",
        )
        card = desired_state(assignment, maps)
        assert "m1" not in card.member_ids and NAME not in card.desc
        now = clock.now()
        digest, _ = drafts.draft_for_month(
            session, None, Month.of(now), now=now, public_url="https://tracker.test"
        )
        assert NAME not in digest.body and EMAIL not in digest.body
