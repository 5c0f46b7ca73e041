"""The JSON API: tokens, the same role checks as the pages, problems, paging, ETags."""

from __future__ import annotations

import json
from datetime import date, timedelta
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
        "/decisions",
        "/me/needs",
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
    assert len(operations) == 15
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "/api/v1/assignments/{assignment_id}/stage" in page


def _decisions(app: Flask) -> list[int]:
    """Three decisions of two bodies (two on the same day), oldest first."""
    from tracker.services.governance import decisions

    with app.app_context():
        db = get_session()
        decisions.ensure_bodies(db)
        board, management = decisions.list_bodies(db)[:2]
        made = [
            decisions.record_decision(
                db,
                None,
                decisions.DecisionValues(
                    decided_on=day, body_id=body.id, title=title, reference=ref
                ),
            )
            for day, body, title, ref in (
                (date(2026, 3, 1), board, "Budget för kartläggning", "KS 2026/1"),
                (date(2026, 4, 2), management, "Ny arbetsgrupp", "FL 2026/7"),
                (date(2026, 4, 2), board, "Avsluta piloten", "KS 2026/9"),
            )
        ]
        db.commit()
        return [d.id for d in made]


def test_decisions_are_read_filtered_and_paged_like_the_register(
    app: Flask, client: FlaskClient, api_world: World
) -> None:
    budget, group, pilot = _decisions(app)
    token = api_world.tokens["staff"]  # every login reads decisions
    everything = call(client, "GET", "/decisions", token).get_json()
    # the api_world's decision of 10 January is the oldest
    assert [d["id"] for d in everything["items"]][:3] == [pilot, group, budget]
    seen, cursor = [], None
    while True:
        query = {"limit": 1} | ({"cursor": cursor} if cursor else {})
        page = call(client, "GET", "/decisions", token, query_string=query).get_json()
        seen += [d["id"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen[:3] == [pilot, group, budget] and len(seen) == 4
    found = call(client, "GET", "/decisions", token, query_string={"q": "2026/7"})
    assert [d["title"] for d in found.get_json()["items"]] == ["Ny arbetsgrupp"]
    board_id = everything["items"][0]["body_id"]
    board = call(client, "GET", "/decisions", token, query_string={"body": board_id})
    assert [d["id"] for d in board.get_json()["items"]][:2] == [pilot, budget]
    one = call(client, "GET", f"/decisions/{budget}", token).get_json()
    assert one["title"] == "Budget för kartläggning"
    assert one["reference"] == "KS 2026/1" and one["decided_on"] == "2026-03-01"
    assert one["body"] == everything["items"][0]["body"]
    missing = call(client, "GET", "/decisions/99999", token)
    assert missing.status_code == 404
    assert missing.get_json()["detail"] == "Det finns inget beslut 99999."
    assert call(client, "GET", "/decisions", None).status_code == 401
    wrong = call(client, "GET", "/decisions", token, query_string={"body": "x"})
    assert wrong.status_code == 422 and "body" in wrong.get_json()["errors"]["query"]


def test_what_needs_me_is_mine_and_leadership_also_sees_the_programme(
    app: Flask, client: FlaskClient, api_world: World
) -> None:
    from factories import make_assignment, make_plan

    with app.app_context():
        db = get_session()
        staff = db.scalar(select(Person).where(Person.email == "personal@api.se"))
        member = db.scalar(select(Person).where(Person.email == "medlem@api.se"))
        assert staff is not None and member is not None
        plan = make_plan(db)
        late = clock.today() - timedelta(days=3)
        make_assignment(db, plan, title="Mitt sena uppdrag", responsible=staff)
        make_assignment(db, plan, title="Annans sena uppdrag", responsible=member)
        for assignment in plan.assignments:
            assignment.starts_on = late - timedelta(days=30)
            assignment.ends_on = late
        db.commit()
    mine = call(client, "GET", "/me/needs", api_world.tokens["staff"]).get_json()
    texts = " ".join(n["sentence"] for n in mine["items"])
    assert "Mitt sena uppdrag" in texts
    assert "Annans sena uppdrag" not in texts  # never another person's items
    ends = [n for n in mine["items"] if n["kind"] == "assignment_end"]
    assert len(ends) == 1 and "Mitt sena uppdrag" in ends[0]["sentence"]
    own = ends[0]
    assert own["severity"] == "late"
    assert own["date"] == late.isoformat() and own["link"].startswith("/")
    theirs = call(client, "GET", "/me/needs", api_world.tokens["member"]).get_json()
    assert "Mitt sena uppdrag" not in " ".join(n["sentence"] for n in theirs["items"])
    leader = call(client, "GET", "/me/needs", api_world.tokens["leader"]).get_json()
    both = " ".join(n["sentence"] for n in leader["items"])
    assert "Mitt sena uppdrag" in both and "Annans sena uppdrag" in both
    assert call(client, "GET", "/me/needs", None).status_code == 401
