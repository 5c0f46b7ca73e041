"""Sessions that end: saved cookies replayed after logout, password and role changes,
"Log out everywhere", switching a login off, and old sessions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from conftest import login, post_form
from factories import make_person
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models.accounts import LoginSession
from tracker.models.people import Person, Role

EMAIL = "sara@test.se"


@pytest.fixture
def sara(session: Session) -> Person:
    """A staff login with password 'password123'."""
    person = make_person(session, name="Sara Svensson", email=EMAIL)
    session.commit()
    return person


@pytest.fixture
def admin(session: Session) -> Person:
    """An admin login."""
    person = make_person(session, email="admin@test.se", role=Role.ADMIN)
    session.commit()
    return person


def device(app: Flask, email: str = EMAIL) -> FlaskClient:
    """A browser logged in as *email*."""
    client = app.test_client()
    assert login(client, email).status_code == 302
    return client


def saved_cookie(client: FlaskClient) -> str:
    """The session cookie as it is now, to replay later."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    return cookie.value


def opens_my_pages(app: Flask, cookie: str) -> bool:
    """Whether a fresh browser holding *cookie* gets into Mina sidor."""
    client = app.test_client()
    client.set_cookie("session", cookie)
    return client.get("/me/").status_code == 200


def sessions_of(session: Session, person: Person) -> int:
    """How many login sessions *person* has in the table."""
    statement = select(func.count()).where(LoginSession.person_id == person.id)
    return session.scalar(statement) or 0


def test_a_cookie_saved_before_logout_is_refused_after_it(
    app: Flask, sara: Person
) -> None:
    laptop = device(app)
    cookie = saved_cookie(laptop)
    assert opens_my_pages(app, cookie)
    post_form(laptop, "/logout")
    assert not opens_my_pages(app, cookie)
    assert laptop.get("/me/").status_code == 302


def test_logout_ends_only_this_browser(app: Flask, sara: Person) -> None:
    laptop, phone = device(app), device(app)
    post_form(laptop, "/logout")
    assert phone.get("/me/").status_code == 200
    assert laptop.get("/me/").status_code == 302


def test_a_password_change_on_one_device_ends_the_others(
    app: Flask, sara: Person
) -> None:
    laptop, phone = device(app), device(app)
    phone_cookie = saved_cookie(phone)
    laptop_before = saved_cookie(laptop)
    response = post_form(
        laptop,
        "/password",
        {
            "current": "password123",
            "new": "nytt-lösenord-1",
            "confirm": "nytt-lösenord-1",
        },
    )
    assert response.status_code == 302
    assert laptop.get("/me/").status_code == 200  # the device that changed it stays
    assert phone.get("/me/").status_code == 302
    assert not opens_my_pages(app, phone_cookie)
    assert not opens_my_pages(app, laptop_before)  # the cookie before the change too
    assert opens_my_pages(app, saved_cookie(laptop))


def test_a_wrong_current_password_ends_nothing(app: Flask, sara: Person) -> None:
    laptop, phone = device(app), device(app)
    post_form(
        laptop, "/password", {"current": "fel", "new": "x" * 9, "confirm": "x" * 9}
    )
    assert phone.get("/me/").status_code == 200
    assert laptop.get("/me/").status_code == 200


def test_log_out_everywhere_keeps_this_browser_only(
    app: Flask, sara: Person, session: Session
) -> None:
    laptop, phone, tablet = device(app), device(app), device(app)
    tablet_cookie = saved_cookie(tablet)
    page = laptop.get("/me/").get_data(as_text=True)
    assert "Logga ut överallt" in page
    response = post_form(laptop, "/logout/everywhere")
    assert response.headers["Location"] == "/me/"
    assert "Du är utloggad överallt utom här." in laptop.get("/me/").get_data(
        as_text=True
    )
    assert phone.get("/me/").status_code == 302
    assert not opens_my_pages(app, tablet_cookie)
    session.expire_all()
    assert sessions_of(session, sara) == 1


