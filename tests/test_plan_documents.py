"""A plan page links its documents folder, set in the plan form like an assignment's."""

from __future__ import annotations

from conftest import login, post_form
from factories import make_person, make_plan
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tracker.db import get_session
from tracker.models.people import Role
from tracker.models.plans import ActionPlan

FOLDER = "\\\\kommun\\handlingsplaner\\Tillit"


def _world(app: Flask) -> str:
    with app.app_context():
        db = get_session()
        plan = make_plan(db, title="Tillit")
        make_person(db, email="chef@test.se", role=Role.LEADERSHIP)
        make_person(db, email="lasare@test.se")
        db.commit()
        return plan.slug


def _form(slug: str, link: str) -> dict[str, str]:
    return {
        "title": "Tillit",
        "goal": "Ett mål.",
        "position": "1",
        "documents_link": link,
    }


def test_a_saved_folder_path_shows_on_the_cached_plan_page(
    app: Flask, client: FlaskClient
) -> None:
    """The page seen before the edit is cached; the new path shows right after."""
    slug = _world(app)
    login(client, "chef@test.se")
    before = client.get(f"/plans/{slug}").get_data(as_text=True)
    assert "kommun" not in before
    response = post_form(client, f"/plans/{slug}/edit", _form(slug, FOLDER))
    assert response.status_code == 302
    page = client.get(f"/plans/{slug}").get_data(as_text=True)
    assert '<code id="documents-path" class="copy-source">' + FOLDER in page
    assert "Kopiera sökvägen" in page
    other = app.test_client()
    login(other, "lasare@test.se")
    assert FOLDER in other.get(f"/plans/{slug}").get_data(as_text=True)


def test_a_web_address_is_a_link_and_the_public_sees_no_folder(
    app: Flask, client: FlaskClient
) -> None:
    """Intranet links are for logged-in readers; a web address is followed."""
    slug = _world(app)
    login(client, "chef@test.se")
    url = "https://intranat.kommun.se/handlingsplaner/tillit"
    post_form(client, f"/plans/{slug}/edit", _form(slug, url))
    page = client.get(f"/plans/{slug}").get_data(as_text=True)
    assert f'<a href="{url}" rel="noopener noreferrer">{url}</a>' in page
    public = app.test_client()
    assert url not in public.get(f"/plans/{slug}").get_data(as_text=True)


def test_a_link_that_is_no_address_or_path_is_refused_with_a_message(
    app: Flask, client: FlaskClient
) -> None:
    """The assignment's rule: javascript: is refused, the plan keeps its link."""
    slug = _world(app)
    login(client, "chef@test.se")
    response = post_form(
        client, f"/plans/{slug}/edit", _form(slug, "javascript:alert(1)")
    )
    assert response.status_code == 200
    assert "https://" in response.get_data(as_text=True)  # the rule's explanation
    with app.app_context():
        plan = get_session().scalars(select(ActionPlan).filter_by(slug=slug)).one()
        assert plan.documents_link == ""


def test_a_new_plan_gets_its_folder_at_once_and_a_bad_one_creates_nothing(
    app: Flask, client: FlaskClient
) -> None:
    """The new-plan form has the documents field too; a refused link is told on the
    form and no plan is created."""
    _world(app)
    login(client, "chef@test.se")
    assert 'name="documents_link"' in client.get("/plans/new").get_data(as_text=True)
    refused = post_form(
        client, "/plans/new", _form("", "javascript:alert(1)") | {"title": "Ny plan"}
    )
    assert refused.status_code == 200
    assert "https://" in refused.get_data(as_text=True)  # the rule's explanation
    created = post_form(client, "/plans/new", _form("", FOLDER) | {"title": "Ny plan"})
    assert created.status_code == 302
    with app.app_context():
        plans = get_session().scalars(select(ActionPlan).filter_by(title="Ny plan"))
        assert [plan.documents_link for plan in plans] == [FOLDER]
