"""A name is published only when its person allows it: staff by their profile,
external participants by a consent to publication that leadership records."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest
from conftest import login, post_form
from factories import make_group, make_person
from fakes.wordpress import FakeWordPress
from flask import Flask
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.db import get_session
from tracker.models.digests import BlogPost
from tracker.models.mail import OutboxMessage
from tracker.models.people import Person, Role
from tracker.services import groups, people
from tracker.services.digest import drafts, publishing
from tracker.services.digest.months import Month
from tracker.services.digest.publishing import PublishSettings
from tracker.services.digest.wordpress import WordPressSettings

MARCH = Month(2026, 3)
NOW = datetime(2026, 4, 6, 9, tzinfo=STOCKHOLM)
PASSWORD = "abcd EFGH 1234 ijkl MNOP 6789"


@pytest.fixture
def wp() -> Iterator[FakeWordPress]:
    fake = FakeWordPress()
    fake.add_user("redaktion", PASSWORD)
    fake.start()
    yield fake
    fake.stop()


def external(session: Session, name: str, published_on: date | None) -> Person:
    """A citizen added by leadership, with or without consent to publication."""
    return people.create_person(
        session,
        None,
        people.PersonValues(name=name),
        external=True,
        consent_on=date(2026, 3, 1),
        consent_note="Muntligt.",
        publication_consent_on=published_on,
    )


def march_members(session: Session) -> None:
    """Four new members in March: two may be named, two may not."""
    group = make_group(session, name="Medborgarpanelen")
    members = [
        make_person(session, name="Stina Synlig"),
        make_person(session, name="Olof Osynlig", digest_opt_out=True),
        external(session, "Invånare Amira", None),
        external(session, "Invånare Bertil", date(2026, 3, 2)),
    ]
    for person in members:
        groups.add_member(session, None, group, person, today=date(2026, 3, 10))


def test_a_published_digest_names_only_those_who_allow_it(
    session: Session, wp: FakeWordPress
) -> None:
    march_members(session)
    digest, _ = drafts.draft_for_month(
        session, None, MARCH, now=NOW, public_url="https://tracker.test"
    )
    settings = PublishSettings(
        public_url="https://tracker.test",
        wordpress=WordPressSettings(wp.url, "redaktion", PASSWORD, timeout=1),
        mail_to=("alla@test.se",),
    )
    publishing.publish(
        session,
        None,
        digest,
        targets=settings.targets(),
        now=NOW,
        settings=settings,
        checkpoint=session.commit,
    )
    blog = session.scalars(select(BlogPost)).one().body
    (post,) = wp.posts.values()
    (letter,) = [
        m for m in session.scalars(select(OutboxMessage)) if m.to == ["alla@test.se"]
    ]
    for published in (blog, post["content"], letter.body):
        assert "Stina Synlig" in published and "Invånare Bertil" in published
        assert "Olof Osynlig" not in published
        assert "Invånare Amira" not in published
    assert "4 nya" in blog and "och 2 till" in blog  # counted, not named


def test_leadership_records_and_withdraws_consent_to_publication(
    app: Flask,
) -> None:
    with app.app_context():
        db = get_session()
        make_person(db, email="ledare@test.se", role=Role.LEADERSHIP)
        make_person(db, email="staff@test.se")
        amira = external(db, "Invånare Amira", None)
        db.commit()
        amira_id = amira.id
    leader, staff = app.test_client(), app.test_client()
    login(leader, "ledare@test.se")
    login(staff, "staff@test.se")
    page = f"/people/{amira_id}"
    action = f"/people/{amira_id}/publicering"
    assert "Samtycke till publicering" in leader.get(page).get_data(as_text=True)
    assert "Samtycke till publicering" not in staff.get(page).get_data(as_text=True)
    assert post_form(staff, action, {"consent": "y"}).status_code == 403
    saved = post_form(leader, action, {"consent": "y", "given_on": "2026-03-02"})
    assert saved.status_code == 302
    assert consent_of(app, amira_id) == date(2026, 3, 2)
    future = post_form(leader, action, {"consent": "y", "given_on": "2999-01-01"})
    assert future.status_code == 302 and consent_of(app, amira_id) == date(2026, 3, 2)
    assert "framtiden" in leader.get(page).get_data(as_text=True)
    post_form(leader, action, {"given_on": ""})  # the box left empty: withdrawn
    assert consent_of(app, amira_id) is None


def consent_of(app: Flask, person_id: int) -> date | None:
    with app.app_context():
        person = get_session().get(Person, person_id)
        assert person is not None
        return person.publication_consent_on
