"""Calendar and Atom feeds fetched with no cookie; wrong, revoked and forged tokens."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any
from xml.etree import ElementTree

import pytest
from conftest import login, post_form
from factories import (
    make_assignment,
    make_group,
    make_open_call,
    make_person,
    make_plan,
)
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import select

from tracker.db import get_session
from tracker.models.checkins import CheckIn
from tracker.models.notifications import EmailSchedule, FeedToken, FollowTarget
from tracker.models.people import Person, Role
from tracker.services.attention import follows, notifications, tokens
from tracker.services.digest import blog
from tracker.services.digest import drafts as digests
from tracker.services.digest.months import Month
from tracker.services.programme import assignments, milestones, stages

ATOM = "{http://www.w3.org/2005/Atom}"


def parse_xml(data: bytes) -> ElementTree.Element:
    """Our own feed, just produced by the app under test."""
    return ElementTree.fromstring(data)  # noqa: S314 - not untrusted input


def main_of(page: str) -> str:
    """What a page says, without the header's forms (they carry the path)."""
    found = re.search(r"<main.*?</main>", page, re.S)
    assert found is not None
    return found[0]


def build(app: Flask, fn: Any) -> Any:
    with app.app_context():
        result = fn(get_session())
        get_session().commit()
        return result


@pytest.fixture
def programme(app: Flask) -> dict[str, Any]:
    """A plan staff follows, one they do not, a group recruiting, a check-in, a post."""

    def make(s: Any) -> dict[str, Any]:
        staff = make_person(s, email="staff@test.se", name="Mats Medarbetare")
        make_person(s, email="lead@test.se", role=Role.LEADERSHIP)
        plan = make_plan(s, title="Bli en processorganisation")
        other_plan = make_plan(s, title="Annan plan")
        assignment = make_assignment(
            s, plan, title="Utse processägare", ends_on=date(2026, 12, 31)
        )
        milestones.add_milestone(
            s, None, assignment, title="Delrapport", due_on=date(2026, 11, 15)
        )
        hidden = make_assignment(s, other_plan, title="Dolt uppdrag")
        milestones.add_milestone(
            s, None, hidden, title="Syns inte", due_on=date(2026, 11, 16)
        )
        group = make_group(
            s,
            name="Utvecklingsgruppen",
            assignments=[assignment],
            starts_on=date(2026, 9, 1),
            ends_on=date(2027, 3, 31),
        )
        call = make_open_call(
            s, name="Multiteamsgruppen", signup_deadline=date(2026, 12, 16)
        )
        follows.follow(s, staff, FollowTarget.PLAN, plan.id)
        follows.follow(s, staff, FollowTarget.GROUP, call.id)
        start = datetime(2026, 12, 10, 12, 30, tzinfo=UTC)
        s.add(
            CheckIn(
                assignment_id=assignment.id,
                title="Avstämning december",
                starts_at=start,
                ends_at=start + timedelta(hours=1),
            )
        )
        digest, _ = digests.draft_for_month(
            s, None, Month(2026, 11), now=start, public_url="https://tracker.test"
        )
        blog.add_post(s, digest, slug="manadsbrev-2026-11")
        return {"plan": plan.slug, "group": group.id, "assignment": assignment.id}

    return build(app, make)


def address(client: FlaskClient) -> str:
    """Make the logged-in person's feed address on Mina sidor and read it back."""
    made = post_form(client, "/flode/adress")
    assert made.status_code == 302 and made.headers["Location"].endswith("/me/#feeds")
    page = client.get("/me/").get_data(as_text=True)
    found = re.search(r'id="calendar-url" type="text" readonly value="([^"]+)"', page)
    assert found is not None
    return found[1]


