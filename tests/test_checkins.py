"""Check-ins: booked over HTTP, invitations with .ics, updates, cancellations, notes."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from conftest import login, post_form
from factories import make_assignment, make_group, make_person
from flask import Flask
from flask.testing import FlaskClient
from icalendar import Calendar
from sqlalchemy import func, select

from tracker.db import get_session
from tracker.models.assignments import ProgressReport
from tracker.models.checkins import CheckIn
from tracker.models.groups import MemberRole
from tracker.models.mail import OutboxMessage
from tracker.models.people import Role
from tracker.services import groups, people

NEXT_WEEK = (datetime.now(UTC) + timedelta(days=7)).date().isoformat()
BOOKING = {
    "title": "Avstämning inför styrgruppen",
    "day": NEXT_WEEK,
    "starts": "13:30",
    "ends": "14:30",
    "location": "https://möte.example.se/abc",
    "agenda": "1. Läget\n2. Risker",
}


def build(app: Flask, fn: Any) -> Any:
    with app.app_context():
        result = fn(get_session())
        get_session().commit()
        return result


@pytest.fixture
def world(app: Flask) -> dict[str, Any]:
    """An assignment with a responsible person, a group lead, a member and a citizen."""

    def make(s: Any) -> dict[str, Any]:
        leader = make_person(s, email="ledning@test.se", role=Role.LEADERSHIP)
        responsible = make_person(s, email="ansvarig@test.se", name="Ansa Ansvarig")
        lead = make_person(s, email="lead@test.se", name="Leo Ledare")
        member = make_person(s, email="member@test.se", name="Mia Medlem")
        outsider = make_person(s, email="annan@test.se")
        citizen = people.create_person(
            s,
            None,
            people.PersonValues(name="Invånare Cecilia", email="cecilia@example.se"),
            external=True,
            consent_on=date(2026, 1, 2),
        )
        quiet = people.create_person(
            s,
            None,
            people.PersonValues(name="Invånare David"),
            external=True,
            consent_on=date(2026, 1, 2),
        )
        assignment = make_assignment(
            s, title="Utse processägare", responsible=responsible
        )
        group = make_group(s, name="Utvecklingsgruppen", assignments=[assignment])
        today = date(2026, 1, 5)
        groups.add_member(s, None, group, lead, role=MemberRole.LEAD, today=today)
        for person in (member, citizen, quiet):
            groups.add_member(s, None, group, person, today=today)
        return {
            "assignment": assignment.id,
            "group": group.slug,
            "leader": leader.id,
            "outsider": outsider.email,
        }

    return build(app, make)


def outbox(app: Flask) -> list[OutboxMessage]:
    with app.app_context():
        return list(
            get_session().scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        )


def invitation(message: OutboxMessage) -> Calendar:
    (attachment,) = message.attachments or []
    assert attachment["filename"] == "avstamning.ics"
    return Calendar.from_ical(attachment["text"])


def book(client: FlaskClient, world: dict[str, Any], **changes: str) -> Any:
    return post_form(
        client, f"/avstamningar/ny/uppdrag/{world['assignment']}", BOOKING | changes
    )


def test_leadership_books_and_everyone_gets_a_calendar_invitation(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    login(client, "ledning@test.se")
    response = book(client, world)
    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Avstämningen är bokad och inbjudningarna är skickade." in page
    assert "13:30–14:30" in page and "Invånare Cecilia" in page
    messages = outbox(app)
    # the citizen without an address gets nothing; the organiser gets a copy
    assert sorted(m.to[0] for m in messages) == [
        "ansvarig@test.se",
        "cecilia@example.se",
        "lead@test.se",
        "ledning@test.se",
        "member@test.se",
    ]
    first = messages[0]
    assert first.subject.startswith("Avstämning: Avstämning inför styrgruppen, ")
    assert first.attachments[0]["content_type"] == "text/calendar; method=REQUEST"
    calendar = invitation(first)
    assert str(calendar["METHOD"]) == "REQUEST"
    (event,) = calendar.walk("VEVENT")
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == "Europe/Stockholm"
    assert str(event["UID"]).startswith("checkin-") and event["UID"].endswith(
        "@tracker.test"
    )
    assert int(event["SEQUENCE"]) == 0 and str(event["STATUS"]) == "CONFIRMED"
    start = event.decoded("DTSTART")
    assert start.tzinfo is not None and str(start.tzinfo) == "Europe/Stockholm"
    assert (start.hour, start.minute) == (13, 30)
    assert event.decoded("DTEND") - start == timedelta(hours=1)
    attendees = sorted(str(a) for a in event.get("ATTENDEE"))
    assert "mailto:member@test.se" in attendees and len(attendees) == 4
    assert str(event["ORGANIZER"]) == "mailto:ledning@test.se"


def test_a_change_raises_the_sequence_and_a_cancellation_cancels(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    login(client, "ledning@test.se")
    location = book(client, world).headers["Location"]
    checkin_id = int(location.rsplit("/", 1)[1])
    sent = len(outbox(app))
    changed = post_form(
        client,
        f"/avstamningar/{checkin_id}/andra",
        BOOKING | {"starts": "14:00", "ends": "15:00"},
    )
    assert changed.status_code == 302
    updates = outbox(app)[sent:]
    assert len(updates) == sent  # everyone again
    assert updates[0].subject.startswith("Ändrat: ")
    (event,) = invitation(updates[0]).walk("VEVENT")
    assert int(event["SEQUENCE"]) == 1 and event.decoded("DTSTART").hour == 14
    same = post_form(
        client,
        f"/avstamningar/{checkin_id}/andra",
        BOOKING | {"starts": "14:00", "ends": "15:00"},
    )
    assert same.status_code == 302 and len(outbox(app)) == 2 * sent  # nothing changed
    cancelled = post_form(client, f"/avstamningar/{checkin_id}/stall-in")
    assert cancelled.status_code == 302
    last = outbox(app)[2 * sent :]
    assert last[0].subject.startswith("Inställt: ")
    calendar = invitation(last[0])
    (event,) = calendar.walk("VEVENT")
    assert str(calendar["METHOD"]) == "CANCEL"
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 2
    assert last[0].attachments[0]["content_type"] == "text/calendar; method=CANCEL"
    page = client.get(f"/avstamningar/{checkin_id}").get_data(as_text=True)
    assert "Den här avstämningen är inställd." in page
    again = post_form(client, f"/avstamningar/{checkin_id}/stall-in")
    assert again.status_code == 302 and len(outbox(app)) == 3 * sent


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"day": "2020-03-01"}, "day", "Välj en tid som inte har passerat."),
        ({"ends": "12:00"}, "ends", "Mötet måste sluta efter att det börjar."),
        ({"title": "  "}, "title", "Skriv en rubrik."),
        ({"day": "2026-02-30"}, "day", None),
    ],
)
def test_bad_bookings_get_a_swedish_message_by_the_field_and_change_nothing(
    app: Flask,
    client: FlaskClient,
    world: dict[str, Any],
    changes: dict[str, str],
    field: str,
    message: str | None,
) -> None:
    login(client, "ledning@test.se")
    response = book(client, world, **changes)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    error = re.search(rf'<p class="error" id="{field}-error">([^<]*)</p>', page)
    assert error is not None, page
    if message:
        assert error[1].strip() == message
    assert f'aria-describedby="{field}-error"' in page or f'{field}-error"' in page
    with app.app_context():
        assert get_session().scalar(select(func.count(CheckIn.id))) == 0
    assert outbox(app) == []


def test_the_responsible_person_and_group_leads_may_book_members_may_not(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    login(client, "ansvarig@test.se")
    assert book(client, world).status_code == 302
    login(client, "lead@test.se")
    group = post_form(client, f"/avstamningar/ny/grupp/{world['group']}", BOOKING)
    assert group.status_code == 302
    login(client, "member@test.se")
    assert book(client, world).status_code == 403
    assert client.get(f"/avstamningar/ny/grupp/{world['group']}").status_code == 403
    login(client, world["outsider"])
    assert book(client, world).status_code == 403


def test_after_the_meeting_its_notes_become_a_progress_report_once(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    login(client, "ledning@test.se")
    checkin_id = int(book(client, world).headers["Location"].rsplit("/", 1)[1])
    notes = {
        "assignment_id": str(world["assignment"]),
        "notes": "Vi bestämde **tre** saker.",
    }
    early = post_form(client, f"/avstamningar/{checkin_id}/anteckningar", notes)
    assert "kan sparas när avstämningen har börjat" in client.get(
        early.headers["Location"]
    ).get_data(as_text=True)

    def happened(s: Any) -> None:
        checkin = s.get(CheckIn, checkin_id)
        checkin.starts_at = datetime.now(UTC) - timedelta(hours=2)
        checkin.ends_at = datetime.now(UTC) - timedelta(hours=1)

    build(app, happened)
    login(client, "member@test.se")  # a member of the assignment's group
    page = client.get(f"/avstamningar/{checkin_id}").get_data(as_text=True)
    assert "Spara som lägesrapport" in page
    saved = post_form(client, f"/avstamningar/{checkin_id}/anteckningar", notes)
    assert saved.headers["Location"].endswith(
        f"/assignments/{world['assignment']}#timeline"
    )
    timeline = client.get(saved.headers["Location"]).get_data(as_text=True)
    assert "Anteckningar från avstämningen ”Avstämning inför styrgruppen”" in timeline
    assert "<strong>tre</strong>" in timeline
    twice = post_form(client, f"/avstamningar/{checkin_id}/anteckningar", notes)
    assert twice.status_code == 302
    with app.app_context():
        assert get_session().scalar(select(func.count(ProgressReport.id))) == 1
    assert "Läs rapporten" in client.get(f"/avstamningar/{checkin_id}").get_data(
        as_text=True
    )


def test_the_assignment_and_group_pages_list_check_ins_and_offer_booking(
    app: Flask, client: FlaskClient, world: dict[str, Any]
) -> None:
    login(client, "ledning@test.se")
    book(client, world)
    page = client.get(f"/assignments/{world['assignment']}").get_data(as_text=True)
    assert "Avstämning inför styrgruppen" in page and "Boka en avstämning" in page
    login(client, "member@test.se")
    page = client.get(f"/assignments/{world['assignment']}").get_data(as_text=True)
    assert "Avstämning inför styrgruppen" in page and "Boka en avstämning" not in page
    group_page = client.get(f"/groups/{world['group']}").get_data(as_text=True)
    assert "Avstämningar" in group_page
