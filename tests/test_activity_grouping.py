"""Repeated events are one row in the activity feed and on the overview, counted over
what the reader may see, with each event one click away."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import build, login
from factories import (
    happened_at,
    make_application,
    make_assignment,
    make_open_call,
    make_person,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import event, select
from sqlalchemy.engine import Connection

from tracker.models.activity import ActivityEvent
from tracker.models.people import Person, Role
from tracker.services import activity_groups
from tracker.services.programme import assignments

EARLIER = datetime(2026, 1, 2, 8, 0, tzinfo=UTC)
MORNING = datetime(2026, 1, 12, 8, 0, tzinfo=UTC)
NEXT_DAY = datetime(2026, 1, 13, 8, 0, tzinfo=UTC)


def client_for(app: Flask, email: str) -> FlaskClient:
    client = app.test_client()
    login(client, email)
    return client


def _readers(session: Any) -> None:
    with happened_at(session, EARLIER):
        make_person(session, email="ledning@test.se", role=Role.LEADERSHIP)
        make_person(session, name="Sara Staff", email="sara@test.se")


def _applications(session: Any, count: int, when: datetime = MORNING) -> Any:
    group = make_open_call(session, name="Multiteamsgruppen")
    with happened_at(session, EARLIER):
        applicants = [make_person(session, name=f"Sökande {n}") for n in range(count)]
    with happened_at(session, when):
        for person in applicants:
            make_application(session, group, person)
    return group


def person_by_email(session: Any, email: str) -> Person:
    return session.scalars(select(Person).filter_by(email=email)).one()


def rows(page: str) -> list[str]:
    """The feed's rows (top-level items, details included) as text without tags."""
    events = page.split('<ul class="events">', 1)[1]
    found: list[str] = []
    depth = 0
    for token in re.split(r"(</?ul[^>]*>|<li>)", events):
        if token.startswith("<ul"):
            depth += 1
        elif token == "</ul>":
            if depth == 0:
                break
            depth -= 1
        elif token == "<li>" and depth == 0:
            found.append("")
        elif found:
            found[-1] += re.sub(r"<[^>]+>", " ", token) + " "
    return [" ".join(row.split()) for row in found]


def test_many_applications_to_one_group_are_one_row_for_leadership(
    app: Flask,
) -> None:
    """25 skickade en anmälan rows become "25 anmälningar till Multiteamsgruppen"."""
    build(app, _readers)
    build(app, lambda s: _applications(s, 25))
    page = client_for(app, "ledning@test.se").get("/activity/").get_data(as_text=True)
    found = [row for row in rows(page) if "Multiteamsgruppen" in row]
    # the group's own creation and opening are rows of their own
    crowd = [row for row in found if "anmälningar" in row]
    assert len(crowd) == 1
    assert crowd[0].startswith("25 anmälningar till Multiteamsgruppen")
    assert "Visa var och en av de 25 händelserna" in crowd[0]
    # each applicant is one click away, as before: leadership saw them already
    assert "Sökande 0" in crowd[0]
    assert "Sökande 24" in crowd[0]
    assert page.count("skickade en anmälan till") == 25  # only inside the details


def test_staff_see_no_count_and_no_name_of_other_applicants(app: Flask) -> None:
    """Grouping runs on what the reader may see: a staff member sees nothing of it."""
    build(app, _readers)
    build(app, lambda s: _applications(s, 5))
    staff = client_for(app, "sara@test.se")
    for path in ("/activity/", "/activity/?page=1", "/"):
        shown = " ".join(rows(staff.get(path).get_data(as_text=True)))
        assert "anmälningar till" not in shown
        assert "anmälan till" not in shown
        assert "Visa var och en" not in shown


def test_an_applicant_sees_her_own_application_alone(app: Flask) -> None:
    """Her own event is shown (not the role's cached page), never the others'."""

    def world(session: Any) -> None:
        _readers(session)
        group = _applications(session, 3)
        sara = person_by_email(session, "sara@test.se")
        with happened_at(session, MORNING):
            make_application(session, group, sara)

    build(app, world)
    page = client_for(app, "sara@test.se").get("/activity/").get_data(as_text=True)
    mine = [row for row in rows(page) if "anmälan" in row]
    assert len(mine) == 1
    assert mine[0].startswith("Sara Staff skickade en anmälan till Multiteamsgruppen")
    assert "Visa var och en" not in mine[0]  # not counted with the others' three


def test_a_run_is_cut_by_another_event_and_by_the_day(app: Flask) -> None:
    """Consecutive events on one Stockholm day: not across days, not around others."""

    def world(session: Any) -> None:
        _readers(session)
        group = make_open_call(session, name="Multiteamsgruppen")
        with happened_at(session, EARLIER):
            people = [make_person(session) for _ in range(9)]
        with happened_at(session, MORNING):
            for person in people[:2]:
                make_application(session, group, person)
        with happened_at(session, NEXT_DAY):
            for person in people[2:5]:
                make_application(session, group, person)
            make_assignment(session, title="Mellanspel")
            for person in people[5:]:
                make_application(session, group, person)

    build(app, world)
    page = client_for(app, "ledning@test.se").get("/activity/").get_data(as_text=True)
    summaries = [row.split(" Multiteamsgruppen")[0] for row in rows(page)]
    crowd = [s for s in summaries if "anmälningar till" in s]
    assert crowd == [
        "4 anmälningar till",
        "3 anmälningar till",
        "2 anmälningar till",
    ]


