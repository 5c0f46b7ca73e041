"""Leadership and staff flows over HTTP, with CSRF on, as a browser sends them."""

from __future__ import annotations

from typing import Any

import pytest
from conftest import login, post_form
from factories import make_assignment, make_group, make_person, make_plan
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tracker.db import get_session
from tracker.models.assignments import Assignment, ProgressReport
from tracker.models.groups import WorkingGroup
from tracker.models.people import Role
from tracker.services import groups, people
from tracker.services.programme import stages


def build(app: Flask, fn: Any) -> Any:
    with app.app_context():
        result = fn(get_session())
        get_session().commit()
        return result


@pytest.fixture
def leader_client(app: Flask, client: FlaskClient) -> FlaskClient:
    build(app, lambda s: make_person(s, email="ledning@test.se", role=Role.LEADERSHIP))
    login(client, "ledning@test.se")
    return client


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model)) or 0


def test_leader_creates_an_assignment_and_moves_it(
    app: Flask, leader_client: FlaskClient
) -> None:
    plan = build(app, lambda s: make_plan(s, title="Införa huvudhandläggare"))
    response = post_form(
        leader_client,
        f"/assignments/new/{plan.slug}",
        {
            "title": "Pilot i Ungdomsenheten",
            "description": "**Femtio** unga vuxna",
            "starts_on": "2026-01-10",
            "ends_on": "2026-06-30",
            "documents_link": "",
        },
    )
    assert response.status_code == 302
    page = leader_client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Pilot i Ungdomsenheten" in page and "<strong>Femtio</strong>" in page
    assignment_id = int(response.headers["Location"].rsplit("/", 1)[1])
    doing = build(app, lambda s: stages.list_stages(s)[1].id)
    moved = post_form(
        leader_client, f"/assignments/{assignment_id}/move", {"stage_id": doing}
    )
    assert moved.status_code == 302
    feed = leader_client.get("/activity/").get_data(as_text=True)
    assert "flyttade uppdraget" in feed
    assert "från Planerad till Pågår" in feed
    plan_page = leader_client.get(f"/plans/{plan.slug}").get_data(as_text=True)
    assert "Pilot i Ungdomsenheten" in plan_page


