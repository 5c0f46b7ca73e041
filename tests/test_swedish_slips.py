"""The Swedish pages without the slips leadership found: words where words are meant,
Babel's numbers, an assignment's whole history in words, a favicon."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import login, post_form
from factories import make_assignment, make_group, make_person
from flask import Flask
from flask.testing import FlaskClient

from tracker.clock import now
from tracker.db import get_session
from tracker.models.people import Role
from tracker.services import groups
from tracker.services.programme import milestones


def build(app: Flask, fn: Any) -> Any:
    with app.app_context():
        result = fn(get_session())
        get_session().commit()
        return result


def text_of(html: str) -> str:
    """The page's words, tags and repeated white space removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def member_and_assignment(app: Flask, client: FlaskClient) -> Any:
    def setup(s: Any) -> Any:
        assignment = make_assignment(s, title="Pilot i Ungdomsenheten")
        group = make_group(s, name="Pilotgruppen", assignments=[assignment])
        member = make_person(s, email="member@test.se", name="Maja Medlem")
        groups.add_member(s, None, group, member, today=group.starts_on)
        milestone = milestones.add_milestone(
            s, member, assignment, title="Kickoff", due_on=None
        )
        return assignment, milestone

    assignment, milestone = build(app, setup)
    login(client, "member@test.se")
    return assignment, milestone


def test_login_page_asks_in_swedish(client: FlaskClient) -> None:
    page = client.get("/anmalningar/", follow_redirects=True).get_data(as_text=True)
    assert "Please log in" not in page
    assert "Logga in för att se sidan." in page


def test_favicon_is_served_and_linked(client: FlaskClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert icon.data[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/login").get_data(as_text=True)
    assert 'rel="icon"' in page


def test_empty_report_list_is_a_sentence_not_a_numbered_item(
    client: FlaskClient, member_and_assignment: Any
) -> None:
    assignment, _milestone = member_and_assignment
    page = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    assert "Inga rapporter än." in page
    assert not re.search(r"<li>\s*Inga rapporter än", page)


def test_milestone_date_is_not_called_a_due_date(
    app: Flask, client: FlaskClient
) -> None:
    assignment = build(app, lambda s: make_assignment(s))
    build(app, lambda s: make_person(s, email="ledning@test.se", role=Role.LEADERSHIP))
    login(client, "ledning@test.se")
    page = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    assert "Förfallodatum" not in page
    assert "Klart senast" in page


def test_assignment_history_has_milestone_ticks_and_reports_in_words(
    app: Flask, client: FlaskClient, member_and_assignment: Any
) -> None:
    assignment, milestone = member_and_assignment
    post_form(client, f"/assignments/milestones/{milestone.id}/toggle")
    post_form(
        client,
        f"/assignments/{assignment.id}/reports",
        {"reported_on": "2026-11-03", "body": "Vi har kommit igång."},
    )
    page = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    history = text_of(page.split('id="history-heading"', 1)[1])
    assert "klarmarkerade milstolpen Kickoff" in history
    assert "rapporterade om uppdraget Pilot i Ungdomsenheten" in history
    assert "report id" not in history and "report_id" not in history
    assert "Klar: Nej → Ja" in history


def test_history_names_what_changed_state_and_the_column_is_a_change(
    app: Flask, client: FlaskClient
) -> None:
    from tracker.models.groups import GroupState

    def setup(s: Any) -> Any:
        group = make_group(s, name="Nätverket")
        groups.set_state(s, None, group, GroupState.ACTIVE, now())
        make_person(s, email="ledning@test.se", role=Role.LEADERSHIP)
        return group

    group = build(app, setup)
    login(client, "ledning@test.se")
    page = client.get(f"/groups/{group.slug}").get_data(as_text=True)
    history = text_of(page.split('id="history-heading"', 1)[1])
    assert re.search(r"ändrade läget för arbetsgruppen Nätverket", history)
    assert "Ändring" in history and "Byt" not in history


def test_percentages_and_decimals_use_the_swedish_comma(app: Flask) -> None:
    with app.test_request_context():
        render = app.jinja_env.from_string(
            "{{ 0.205|percent(1) }}|{{ 0.2|percent }}|{{ 3.25|decimal(2) }}"
        ).render
        assert render() == "20,5\u00a0%|20\u00a0%|3,25"
