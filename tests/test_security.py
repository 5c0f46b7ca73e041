"""Headers, cookies, redirects, hostile input and forged webhooks, as attackers try."""

from __future__ import annotations

import hashlib
import hmac
import json
from base64 import b64encode
from urllib.parse import urlsplit

import pytest
from conftest import csrf_token, login, make_test_app, post_form
from factories import make_person, make_plan
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, func, select

from tracker.db import get_session
from tracker.models.activity import ActivityEvent
from tracker.models.people import Role
from tracker.models.plans import ActionPlan


@pytest.fixture
def staff(app: Flask) -> str:
    """A staff login; returns its e-mail."""
    with app.app_context():
        make_person(get_session(), email="staff@sec.se")
        get_session().commit()
    return "staff@sec.se"


def csp(response: object) -> dict[str, list[str]]:
    """The Content-Security-Policy as directive -> sources."""
    header = response.headers["Content-Security-Policy"]  # type: ignore[attr-defined]
    parts = [p.split() for p in header.split(";") if p.strip()]
    return {p[0]: p[1:] for p in parts}


@pytest.mark.parametrize("path", ["/login", "/tillganglighet", "/finns-inte"])
def test_every_answer_carries_the_security_headers(
    client: FlaskClient, path: str
) -> None:
    """CSP without inline script, no framing, no sniffing, a strict referrer."""
    response = client.get(path)
    policy = csp(response)
    scripts = policy.get("script-src", policy["default-src"])
    assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts
    assert "*" not in scripts and "data:" not in scripts
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] in {"same-origin", "no-referrer"}
    assert response.headers["X-Frame-Options"] == "DENY"


def test_hsts_over_https_only(db_url: str, connection: Connection) -> None:
    """HSTS when the request came over HTTPS, never on a plain-HTTP answer."""
    plain = make_test_app(db_url, PUBLIC_URL="http://127.0.0.1:5000").test_client()
    assert "Strict-Transport-Security" not in plain.get("/login").headers
    secure = plain.get("/login", base_url="https://127.0.0.1:5000")
    assert "max-age=31536000" in secure.headers["Strict-Transport-Security"]


def test_session_cookie_is_httponly_lax_and_secure_in_production(
    app: Flask, client: FlaskClient, staff: str
) -> None:
    """PUBLIC_URL https:// (production): the session cookie is Secure too."""
    assert app.config["PUBLIC_URL"].startswith("https://")
    response = login(client, staff)
    cookie = response.headers["Set-Cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "secure" in cookie


def test_session_cookie_is_not_secure_on_plain_http(
    db_url: str, connection: Connection
) -> None:
    """A demo on http://127.0.0.1 must still be able to log in."""
    app = make_test_app(db_url, PUBLIC_URL="http://127.0.0.1:5000")
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


OFFSITE = [
    "https://evil.example/",
    "//evil.example/",
    "///evil.example/",
    "////evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    " //evil.example",
    "https:evil.example",
    "http:/evil.example",
    "javascript:alert(1)",
    "/%0d%0aLocation:%20https://evil.example",
    "\r\nLocation: https://evil.example",
    "data:text/html,<script>alert(1)</script>",
]


def assert_stays_here(location: str) -> None:
    """A redirect target that stays on this site."""
    parts = urlsplit(location)
    assert parts.scheme in ("", "http", "https")
    assert parts.netloc in ("", "localhost"), location
    assert not parts.path.startswith("//") and "\\" not in parts.path
    assert "\n" not in location and "\r" not in location


@pytest.mark.parametrize("target", OFFSITE)
def test_login_next_never_leaves_the_site(
    client: FlaskClient, staff: str, target: str
) -> None:
    """?next= after login: only local paths are followed."""
    token = csrf_token(client)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": staff, "password": "password123", "csrf_token": token},
    )
    assert response.status_code == 302
    assert_stays_here(response.headers["Location"])


@pytest.mark.parametrize("target", OFFSITE)
def test_language_switch_never_leaves_the_site(
    client: FlaskClient, target: str
) -> None:
    """The language form's hidden next field is checked the same way."""
    response = post_form(client, "/language", {"lang": "en", "next": target})
    assert response.status_code == 302
    assert_stays_here(response.headers["Location"])


def test_login_redirect_keeps_the_requested_local_page(
    client: FlaskClient, staff: str
) -> None:
    """Being sent to log in and back works for local pages, query included."""
    response = client.get("/activity/?since=2026-01-01")
    assert response.status_code == 302
    login_url = response.headers["Location"]
    token = csrf_token(client)
    answer = client.post(
        login_url, data={"email": staff, "password": "password123", "csrf_token": token}
    )
    assert answer.headers["Location"] == "/activity/?since=2026-01-01"


