"""Login, logout, throttling, ?next=, roles, CSRF and language over HTTP."""

from __future__ import annotations

import pytest
from conftest import csrf_token, login, post_form
from factories import make_person
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tracker.db import get_session
from tracker.models.people import Role


@pytest.fixture
def staff(app, client: FlaskClient):  # type: ignore[no-untyped-def]
    with app.app_context():
        person = make_person(get_session(), email="staff@test.se")
        get_session().commit()
    return person


def test_anonymous_is_sent_to_login(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert "/login?next=" in response.headers["Location"]


def test_login_page_is_swedish(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="sv">' in page
    assert "Logga in" in page and "E-postadress" in page and "Lösenord" in page
    assert "Hoppa till innehållet" in page
    assert "Tillgänglighetsredogörelse" in page


def test_login_then_overview(client: FlaskClient, staff) -> None:  # type: ignore[no-untyped-def]
    response = login(client, "staff@test.se")
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "Översikt" in page


def test_wrong_password_says_so_in_swedish(client: FlaskClient, staff) -> None:  # type: ignore[no-untyped-def]
    response = login(client, "staff@test.se", "fel-lösenord")
    assert response.status_code == 200
    assert "Fel e-postadress eller lösenord." in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_is_throttled_after_repeated_failures(client: FlaskClient, staff) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        login(client, "staff@test.se", "wrong")
    response = login(client, "staff@test.se")  # even the right password waits now
    assert response.status_code == 429
    assert "För många misslyckade försök" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
    ],
)
def test_next_never_leaves_the_site(client: FlaskClient, staff, target: str) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(client)
    response = client.post(
        "/login",
        query_string={"next": target},
        data={"email": "staff@test.se", "password": "password123", "csrf_token": token},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_next_to_a_local_page_is_followed(client: FlaskClient, staff) -> None:  # type: ignore[no-untyped-def]
    token = csrf_token(client)
    response = client.post(
        "/login",
        query_string={"next": "/groups/"},
        data={"email": "staff@test.se", "password": "password123", "csrf_token": token},
    )
    assert response.headers["Location"] == "/groups/"


def test_post_without_csrf_token_is_refused(client: FlaskClient, staff) -> None:  # type: ignore[no-untyped-def]
    response = client.post(
        "/login", data={"email": "staff@test.se", "password": "password123"}
    )
    assert response.status_code == 400
    assert client.get("/").status_code == 302


def test_staff_gets_403_on_leadership_pages(client: FlaskClient, staff) -> None:  # type: ignore[no-untyped-def]
    login(client, "staff@test.se")
    response = client.get("/plans/new")
    assert response.status_code == 403
    assert "Ingen behörighet" in response.get_data(as_text=True)


def test_unknown_id_is_a_swedish_404(client: FlaskClient, staff) -> None:  # type: ignore[no-untyped-def]
    login(client, "staff@test.se")
    response = client.get("/assignments/999999")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)


def test_logout(client: FlaskClient, staff) -> None:  # type: ignore[no-untyped-def]
    login(client, "staff@test.se")
    post_form(client, "/logout")
    assert client.get("/").status_code == 302


def test_change_password(client: FlaskClient, staff, app) -> None:  # type: ignore[no-untyped-def]
    login(client, "staff@test.se")
    response = post_form(
        client,
        "/password",
        {
            "current": "password123",
            "new": "nytt-lösenord-1",
            "confirm": "nytt-lösenord-1",
        },
    )
    assert response.status_code == 302
    post_form(client, "/logout")
    assert (
        login(client, "staff@test.se", "password123").status_code == 200
    )  # old one fails
    assert login(client, "staff@test.se", "nytt-lösenord-1").status_code == 302


def test_english_can_be_chosen(client: FlaskClient) -> None:
    post_form(client, "/language", {"lang": "en", "next": "/login"})
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en">' in page and "Log in" in page


def test_every_endpoint_declares_a_role(app) -> None:  # type: ignore[no-untyped-def]
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        assert rule.endpoint == "static" or hasattr(view, "required_role"), (
            rule.endpoint
        )


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers
    https = client.get("/login", base_url="https://tracker.test")
    assert "max-age=" in https.headers["Strict-Transport-Security"]


def test_session_cookie_flags(client: FlaskClient, staff) -> None:  # type: ignore[no-untyped-def]
    response = login(client, "staff@test.se")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_inactive_login_cannot_log_in(client: FlaskClient, staff, app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        session: Session = get_session()
        person = session.merge(staff)
        person.active = False
        session.commit()
    assert login(client, "staff@test.se").status_code == 200


def test_admin_may_open_leadership_pages(client: FlaskClient, app) -> None:  # type: ignore[no-untyped-def]
    with app.app_context():
        make_person(get_session(), email="admin@test.se", role=Role.ADMIN)
        get_session().commit()
    login(client, "admin@test.se")
    assert client.get("/plans/new").status_code == 200
    assert client.get("/admin/users").status_code == 200