def test_a_role_change_ends_the_persons_sessions(
    app: Flask, sara: Person, admin: Person
) -> None:
    laptop = device(app)
    cookie = saved_cookie(laptop)
    boss = device(app, "admin@test.se")
    response = post_form(
        boss, f"/admin/users/{sara.id}/role", {f"p{sara.id}-role": "leadership"}
    )
    assert response.status_code == 302
    assert not opens_my_pages(app, cookie)
    assert laptop.get("/me/").status_code == 302
    again = device(app)
    assert again.get("/plans/new").status_code == 200  # the new role, after login
    assert boss.get("/admin/users").status_code == 200


def test_an_admin_changing_their_own_role_stays_logged_in(
    app: Flask, admin: Person
) -> None:
    boss, other = device(app, "admin@test.se"), device(app, "admin@test.se")
    post_form(
        boss, f"/admin/users/{admin.id}/role", {f"p{admin.id}-role": "leadership"}
    )
    assert boss.get("/plans/new").status_code == 200
    assert boss.get("/admin/users").status_code == 403  # no longer admin
    assert other.get("/me/").status_code == 302


def test_switching_a_login_off_ends_its_sessions_and_on_lets_it_back(
    app: Flask, sara: Person, admin: Person, session: Session
) -> None:
    laptop = device(app)
    cookie = saved_cookie(laptop)
    boss = device(app, "admin@test.se")
    post_form(boss, f"/admin/users/{sara.id}/switch-off")
    assert not opens_my_pages(app, cookie)
    assert login(app.test_client(), EMAIL).status_code == 200  # refused
    session.expire_all()
    assert sessions_of(session, sara) == 0
    page = boss.get("/admin/users").get_data(as_text=True)
    assert "Avstängd" in page
    post_form(boss, f"/admin/users/{sara.id}/switch-on")
    assert not opens_my_pages(app, cookie)  # old sessions stay ended
    assert device(app).get("/me/").status_code == 200


def test_an_admin_cannot_switch_themselves_off(app: Flask, admin: Person) -> None:
    boss = device(app, "admin@test.se")
    response = post_form(boss, f"/admin/users/{admin.id}/switch-off")
    assert response.status_code == 302
    page = boss.get("/admin/users").get_data(as_text=True)
    assert "Du kan inte stänga av din egen inloggning." in page


def test_a_session_past_its_lifetime_is_over(
    app: Flask, sara: Person, session: Session
) -> None:
    laptop = device(app)
    old = clock.now() - app.permanent_session_lifetime - timedelta(minutes=1)
    session.execute(
        update(LoginSession)
        .where(LoginSession.person_id == sara.id)
        .values(created_at=old)
    )
    session.commit()
    assert laptop.get("/me/").status_code == 302


def test_a_new_login_clears_sessions_past_their_lifetime(
    app: Flask, sara: Person, session: Session
) -> None:
    device(app)
    old = clock.now() - app.permanent_session_lifetime - timedelta(minutes=1)
    session.execute(update(LoginSession).values(created_at=old))
    session.commit()
    device(app)
    session.expire_all()
    assert sessions_of(session, sara) == 1


def test_the_session_table_holds_no_usable_key(
    app: Flask, sara: Person, session: Session
) -> None:
    """A copy of the table (a backup) opens nobody's session."""
    laptop = device(app)
    with laptop.session_transaction() as browser:
        key = browser["_login_session"]
    stored = session.scalars(select(LoginSession.key_hash)).all()
    assert key not in stored and len(stored) == 1
    thief = app.test_client()
    with thief.session_transaction() as browser:
        browser["_user_id"] = f"{sara.id}:{sara.session_generation}"
        browser["_login_session"] = stored[0]
    assert thief.get("/me/").status_code == 302


def test_an_old_style_login_id_is_refused(app: Flask, sara: Person) -> None:
    """Cookies from before sessions could end carried the bare id."""
    old = app.test_client()
    with old.session_transaction() as browser:
        browser["_user_id"] = str(sara.id)
    assert old.get("/me/").status_code == 302