def test_the_personal_calendar_parses_and_holds_what_one_follows(
    app: Flask, client: FlaskClient, programme: dict[str, Any]
) -> None:
    login(client, "staff@test.se")
    url = address(client)
    assert url.startswith("https://tracker.test/flode/") and url.endswith(
        "/kalender.ics"
    )
    anonymous = app.test_client()  # no cookie at all
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    assert "Set-Cookie" not in response.headers
    assert "private" in response.headers["Cache-Control"]
    calendar = Calendar.from_ical(response.data)
    assert str(calendar["VERSION"]) == "2.0" and "PRODID" in calendar
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Stockholm"
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    milestone = events["Milstolpe: Delrapport (Utse processägare)"]
    assert milestone.decoded("DTSTART") == date(2026, 11, 15)  # all day: a DATE
    assert milestone.decoded("DTEND") == date(2026, 11, 16)
    assert "Slutar: Utse processägare" in events
    timebox = events["Arbetsgruppen Utvecklingsgruppen"]
    assert timebox.decoded("DTSTART") == date(2026, 9, 1)
    assert timebox.decoded("DTEND") == date(2027, 4, 1)
    assert events["Sista dag att anmäla sig: Multiteamsgruppen"].decoded(
        "DTSTART"
    ) == date(2026, 12, 16)
    meeting = events["Avstämning december"]
    assert meeting.decoded("DTSTART").hour == 13  # 12:30 UTC is 13:30 in Stockholm
    assert str(meeting["DTSTART"].params["TZID"]) == "Europe/Stockholm"
    assert not any("Syns inte" in summary for summary in events)
    for event in events.values():
        assert "DTSTAMP" in event and str(event["UID"]).endswith("@tracker.test")
    again = Calendar.from_ical(anonymous.get(url).data)
    assert sorted(str(e["UID"]) for e in again.walk("VEVENT")) == sorted(
        str(e["UID"]) for e in events.values()
    )


def test_the_blog_feed_works_through_its_advertised_link_with_no_cookie(
    app: Flask, client: FlaskClient, programme: dict[str, Any]
) -> None:
    login(client, "staff@test.se")
    before = client.get("/blogg/").get_data(as_text=True)
    assert 'href="/blogg/feed.atom"' in before  # no address yet: the login's feed
    assert "Skapa din personliga flödesadress" in before
    address(client)
    page = client.get("/blogg/").get_data(as_text=True)
    link = re.search(
        r'<link rel="alternate" type="application/atom\+xml" title="[^"]*" '
        r'href="([^"]+)">',
        page,
    )
    assert link is not None and "/flode/" in link[1]
    response = app.test_client().get(link[1])
    assert response.status_code == 200
    assert response.mimetype == "application/atom+xml"
    feed = parse_xml(response.data)
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert titles and titles[0].startswith("Månadsbrev")
    self_link = feed.find(f"{ATOM}link[@rel='self']")
    assert self_link is not None and self_link.get("href") == link[1]


def test_the_plan_page_advertises_its_feeds_for_each_reader_alone(
    app: Flask, client: FlaskClient, programme: dict[str, Any]
) -> None:
    login(client, "staff@test.se")
    address(client)
    plan_page = f"/plans/{programme['plan']}"
    client.get(plan_page)  # fills the page cache
    staff_page = client.get(plan_page).get_data(as_text=True)
    atom = re.search(
        r'type="application/atom\+xml" title="[^"]*" href="([^"]+)"', staff_page
    )
    ics = re.search(r'type="text/calendar" title="[^"]*" href="([^"]+)"', staff_page)
    assert atom is not None and ics is not None
    leader = app.test_client()
    login(leader, "lead@test.se")
    leader_page = leader.get(plan_page).get_data(as_text=True)
    assert atom[1] not in leader_page  # never another reader's address
    build(
        app,
        lambda s: assignments.move_assignment(
            s,
            s.scalars(select(Person).where(Person.email == "lead@test.se")).one(),
            s.get(assignments.Assignment, programme["assignment"]),
            stages.list_stages(s)[1],
        ),
    )
    anonymous = app.test_client()
    feed = parse_xml(anonymous.get(atom[1]).data)
    entries = [e.findtext(f"{ATOM}title") or "" for e in feed.iter(f"{ATOM}entry")]
    assert entries[0].endswith("Utse processägare från Planerad till Pågår")
    calendar = Calendar.from_ical(anonymous.get(ics[1]).data)
    summaries = [str(e["SUMMARY"]) for e in calendar.walk("VEVENT")]
    assert "Milstolpe: Delrapport (Utse processägare)" in summaries


