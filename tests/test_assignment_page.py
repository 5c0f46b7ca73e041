"""The assignment page from the page cache: the right forms for each reader, the
newest history first with "Visa fler", new content after every change."""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import build, logged_in, post_form, statements_of
from factories import make_assignment, make_group, make_person
from flask import Flask

from tracker.models.people import Role
from tracker.services import groups
from tracker.services.programme import milestones

REPORT_FORM = "/reports"  # the report form posts to /assignments/<id>/reports


def _team(session: Any) -> tuple[int, int]:
    member = make_person(session, name="Mia Medlem", email="mia@test.se")
    make_person(session, name="Olle Annan", email="olle@test.se")
    make_person(session, email="ledning@test.se", role=Role.LEADERSHIP)
    assignment = make_assignment(session, title="Pilot i Ungdomsenheten")
    group = make_group(session, assignments=[assignment])
    groups.add_member(session, None, group, member, today=date(2026, 1, 5))
    return assignment.id, member.id


def test_only_those_who_may_report_get_the_form_whoever_filled_the_cache(
    app: Flask,
) -> None:
    assignment_id, _ = build(app, _team)
    url = f"/assignments/{assignment_id}"
    mia, olle = logged_in(app, "mia@test.se"), logged_in(app, "olle@test.se")
    for _round in range(2):  # the second round is served from the cache
        member_page = mia.get(url).get_data(as_text=True)
        other_page = olle.get(url).get_data(as_text=True)
        assert f"{url}{REPORT_FORM}" in member_page
        assert f"{url}{REPORT_FORM}" not in other_page
        assert "Pilot i Ungdomsenheten" in other_page


def test_a_new_report_shows_at_once_on_the_cached_page(app: Flask) -> None:
    assignment_id, _ = build(app, _team)
    url = f"/assignments/{assignment_id}"
    mia, olle = logged_in(app, "mia@test.se"), logged_in(app, "olle@test.se")
    olle.get(url)
    assert "Första intervjuerna klara" not in olle.get(url).get_data(as_text=True)
    answer = post_form(
        mia,
        f"{url}{REPORT_FORM}",
        {"reported_on": "2026-11-03", "body": "Första intervjuerna klara."},
    )
    assert answer.status_code == 302
    assert "Första intervjuerna klara" in olle.get(url).get_data(as_text=True)


def test_the_history_shows_the_newest_twenty_and_visa_fler_shows_the_rest(
    app: Flask,
) -> None:
    def many_changes(session: Any) -> int:
        assignment_id, _ = _team(session)
        from tracker.models.assignments import Assignment

        assignment = session.get(Assignment, assignment_id)
        for number in range(25):
            milestones.add_milestone(
                session, None, assignment, title=f"Steg {number:02d}", due_on=None
            )
        return assignment_id

    assignment_id = build(app, many_changes)
    leader = logged_in(app, "ledning@test.se")
    page = leader.get(f"/assignments/{assignment_id}").get_data(as_text=True)
    history = page.split('id="history-heading"', 1)[1]
    assert history.count("<tr") - 1 == 20  # the header row and the newest 20
    assert "Steg 24" in history and "Steg 04" not in history
    assert "Visa fler" in history
    more = leader.get(f"/assignments/{assignment_id}?historik=alla")
    everything = more.get_data(as_text=True).split('id="history-heading"', 1)[1]
    assert "Steg 00" in everything and "Steg 24" in everything
    assert "Visa fler" not in everything


def test_booking_and_evaluating_follow_each_readers_standing_on_a_cached_page(
    app: Flask,
) -> None:
    """A group lead may book a check-in, a plain member may not, the responsible
    person is asked to evaluate an ended assignment: whoever filled the cache."""

    def ended_team(session: Any) -> int:
        from tracker import clock
        from tracker.models.groups import MemberRole
        from tracker.services.programme import assignments

        lead = make_person(session, name="Lena Lead", email="lena@test.se")
        member = make_person(session, name="Mia Medlem", email="mia@test.se")
        owner = make_person(session, name="Rut Ansvarig", email="rut@test.se")
        assignment = make_assignment(session, title="Pilot i Ungdomsenheten")
        assignment.responsible_id = owner.id
        group = make_group(session, assignments=[assignment])
        day = date(2026, 1, 5)
        groups.add_member(session, None, group, lead, role=MemberRole.LEAD, today=day)
        groups.add_member(session, None, group, member, today=day)
        assignments.close_assignment(
            session, None, assignment, outcome="Klart.", now=clock.moment()
        )
        return assignment.id

    assignment_id = build(app, ended_team)
    url = f"/assignments/{assignment_id}"
    readers = {
        name: logged_in(app, f"{name}@test.se") for name in ("mia", "lena", "rut")
    }
    for _round in range(2):  # the second round is served from the cache
        pages = {name: c.get(url).get_data(as_text=True) for name, c in readers.items()}
        assert "Boka en avstämning" not in pages["mia"]
        assert "Boka en avstämning" in pages["lena"]
        assert "Boka en avstämning" in pages["rut"]
        assert ">Utvärdera<" in pages["rut"]
        assert ">Utvärdera<" not in pages["mia"] + pages["lena"]


def test_a_cached_assignment_page_costs_a_staff_member_three_queries(
    app: Flask,
) -> None:
    assignment_id, _ = build(app, _team)
    url = f"/assignments/{assignment_id}"
    mia = logged_in(app, "mia@test.se")
    mia.get(url)  # fills the cache
    statements = statements_of(app, mia, url)
    # the login (with the data version), the reader's standing, the follow button
    assert len(statements) <= 3, statements