def test_invalid_assignment_form_shows_swedish_errors_and_saves_nothing(
    app: Flask, leader_client: FlaskClient
) -> None:
    plan = build(app, make_plan)
    before = count(app, Assignment)
    response = post_form(
        leader_client,
        f"/assignments/new/{plan.slug}",
        {"title": "", "starts_on": "2026-06-01", "ends_on": "2026-01-01"},
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Det här fältet är obligatoriskt." in page
    assert count(app, Assignment) == before
    response = post_form(
        leader_client,
        f"/assignments/new/{plan.slug}",
        {"title": "Ett uppdrag", "starts_on": "2026-06-01", "ends_on": "2026-01-01"},
    )
    assert "Slutdatum får inte vara före startdatum." in response.get_data(as_text=True)
    assert count(app, Assignment) == before


def test_leader_creates_a_group_and_bad_seats_are_refused(
    app: Flask, leader_client: FlaskClient
) -> None:
    before = count(app, WorkingGroup)
    bad = post_form(
        leader_client,
        "/groups/new",
        {"name": "Testgruppen", "seats": "0", "recruitment": "invited"},
    )
    assert "Antalet platser måste vara mellan 1 och 500." in bad.get_data(as_text=True)
    assert count(app, WorkingGroup) == before
    good = post_form(
        leader_client,
        "/groups/new",
        {
            "name": "Testgruppen",
            "seats": "5",
            "recruitment": "invited",
            "starts_on": "2026-01-01",
            "ends_on": "2026-03-01",
        },
    )
    assert good.headers["Location"] == "/groups/testgruppen"
    page = leader_client.get("/groups/testgruppen").get_data(as_text=True)
    assert "0 av 5" in page
    duplicate = post_form(
        leader_client,
        "/groups/new",
        {"name": "testgruppen", "seats": "5", "recruitment": "invited"},
    )
    assert "Det finns redan en arbetsgrupp med det namnet." in duplicate.get_data(
        as_text=True
    )


def test_member_reports_progress_but_outsider_cannot(
    app: Flask, client: FlaskClient
) -> None:
    def setup(s: Any) -> Assignment:
        assignment = make_assignment(s)
        group = make_group(s, assignments=[assignment])
        member = make_person(s, email="member@test.se")
        make_person(s, email="outsider@test.se")
        groups.add_member(s, None, group, member, today=group.starts_on)
        return assignment

    assignment = build(app, setup)
    login(client, "member@test.se")
    page = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    assert "Lägg till rapport" in page
    response = post_form(
        client,
        f"/assignments/{assignment.id}/reports",
        {"reported_on": "2026-11-03", "body": "Vi har *kommit igång*."},
    )
    assert response.status_code == 302
    page = client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    assert "<em>kommit igång</em>" in page
    post_form(client, "/logout")
    login(client, "outsider@test.se")
    assert "Lägg till rapport" not in client.get(
        f"/assignments/{assignment.id}"
    ).get_data(as_text=True)
    denied = post_form(
        client,
        f"/assignments/{assignment.id}/reports",
        {"reported_on": "2026-11-03", "body": "Intrång"},
    )
    assert denied.status_code == 403
    assert count(app, ProgressReport) == 1


def test_markdown_is_sanitised_on_the_page(
    app: Flask, leader_client: FlaskClient
) -> None:
    assignment = build(
        app,
        lambda s: make_assignment(
            s,
            description="<script>alert(1)</script>[x](javascript:alert(2)) "
            "<img src=x onerror=alert(3)>",
        ),
    )
    page = leader_client.get(f"/assignments/{assignment.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in page
    assert "javascript:alert" not in page
    assert "onerror" not in page


def test_search_finds_plans_assignments_and_groups(
    app: Flask, leader_client: FlaskClient
) -> None:
    def setup(s: Any) -> None:
        plan = make_plan(s, title="Dela myndighet och planering")
        make_assignment(s, plan, title="Gemensam planeringsmall")
        make_group(s, name="Planeringsgruppen")

    build(app, setup)
    page = leader_client.get("/search/", query_string={"q": "planering"}).get_data(
        as_text=True
    )
    assert "Dela myndighet och planering" in page
    assert "Gemensam planeringsmall" in page
    assert "Planeringsgruppen" in page
    assert "3 träffar" in page


def test_external_participant_needs_consent(
    app: Flask, leader_client: FlaskClient
) -> None:
    missing = post_form(leader_client, "/people/external/new", {"name": "Invånare Eva"})
    assert missing.status_code == 200
    ok = post_form(
        leader_client,
        "/people/external/new",
        {
            "name": "Invånare Eva",
            "consent_on": "2026-11-01",
            "consent_note": "Muntligt vid träff",
        },
    )
    assert ok.status_code == 302
    page = leader_client.get(ok.headers["Location"]).get_data(as_text=True)
    assert "Samtycke lämnat" in page


def test_activity_feed_filters_by_plan_and_dates(
    app: Flask, leader_client: FlaskClient
) -> None:
    def setup(s: Any) -> tuple[int, int]:
        first, second = make_plan(s, title="Plan Ett"), make_plan(s, title="Plan Två")
        make_assignment(s, first, title="Uppdrag i ett")
        make_assignment(s, second, title="Uppdrag i två")
        return first.id, second.id

    first_id, _ = build(app, setup)
    page = leader_client.get("/activity/", query_string={"plan": first_id}).get_data(
        as_text=True
    )
    assert "Uppdrag i ett" in page and "Uppdrag i två" not in page
    empty = leader_client.get("/activity/", query_string={"until": "2000-01-01"})
    assert "Inget matchar." in empty.get_data(as_text=True)
    bad = leader_client.get("/activity/", query_string={"since": "igår"})
    assert bad.status_code == 200
    assert "ÅÅÅÅ-MM-DD" in bad.get_data(as_text=True)


def test_activity_feed_filters_by_part_of_a_group_name(
    app: Flask, leader_client: FlaskClient
) -> None:
    def setup(s: Any) -> None:
        for name in ("Multiteamsgruppen", "Invånarpanelen"):
            group = make_group(s, name=name, seats=3)
            person = make_person(s, name=f"Medlem i {name}")
            groups.add_member(s, None, group, person, today=group.starts_on)

    build(app, setup)
    page = leader_client.get("/activity/", query_string={"group_name": "multiteam"})
    text = page.get_data(as_text=True)
    assert "Multiteamsgruppen" in text and "Invånarpanelen" not in text
    assert 'value="multiteam"' in text  # the field keeps what was asked for
    none = leader_client.get("/activity/", query_string={"group_name": "100%_"})
    assert "Inget matchar." in none.get_data(as_text=True)


def test_my_pages_show_my_groups_and_assignments(
    app: Flask, client: FlaskClient
) -> None:
    def setup(s: Any) -> None:
        assignment = make_assignment(s, title="Mitt uppdrag")
        group = make_group(s, name="Min grupp", assignments=[assignment])
        me = make_person(s, email="me@test.se")
        groups.add_member(s, None, group, me, today=group.starts_on)

    build(app, setup)
    login(client, "me@test.se")
    page = client.get("/me/").get_data(as_text=True)
    assert "Min grupp" in page and "Mitt uppdrag" in page


def test_profile_edit_rejects_a_taken_email(app: Flask, client: FlaskClient) -> None:
    build(
        app,
        lambda s: (
            make_person(s, email="a@test.se"),
            make_person(s, email="b@test.se"),
        ),
    )
    login(client, "a@test.se")
    response = post_form(client, "/me/profile", {"name": "A", "email": "b@test.se"})
    assert "En annan person har redan den e-postadressen." in response.get_data(
        as_text=True
    )


def test_leader_adds_a_member_by_email_or_name(
    app: Flask, leader_client: FlaskClient
) -> None:
    def setup(s: Any) -> str:
        make_person(s, name="Anna Berg", email="anna@test.se")
        make_person(s, name="Per Holm", email="per1@test.se")
        make_person(s, name="Per Holm", email="per2@test.se")
        return str(make_group(s, name="Medlemsgruppen", seats=3).slug)

    slug = build(app, setup)
    post_form(
        leader_client,
        f"/groups/{slug}/members",
        {"person": "anna@test.se", "role": "lead"},
    )
    ambiguous = post_form(
        leader_client,
        f"/groups/{slug}/members",
        {"person": "Per Holm", "role": "member"},
        follow_redirects=True,
    )
    assert "Flera personer har det namnet" in ambiguous.get_data(as_text=True)
    unknown = post_form(
        leader_client,
        f"/groups/{slug}/members",
        {"person": "Ingen Alls", "role": "member"},
        follow_redirects=True,
    )
    assert "Ingen med det namnet" in unknown.get_data(as_text=True)
    page = leader_client.get(f"/groups/{slug}").get_data(as_text=True)
    assert "Anna Berg" in page and "Samordnare" in page and "1 av 3" in page
    leader = build(app, lambda s: people.find_by_email(s, "ledning@test.se").name)
    mine = leader_client.get("/activity/", query_string={"actor": leader[-3:]})
    assert "lade till en medlem i" in mine.get_data(as_text=True)
    nobody = leader_client.get("/activity/", query_string={"actor": "Ingen sådan"})
    assert "Inget matchar." in nobody.get_data(as_text=True)


def test_overview_shows_a_change_at_once_despite_its_cache(
    app: Flask, leader_client: FlaskClient
) -> None:
    plan = build(app, lambda s: make_plan(s, title="Första planen"))
    first = leader_client.get("/").get_data(as_text=True)
    assert "Första planen" in first
    build(app, lambda s: make_assignment(s, s.merge(plan), title="Nytt uppdrag"))
    again = leader_client.get("/").get_data(as_text=True)
    assert "0 av 1 uppdrag klara" in again
    post_form(leader_client, "/language", {"lang": "en", "next": "/"})
    assert "0 of 1 assignments done" in leader_client.get("/").get_data(as_text=True)