def test_wrong_and_revoked_tokens_are_a_plain_404_that_changes_nothing(
    app: Flask, client: FlaskClient, programme: dict[str, Any]
) -> None:
    login(client, "staff@test.se")
    url = address(client)
    token = url.split("/flode/")[1].split("/")[0]
    anonymous = app.test_client()
    missing = main_of(anonymous.get("/finns-inte").get_data(as_text=True))
    for wrong in ("x", token[:-1] + ("A" if token[-1] != "A" else "B"), "a" * 500):
        response = anonymous.get(f"/flode/{wrong}/kalender.ics")
        assert response.status_code == 404
        assert main_of(response.get_data(as_text=True)) == missing  # nothing more
        assert anonymous.get(f"/flode/{wrong}/blogg.atom").status_code == 404
    renewed = address(client)
    assert renewed != url
    assert anonymous.get(url).status_code == 404  # the old one stopped at once
    assert anonymous.get(renewed).status_code == 200
    assert post_form(client, "/flode/adress/aterkalla").status_code == 302
    assert anonymous.get(renewed).status_code == 404
    assert "Skapa min flödesadress" in client.get("/me/").get_data(as_text=True)
    with app.app_context():
        assert get_session().scalars(select(FeedToken)).all() == []
    assert anonymous.get(f"/flode/{token}/plan/finns-inte.atom").status_code == 404


def test_only_a_hash_of_the_token_is_stored(
    app: Flask, programme: dict[str, Any]
) -> None:
    def make(s: Any) -> tuple[str, FeedToken]:
        staff = s.scalars(select(Person).where(Person.email == "staff@test.se")).one()
        token = tokens.create_feed_token(
            s, staff, secret_key="test", now=datetime.now(UTC)
        )
        return token, s.get(FeedToken, staff.id)

    token, row = build(app, make)
    assert token not in (row.token_hash, row.nonce)
    with app.app_context():
        assert tokens.person_for_feed_token(get_session(), token) is not None
        assert (
            tokens.feed_token_of(get_session(), row.person_id, secret_key="test")
            == token
        )
        assert (
            tokens.feed_token_of(get_session(), row.person_id, secret_key="x") is None
        )


def unsubscribe_link(app: Flask, email: str) -> str:
    def make(s: Any) -> str:
        person = s.scalars(select(Person).where(Person.email == email)).one()
        return tokens.unsubscribe_token(person.id, secret_key="test")

    return f"/avregistrera/{build(app, make)}"


def schedule_of(app: Flask, email: str) -> EmailSchedule:
    with app.app_context():
        s = get_session()
        person = s.scalars(select(Person).where(Person.email == email)).one()
        row = notifications.settings_of(s, person.id, default=EmailSchedule.WEEKLY)
        return row.schedule


def test_one_click_unsubscribe_works_without_login_or_csrf(
    app: Flask, programme: dict[str, Any]
) -> None:
    link = unsubscribe_link(app, "staff@test.se")
    anonymous = app.test_client()
    page = anonymous.get(link)
    assert page.status_code == 200
    assert "Vill du sluta få e-post om det du följer, Mats Medarbetare?" in (
        page.get_data(as_text=True)
    )
    assert (
        schedule_of(app, "staff@test.se") is EmailSchedule.WEEKLY
    )  # GET changes nothing
    # what a mail program sends for RFC 8058: no cookie, no CSRF token
    done = anonymous.post(link, data={"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert "Du får inte längre e-post om det du följer" in done.get_data(as_text=True)
    assert schedule_of(app, "staff@test.se") is EmailSchedule.NEVER


@pytest.mark.parametrize(
    "forged",
    ["MQ.forged-signature", "x", "bm9wZQ.AAAAAAAAAAAAAAAAAAAAAAAAAAA", "a" * 500],
)
def test_a_forged_unsubscribe_token_is_refused_and_changes_nothing(
    app: Flask, programme: dict[str, Any], forged: str
) -> None:
    anonymous = app.test_client()
    assert anonymous.get(f"/avregistrera/{forged}").status_code == 404
    refused = anonymous.post(
        f"/avregistrera/{forged}", data={"List-Unsubscribe": "One-Click"}
    )
    assert refused.status_code in (400, 404)
    assert schedule_of(app, "staff@test.se") is EmailSchedule.WEEKLY


def test_a_token_signed_with_another_key_is_refused(
    app: Flask, programme: dict[str, Any]
) -> None:
    def make(s: Any) -> str:
        person = s.scalars(select(Person).where(Person.email == "staff@test.se")).one()
        return tokens.unsubscribe_token(person.id, secret_key="another key")

    forged = build(app, make)
    response = app.test_client().post(
        f"/avregistrera/{forged}", data={"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 404
    assert schedule_of(app, "staff@test.se") is EmailSchedule.WEEKLY
