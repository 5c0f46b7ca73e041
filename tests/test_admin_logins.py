"""Admin without shared passwords: invitations, people already in the register,
the outbox in the Administration menu."""

from __future__ import annotations

from datetime import date

import pytest
from conftest import login, make_test_app, post_form
from factories import make_department, make_person
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from tracker.models.mail import OutboxMessage
from tracker.models.people import Person, Role
from tracker.services import people


@pytest.fixture
def admin(app: Flask, session: Session) -> FlaskClient:
    """A logged-in admin."""
    make_person(session, email="admin@test.se", role=Role.ADMIN)
    session.commit()
    client = app.test_client()
    assert login(client, "admin@test.se").status_code == 302
    return client


def new_login(client: FlaskClient, **values: object) -> object:
    """Fill in "New login"."""
    data = {"name": "Kim Karlsson", "email": "kim@test.se", "role": "staff"} | values
    return post_form(client, "/admin/users/new", data)


def count(session: Session, model: type) -> int:
    """Rows of *model*."""
    session.expire_all()
    return session.scalar(select(func.count()).select_from(model)) or 0


def mails_to(session: Session, email: str) -> list[OutboxMessage]:
    """The queued messages to *email*."""
    session.expire_all()
    return [m for m in session.scalars(select(OutboxMessage)) if email in m.to]


def test_the_new_login_form_asks_for_no_password(admin: FlaskClient) -> None:
    page = admin.get("/admin/users/new").get_data(as_text=True)
    assert 'type="password"' not in page
    assert "Skapa inloggningen och skicka inbjudan" in page


def test_a_new_login_gets_an_invitation_to_choose_a_password(
    app: Flask, admin: FlaskClient, session: Session
) -> None:
    response = new_login(admin, role="communicator")
    assert response.status_code == 302
    kim = people.find_by_email(session, "kim@test.se")
    assert kim is not None and kim.password_hash is None and kim.has_login
    assert kim.role is Role.COMMUNICATOR
    [mail] = mails_to(session, "kim@test.se")
    assert mail.subject == "Din inloggning till förändringsarbetet"
    assert (
        "https://tracker.test/password/set/" in mail.body and "72 timmar" in mail.body
    )
    page = admin.get("/admin/users").get_data(as_text=True)
    assert "Inbjuden, har inte valt lösenord än" in page
    path = mail.body.split("https://tracker.test", 2)[1].split()[0]
    browser = app.test_client()
    post_form(browser, path, {"password": "kims-eget-1", "confirm": "kims-eget-1"})
    assert browser.get("/me/").status_code == 200  # logged in
    assert "Månadsbrev" in browser.get("/").get_data(as_text=True)  # communicator


def test_a_new_login_needs_an_email_address(
    admin: FlaskClient, session: Session
) -> None:
    before = count(session, Person)
    response = new_login(admin, email="")
    assert response.status_code == 200 and count(session, Person) == before


def test_the_same_email_offers_the_person_in_the_register(
    admin: FlaskClient, session: Session
) -> None:
    registered = make_person(
        session,
        name="Kim K.",
        email="kim@test.se",
        login=False,
        department=make_department(session, "Arbetsmarknad"),
    )
    session.commit()
    before = count(session, Person)
    page = new_login(admin).get_data(as_text=True)
    assert count(session, Person) == before
    assert "Finns personen redan i registret?" in page
    assert "Kim K." in page and "Arbetsmarknad" in page
    assert f'action="/admin/users/{registered.id}/login"' in page
    # a second person with the same address cannot be forced
    forced = new_login(admin, confirm_new="y").get_data(as_text=True)
    assert "En annan person har redan den e-postadressen" in forced
    assert count(session, Person) == before
    response = post_form(
        admin, f"/admin/users/{registered.id}/login", {"role": "leadership"}
    )
    assert response.status_code == 302
    session.refresh(registered)
    assert registered.has_login and registered.role is Role.LEADERSHIP
    assert count(session, Person) == before
    assert len(mails_to(session, "kim@test.se")) == 1


def test_the_same_name_offers_the_person_and_may_still_create_another(
    admin: FlaskClient, session: Session
) -> None:
    make_person(session, name="Kim Karlsson", email="kim.k@test.se", login=False)
    session.commit()
    before = count(session, Person)
    page = new_login(admin, name=" kim karlsson ").get_data(as_text=True)
    assert "Finns personen redan i registret?" in page
    assert "Det är någon annan – skapa en ny person" in page
    assert count(session, Person) == before
    assert new_login(admin, confirm_new="y").status_code == 302
    assert count(session, Person) == before + 1


@pytest.mark.parametrize("kind", ["external", "login"])
def test_people_who_cannot_be_given_a_login_are_shown_but_not_offered(
    admin: FlaskClient, session: Session, kind: str
) -> None:
    if kind == "external":
        person = people.create_person(
            session,
            None,
            people.PersonValues(name="Kim Karlsson"),
            external=True,
            consent_on=date(2026, 1, 2),
        )
        note = "extern deltagare"
    else:
        person = make_person(session, name="Kim Karlsson", email="kim.k@test.se")
        note = "har redan en inloggning"
    session.commit()
    page = new_login(admin).get_data(as_text=True)
    assert note in page
    assert f'action="/admin/users/{person.id}/login"' not in page
    response = post_form(admin, f"/admin/users/{person.id}/login", {"role": "staff"})
    assert response.status_code == 302
    assert "kan inte få en inloggning" in admin.get("/admin/users/new").get_data(
        as_text=True
    )


def test_an_invitation_can_be_sent_again(admin: FlaskClient, session: Session) -> None:
    new_login(admin)
    kim = people.find_by_email(session, "kim@test.se")
    assert kim is not None
    post_form(admin, f"/admin/users/{kim.id}/invite")
    assert len(mails_to(session, "kim@test.se")) == 2
    assert "En ny inbjudan har skickats till Kim Karlsson." in admin.get(
        "/admin/users"
    ).get_data(as_text=True)


def test_the_outbox_is_in_the_administration_menu(admin: FlaskClient) -> None:
    for path in ("/admin/users", "/admin/vocabularies/departments", "/admin/outbox/"):
        page = admin.get(path).get_data(as_text=True)
        menu = page.split('aria-label="Administration"', 1)[1].split("</nav>", 1)[0]
        assert 'href="/admin/outbox/"' in menu and "Utkorg" in menu
        assert 'aria-current="page"' in menu


def test_with_smtp_the_outbox_hides_the_keys_of_set_password_links(
    db_url: str, connection: Connection, session: Session
) -> None:
    """An admin reading the outbox cannot take over someone's login."""
    make_person(session, email="admin@test.se", role=Role.ADMIN)
    session.commit()
    for host, shown in (("", True), ("smtp.test", False)):
        app = make_test_app(db_url, SMTP={"HOST": host})
        app.extensions["tracker.sessionmaker"].configure(
            bind=connection, join_transaction_mode="create_savepoint"
        )
        client = app.test_client()
        login(client, "admin@test.se")
        new_login(client, email=f"kim{int(shown)}@test.se", name=f"Kim {host}")
        [mail] = mails_to(session, f"kim{int(shown)}@test.se")
        token = mail.body.split("/password/set/", 1)[1].split()[0]
        page = client.get("/admin/outbox/").get_data(as_text=True)
        assert (token in page) is shown
        assert "/password/set/…" in page or shown
