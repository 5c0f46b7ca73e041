"""PUBLIC_READ: the programme readable without a login, and nobody in it.

With PUBLIC_READ on, a visitor without a login reads the overview, the plans and
their assignments, the groups' purpose and time box and the published digests with
their feed; every other page still asks them to log in. Every page they can read is
searched for every person's name and address, applications and their counts.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

import pytest
from authz_table import LOGIN, OK, TABLE
from conftest import login, make_test_app
from factories import make_group, make_person
from flask import Flask
from route_samples import calls
from route_world import World, build_world
from sqlalchemy import Connection, select
from test_authz_matrix import outcome
from visitors import isolated, make_visitor

from tracker.db import get_session
from tracker.models.applications import Application
from tracker.models.people import Person, Role
from tracker.services import groups, people
from tracker.services.digest import blog
from tracker.services.digest import drafts as digests
from tracker.services.digest.months import Month
from tracker.services.privacy import consent

# What a visitor without a login may read when PUBLIC_READ is on
PUBLIC = {
    "overview.index GET",
    "plans.list GET",
    "plans.show GET",
    "assignments.show GET",
    "groups.list GET",
    "groups.show GET",
    "groups.show GET [open call]",
    "groups.show GET [planned]",
    "blog.index GET",
    "blog.show GET",
    "blog.feed GET",
}
APPLICATION_COUNT = re.compile(r"\b\d+ (anmälan|anmälningar)\b")


@pytest.fixture
def public_app(db_url: str, connection: Connection) -> Flask:
    """The app with PUBLIC_READ on, inside the test's transaction."""
    app = make_test_app(db_url, PUBLIC_READ=True)
    app.extensions["tracker.sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    return app


@pytest.fixture
def world(public_app: Flask) -> World:
    """The routes' objects, a published digest that names new members who allow
    it, and a citizen who has not agreed to be named."""
    with public_app.app_context():
        session = get_session()
        world = build_world(session)
        group = make_group(session, name="Medborgarpanelen")
        amira = people.create_person(
            session,
            None,
            people.PersonValues(name="Invånare Amira"),
            external=True,
            consent_on=date(2025, 11, 1),
        )
        bertil = people.create_person(
            session,
            None,
            people.PersonValues(name="Invånare Bertil"),
            external=True,
            consent_on=date(2025, 11, 1),
            publication_consent_on=date(2025, 11, 1),
        )
        stina = make_person(session, name="Stina Synlig")
        for person in (amira, bertil, stina):
            groups.add_member(session, None, group, person, today=date(2025, 11, 10))
        now = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)
        digest, _ = digests.draft_for_month(
            session, None, Month(2025, 11), now=now, public_url="https://tracker.test"
        )
        blog.add_post(session, digest, slug="manadsbrev-2025-11")
        session.commit()
    return world


def test_public_reading_opens_only_the_programme_pages(
    public_app: Flask, world: World, connection: Connection
) -> None:
    """Default-deny holds: everything else still answers as without PUBLIC_READ."""
    anonymous = make_visitor(public_app, "anonymous", world)
    wrong = []
    for call in calls(public_app, world):
        expected = OK if call.key in PUBLIC else TABLE[call.key]["anonymous"]
        with isolated(connection):
            got = outcome(anonymous.send(public_app, call))
        if got != expected:
            wrong.append(f"{call.key}: expected {expected}, got {got}")
    assert wrong == []
    assert all(TABLE[key]["anonymous"] == LOGIN for key in PUBLIC)


def test_public_pages_show_nobody_and_no_application(
    public_app: Flask, world: World, connection: Connection
) -> None:
    anonymous = make_visitor(public_app, "anonymous", world)
    with public_app.app_context():
        session = get_session()
        everyone = session.scalars(select(Person)).all()
        named = {p.name for p in everyone if consent.may_publish_name(p)}
        secrets = {p.name for p in everyone} | {p.email for p in everyone if p.email}
        secrets |= {p.trello_username for p in everyone if p.trello_username}
        secrets |= {a.motivation for a in session.scalars(select(Application))}
    read = 0
    for call in calls(public_app, world):
        if call.key not in PUBLIC:
            continue
        with isolated(connection):
            response = anonymous.send(public_app, call)
        assert response.status_code == 200, call.key
        page = response.get_data(as_text=True)
        # a published digest may name those who allow it; nothing else names anyone
        allowed = named if call.endpoint.startswith("blog.") else set()
        shown = sorted(s for s in secrets - allowed if s and s in page)
        assert shown == [], f"{call.key} shows {shown}"
        assert not APPLICATION_COUNT.search(page), call.key
        read += 1
    post = anonymous.client.get("/blogg/manadsbrev-2025-11").get_data(as_text=True)
    assert "Stina Synlig" in post and "Invånare Bertil" in post
    assert "Invånare Amira" not in post
    assert read == len(PUBLIC)


def test_a_cached_page_is_never_shared_between_a_login_and_the_public(
    public_app: Flask, world: World
) -> None:
    """The page cache keys the public reader apart from every role."""
    with public_app.app_context():
        session = get_session()
        make_person(session, email="ledare@public.se", role=Role.LEADERSHIP)
        session.commit()
    leader, public = public_app.test_client(), public_app.test_client()
    login(leader, "ledare@public.se")
    leader.get("/")  # the login's welcome message: not cached
    for browser in (leader, public, leader, public):
        browser.get("/")
    mine = leader.get("/").get_data(as_text=True)
    theirs = public.get("/").get_data(as_text=True)
    assert "Ny handlingsplan" in mine and "Ny handlingsplan" not in theirs
    assert 'class="event-actor"' in mine  # the leader sees who did what
    assert 'class="event-actor"' not in theirs
    assert 'class="logout-form"' not in theirs and "Logga in" in theirs


def test_without_public_read_the_pages_ask_for_a_login(
    db_url: str, connection: Connection
) -> None:
    app = make_test_app(db_url)
    assert app.config["PUBLIC_READ"] is False
    for path in ("/", "/plans/", "/groups/", "/blogg/", "/blogg/feed.atom"):
        response = app.test_client().get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
