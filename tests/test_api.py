"""The JSON API: tokens, the same role checks as the pages, problems, paging, ETags."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from api_world import World
from conftest import login, post_form
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tracker import clock
from tracker.db import get_session
from tracker.models.accounts import ApiToken
from tracker.models.people import Person
from tracker.services.accounts import api_tokens


def call(
    client: FlaskClient, method: str, path: str, token: str | None, **kwargs: Any
) -> Any:
    headers = dict(kwargs.pop("headers", {}))
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    return client.open("/api/v1" + path, method=method, headers=headers, **kwargs)


def test_without_a_token_nothing_is_read_and_the_problem_is_swedish_or_english(
    client: FlaskClient, api_world: World
) -> None:
    response = call(client, "GET", "/plans", None)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert response.get_json()["title"] == "Inte inloggad"
    english = call(client, "GET", "/plans", None, headers={"Accept-Language": "en"})
    assert english.get_json()["title"] == "Not authenticated"
    for token in ("trk_wrong", "fel", api_world.tokens["leader"] + "x"):
        refused = call(client, "GET", "/plans", token)
        assert refused.status_code == 401
        assert refused.get_json()["detail"] == "API-nyckeln är inte giltig."


def test_expired_and_revoked_tokens_are_refused(
    app: Flask, client: FlaskClient, api_world: World
) -> None:
    secret = api_world.tokens["staff"]
    with app.app_context():
        db = get_session()
        token = db.scalar(
            select(ApiToken).where(ApiToken.token_hash == api_tokens.token_hash(secret))
        )
        assert token is not None and secret not in {token.token_hash, token.name}
        token.expires_on = clock.today() - timedelta(days=1)
        db.commit()
    assert (
        call(client, "GET", "/plans", secret).get_json()["detail"]
        == "API-nyckeln har gått ut."
    )
    with app.app_context():
        db = get_session()
        token = db.get(ApiToken, token.id)
        assert token is not None
        token.expires_on = clock.today() + timedelta(days=1)
        person = db.get(Person, token.person_id)
        assert person is not None
        assert api_tokens.revoke_token(db, person, token.id, now=clock.now())
        db.commit()
    assert (
        call(client, "GET", "/plans", secret).get_json()["detail"]
        == "API-nyckeln har återkallats."
    )


def test_plans_page_by_cursor_and_answer_304_to_a_known_etag(
    client: FlaskClient, api_world: World
) -> None:
    token = api_world.tokens["staff"]
    seen, cursor = [], None
    while True:
        query = {"limit": 2} | ({"cursor": cursor} if cursor else {})
        page = call(client, "GET", "/assignments", token, query_string=query).get_json()
        assert len(page["items"]) <= 2
        seen += [item["id"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) >= 6
    first = call(client, "GET", f"/plans/{api_world.plan_slug}", token)
    assert first.status_code == 200 and first.get_json()["slug"] == api_world.plan_slug
    again = call(
        client,
        "GET",
        f"/plans/{api_world.plan_slug}",
        token,
        headers={"If-None-Match": first.headers["ETag"]},
    )
    assert again.status_code == 304 and again.data == b""
    bad = call(client, "GET", "/plans", token, query_string={"cursor": "!!"})
    assert bad.status_code == 422 and bad.mimetype == "application/problem+json"
    assert "cursor" in bad.get_json()["errors"]["query"]


def test_no_applicant_and_no_unconsented_external_name_is_ever_shown(
    client: FlaskClient, api_world: World
) -> None:
    token = api_world.tokens["leader"]
    members = call(
        client, "GET", f"/groups/{api_world.group_slug}/memberships", token
    ).get_json()
    external = [m["person"] for m in members["items"] if m["person"]["external"]]
    assert external == [{"id": api_world.external.id, "name": None, "external": True}]
    paths = [
        "/plans",
        "/assignments",
        "/groups",
        f"/groups/{api_world.open_call_slug}",
        f"/groups/{api_world.open_call_slug}/memberships",
        "/activity",
        "/stages",
    ]
    for path in paths:
        text = json.dumps(
            call(client, "GET", path, token).get_json(), ensure_ascii=False
        )
        assert "Hemlig motivering" not in text and "applied" not in text, path
        # her name only as a staff member (her profile's creation), never as applicant
        assert path == "/activity" or "Anna Sökande" not in text, path
        assert "Ester Extern" not in text, path
    for role in ("leader", "staff"):
        feed = call(client, "GET", "/activity", api_world.tokens[role]).get_json()
        assert feed["items"]
        assert all(e["object_type"] != "Application" for e in feed["items"])


def test_writes_follow_the_pages_role_checks(
    client: FlaskClient, api_world: World
) -> None:
    path = f"/assignments/{api_world.assignment_id}/stage"
    read_only = call(
        client, "PUT", path, api_world.tokens["reader"], json={"stage": "Pågår"}
    )
    assert read_only.status_code == 403
    assert read_only.get_json()["detail"] == "Den här API-nyckeln får bara läsa."
    assert (
        call(
            client, "PUT", path, api_world.tokens["staff"], json={"stage": "Pågår"}
        ).status_code
        == 403
    )
    wrong = call(
        client, "PUT", path, api_world.tokens["leader"], json={"stage": "Nästan klar"}
    )
    assert wrong.status_code == 422 and "Planerad" in wrong.get_json()["detail"]
    shape = call(client, "PUT", path, api_world.tokens["leader"], json={"stege": 3})
    assert shape.status_code == 422 and "stage" in shape.get_json()["errors"]["json"]
    moved = call(
        client, "PUT", path, api_world.tokens["leader"], json={"stage": "Pågår"}
    )
    assert moved.status_code == 200 and moved.get_json()["stage"] == "Pågår"
    reports = f"/assignments/{api_world.assignment_id}/reports"
    assert (
        call(
            client, "POST", reports, api_world.tokens["staff"], json={"body": "Hej"}
        ).status_code
        == 403
    )
    added = call(
        client,
        "POST",
        reports,
        api_world.tokens["member"],
        json={"body": "Vi har börjat.", "reported_on": "2026-03-01"},
    )
    assert added.status_code == 201 and added.get_json()["reported_on"] == "2026-03-01"
    done = f"/milestones/{api_world.milestone_id}/done"
    assert (
        call(
            client, "PUT", done, api_world.tokens["staff"], json={"done": True}
        ).status_code
        == 403
    )
    ticked = call(client, "PUT", done, api_world.tokens["member"], json={"done": True})
    assert ticked.status_code == 200 and ticked.get_json()["done"] is True
    got = call(
        client,
        "GET",
        f"/assignments/{api_world.assignment_id}",
        api_world.tokens["staff"],
    ).get_json()
    assert got["stage"] == "Pågår" and got["milestones"][0]["done"] is True


def test_unknown_addresses_and_methods_answer_as_problems(
    client: FlaskClient, api_world: World
) -> None:
    token = api_world.tokens["staff"]
    missing = call(client, "GET", "/assignments/99999999999", token)
    assert missing.status_code == 404 and missing.mimetype == "application/problem+json"
    assert (
        call(client, "GET", "/plans/finns-inte", token).get_json()["detail"]
        == "Det finns ingen handlingsplan finns-inte."
    )
    method = call(client, "DELETE", "/plans", token)
    assert method.status_code == 405 and "GET" in method.headers["Allow"]
    assert method.mimetype == "application/problem+json"
    page = client.get("/finns-inte")
    assert page.status_code == 404 and page.mimetype == "text/html"


def test_tokens_are_made_shown_once_and_revoked_on_my_pages(
    app: Flask, client: FlaskClient, api_world: World
) -> None:
    login(client, "personal@api.se")
    expires = (clock.today() + timedelta(days=10)).isoformat()
    page = post_form(
        client,
        "/me/api-nycklar/",
        {"name": "Power BI", "scope": "read", "expires_on": expires},
    )
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "visas bara den här gången" in text
    secret = text.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert secret.startswith("trk_")
    assert call(client, "GET", "/plans", secret).status_code == 200
    listed = client.get("/me/api-nycklar/").get_data(as_text=True)
    assert "Power BI" in listed and secret not in listed
    too_long = post_form(
        client,
        "/me/api-nycklar/",
        {"name": "x", "scope": "read", "expires_on": "2099-01-01"},
    )
    assert "inom ett år" in too_long.get_data(as_text=True)
    with app.app_context():
        token = get_session().scalar(
            select(ApiToken).where(ApiToken.name == "Power BI")
        )
        assert token is not None
        token_id = token.id
    other = post_form(client, f"/me/api-nycklar/{token_id + 1000}/aterkalla")
    assert other.status_code == 404
    post_form(client, f"/me/api-nycklar/{token_id}/aterkalla")
    assert call(client, "GET", "/plans", secret).status_code == 401


def test_the_openapi_document_and_its_page(client: FlaskClient) -> None:
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    operations = [
        m for item in document["paths"].values() for m in item if m != "parameters"
    ]
    assert len(operations) == 12
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/assignments/{assignment_id}/stage" in page