def test_nul_bytes_are_refused_and_nothing_is_stored(
    app: Flask, client: FlaskClient, connection: Connection
) -> None:
    """PostgreSQL cannot store NUL: the request gets a 400, not a 500."""
    with app.app_context():
        make_person(get_session(), email="lead@sec.se", role=Role.LEADERSHIP)
        get_session().commit()
    login(client, "lead@sec.se")
    response = post_form(client, "/plans/new", {"title": "Plan\x00", "goal": "x"})
    assert response.status_code == 400
    count = select(func.count()).select_from(ActionPlan)
    assert connection.execute(count).scalar() == 0
    assert client.get("/search/", query_string={"q": "a\x00"}).status_code == 400


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1000-01-01"])
def test_activity_feed_refuses_absurd_dates_politely(
    client: FlaskClient, staff: str, day: str
) -> None:
    """Year 1 or 9999 used to overflow into a server error."""
    login(client, staff)
    for name in ("since", "until"):
        response = client.get("/activity/", query_string={name: day})
        assert response.status_code == 200


def test_oversized_request_is_refused(client: FlaskClient, staff: str) -> None:
    """A body over MAX_CONTENT_LENGTH gets 413, not a worker busy for minutes."""
    login(client, staff)
    token = csrf_token(client, "/me/profile")
    response = client.post(
        "/me/profile", data={"csrf_token": token, "name": "x" * (3 * 1024 * 1024)}
    )
    assert response.status_code == 413


def test_forged_trello_webhooks_are_refused(
    db_url: str, connection: Connection
) -> None:
    """Unsigned, wrongly signed or replayed-to-another-URL calls change nothing."""
    secret = "trello-app-secret"
    app = make_test_app(
        db_url,
        TRELLO={"APP_SECRET": secret, "WEBHOOK_CALLBACK_URL": ""},
    )
    app.extensions["tracker.sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    with app.app_context():
        make_plan(get_session())
        get_session().commit()
    events = select(func.count()).select_from(ActivityEvent)
    before = connection.execute(events).scalar()
    client = app.test_client()
    body = json.dumps({"action": {"type": "updateCard", "data": {}}}).encode()
    callback = "https://tracker.test/trello/webhook"
    good = b64encode(
        hmac.new(secret.encode(), body + callback.encode(), hashlib.sha1).digest()
    ).decode()
    elsewhere = b64encode(
        hmac.new(
            secret.encode(), body + b"https://evil.example/", hashlib.sha1
        ).digest()
    ).decode()
    for signature in [None, "", "AAAA", elsewhere, good[:-4] + "AAA="]:
        headers = {} if signature is None else {"X-Trello-Webhook": signature}
        response = client.post(
            "/trello/webhook",
            data=body,
            headers=headers,
            content_type="application/json",
        )
        assert response.status_code in (401, 403), signature
    assert connection.execute(events).scalar() == before
    signed = client.post(  # control: Trello's own signature is accepted
        "/trello/webhook",
        data=body,
        headers={"X-Trello-Webhook": good},
        content_type="application/json",
    )
    assert signed.status_code in (200, 410)


def test_one_address_cannot_spray_a_password_over_every_account(
    app: Flask, client: FlaskClient, staff: str
) -> None:
    """Per-account throttling alone lets one address try "Sommar2026" on all."""
    limit = app.config["LOGIN_MAX_FAILURES"] * 10
    for number in range(limit):
        answer = login(client, f"user{number}@sec.se", "Sommar2026")
        assert answer.status_code == 200
    response = login(client, staff)  # the right password, from the same address
    assert response.status_code == 429
    elsewhere = app.test_client()
    token = csrf_token(elsewhere)
    answer = elsewhere.post(
        "/login",
        data={"email": staff, "password": "password123", "csrf_token": token},
        environ_base={"REMOTE_ADDR": "10.1.2.3"},
    )
    assert answer.status_code == 302  # other addresses are not locked out


def test_behind_a_trusted_proxy_https_and_the_client_address_are_seen(
    db_url: str, connection: Connection
) -> None:
    app = make_test_app(db_url, PROXY_COUNT=1)
    app.extensions["tracker.sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    client = app.test_client()
    forwarded = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.7"}
    response = client.get("/login", headers=forwarded)
    assert "max-age=" in response.headers["Strict-Transport-Security"]
    direct = make_test_app(db_url).test_client().get("/login", headers=forwarded)
    assert (
        "Strict-Transport-Security" not in direct.headers
    )  # untrusted headers ignored