def test_one_person_changing_one_assignment_again_and_again_is_one_row(
    app: Flask,
) -> None:
    """ "ändrade uppdraget X (3 gånger)": the same actor, verb and object."""

    def world(session: Any) -> None:
        _readers(session)
        leader = person_by_email(session, "ledning@test.se")
        assignment = make_assignment(session, title="Piloten")
        with happened_at(session, MORNING):
            for word in ("ett", "två", "tre"):
                values = assignments.AssignmentValues(title="Piloten", description=word)
                assignments.update_assignment(session, leader, assignment, values)

    build(app, world)
    page = client_for(app, "ledning@test.se").get("/activity/").get_data(as_text=True)
    changed = [row for row in rows(page) if "ändrade" in row and "Piloten" in row]
    assert len(changed) == 1
    assert "(3 gånger)" in changed[0]


def _many(session: Any, count: int) -> None:
    """*count* applications the way applications.apply records them, quickly."""
    with happened_at(session, EARLIER):
        group = make_open_call(session, name="Multiteamsgruppen")
    session.add_all(
        ActivityEvent(
            actor_label=f"Sökande {number}",
            verb="applied",
            object_type="Application",
            object_id=number + 1,
            object_label="Multiteamsgruppen",
            group_id=group.id,
            created_at=MORNING.replace(minute=number % 60, second=number // 60),
        )
        for number in range(count)
    )


def test_a_run_across_pages_is_counted_on_each_page_and_says_so(app: Flask) -> None:
    """Pages are cut by events (50 a page): 60 applications are 50 here, 10 there."""
    build(app, _readers)
    build(app, lambda s: _many(s, 60))
    leader = client_for(app, "ledning@test.se")
    first = rows(leader.get("/activity/").get_data(as_text=True))
    assert first[0].startswith("50 anmälningar till Multiteamsgruppen")
    assert "Fler av dessa bland äldre händelser." in first[0]
    assert len(first) == 1
    second = rows(leader.get("/activity/?page=2").get_data(as_text=True))
    assert second[0].startswith("10 anmälningar till Multiteamsgruppen")
    assert "Fler av dessa bland nyare händelser." in second[0]
    assert "Fler av dessa bland äldre" not in second[0]


def test_the_filtered_feed_still_takes_at_most_three_queries(
    app: Flask, connection: Connection
) -> None:
    """Reading one event more on each side of the page costs no query."""
    build(app, _readers)
    build(app, lambda s: _many(s, 120))
    leader = client_for(app, "ledning@test.se")
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(connection, "before_cursor_execute", note)
    try:
        page = leader.get("/activity/?page=2&actor=S%C3%B6kande").get_data(as_text=True)
    finally:
        event.remove(connection, "before_cursor_execute", note)
    assert "50 anmälningar till" in page
    assert 1 <= len(seen) <= 3  # the reader, the plans to filter by, the page


def test_the_overview_shows_a_run_as_one_of_its_ten_rows(app: Flask) -> None:
    """Leadership: one counted row; the public: no application row at all."""
    build(app, _readers)
    build(app, lambda s: _applications(s, 12))
    page = client_for(app, "ledning@test.se").get("/").get_data(as_text=True)
    assert "12 anmälningar till" in page
    assert "Visa var och en av de 12 händelserna" in page
    public = app.test_client().get("/").get_data(as_text=True)
    assert "anmälningar till" not in public
    assert "Sökande" not in public


@pytest.mark.parametrize("count", [1, 2])
def test_group_events_keeps_a_single_event_a_plain_row(count: int) -> None:
    """One event is a row of one; the phrase is for two or more."""
    events = [
        ActivityEvent(
            id=n,
            actor_label="A",
            verb="applied",
            object_type="Application",
            object_label="G",
            group_id=1,
            created_at=MORNING,
        )
        for n in range(count)
    ]
    (row,) = activity_groups.group_events(events)
    assert row.count == count
    assert row.is_crowd is (count > 1)


def test_one_person_doing_the_same_to_several_plans_is_one_row(app: Flask) -> None:
    """ "Systemet ändrade 3 handlingsplaner", each plan one click away; a change by
    someone else in between cuts the run."""
    from factories import make_plan

    from tracker.services.programme import plans as plan_service

    def world(session: Any) -> None:
        _readers(session)
        with happened_at(session, EARLIER):
            plans = [make_plan(session, title=f"Plan {n}") for n in "ABCD"]
        leader = person_by_email(session, "ledning@test.se")
        with happened_at(session, MORNING):
            for plan in plans[:3]:
                plan_service.set_documents_link(
                    session, None, plan, f"https://intra.example/{plan.slug}"
                )
            plan_service.set_documents_link(
                session, leader, plans[3], "https://intra.example/d"
            )

    build(app, world)
    page = client_for(app, "ledning@test.se").get("/activity/").get_data(as_text=True)
    series = [row for row in rows(page) if "3 handlingsplaner" in row]
    assert len(series) == 1
    assert all(f"Plan {n}" in series[0] for n in "ABC")  # in its list of events
    assert "Plan D" not in series[0]
    assert any("Plan D" in row and "handlingsplaner" not in row for row in rows(page))
