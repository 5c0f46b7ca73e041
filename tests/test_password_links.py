"""Set-password links: invitations and "Glömt lösenordet?", expired and used links."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from conftest import login, post_form
from factories import make_person
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models.accounts import LinkRequest
from tracker.models.mail import OutboxMessage
from tracker.models.people import Person
from tracker.services.accounts import links
from tracker.services.accounts.login import Throttle

LINK_RE = re.compile(r"https://tracker\.test(/password/set/[\w.-]+)")
EMAIL = "nina@test.se"


@pytest.fixture
def nina(session: Session) -> Person:
    """A staff login."""
    person = make_person(session, name="Nina Nilsson", email=EMAIL)
    session.commit()
    return person


def outbox(session: Session) -> list[OutboxMessage]:
    """The queued mail, oldest first."""
    session.expire_all()
    return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


def link_in(message: OutboxMessage) -> str:
    """The set-password path in a mail."""
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def settings(app: Flask, **changes: object) -> links.LinkSettings:
    """Link settings as the app has them, at another time if asked."""
    values = {
        "secret": "test",
        "set_password_url": "https://tracker.test/password/set/",
        "login_url": "https://tracker.test/login",
        "passwords": True,
        "now": clock.now(),
    } | changes
    return links.LinkSettings(**values)  # type: ignore[arg-type]


def ask_for_link(client: FlaskClient, email: str) -> tuple[int, str, str]:
    """Use "Glömt lösenordet?"; return status, where it leads, and what it says."""
    response = post_form(client, "/password/forgot", {"email": email})
    page = client.get(response.headers.get("Location", "/login")).get_data(as_text=True)
    flash = re.search(r'<p class="flash[^"]*">(.*?)</p>', page, re.S)
    return (
        response.status_code,
        response.headers.get("Location", ""),
        (flash.group(1).replace(email, "<e-post>") if flash else ""),
    )


def choose(client: FlaskClient, path: str, password: str = "mitt-nya-lösen") -> object:
    """Fill in the set-password form of a link."""
    return post_form(client, path, {"password": password, "confirm": password})


def test_the_login_page_offers_forgot_password(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    assert 'href="/password/forgot"' in page and "Glömt lösenordet?" in page


def test_forgot_password_sends_a_link_that_sets_the_password(
    client: FlaskClient, nina: Person, session: Session
) -> None:
    status, location, message = ask_for_link(client, EMAIL)
    assert status == 302 and location == "/login"
    assert "länk" in message
    mail = outbox(session)
    assert [m.to for m in mail] == [[EMAIL]]
    assert mail[0].subject == "Välj ett nytt lösenord" and "72 timmar" in mail[0].body
    path = link_in(mail[0])
    page = client.get(path)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert EMAIL in page.get_data(as_text=True)
    response = choose(client, path)
    assert response.status_code == 302
    assert client.get("/me/").status_code == 200  # logged in straight away
    assert (
        login(client.application.test_client(), EMAIL, "mitt-nya-lösen").status_code
        == 302
    )
    assert login(client.application.test_client(), EMAIL).status_code == 200  # old one


def test_the_answer_never_tells_whether_an_address_has_a_login(
    app: Flask, nina: Person, session: Session
) -> None:
    known = ask_for_link(app.test_client(), EMAIL)
    unknown = ask_for_link(app.test_client(), "nobody@test.se")
    assert known == unknown
    assert [m.to for m in outbox(session)] == [[EMAIL]]


@pytest.mark.parametrize("state", ["switched off", "no login", "external"])
def test_no_link_goes_to_people_who_cannot_log_in(
    client: FlaskClient, nina: Person, session: Session, state: str
) -> None:
    if state == "switched off":
        nina.active = False
    elif state == "no login":
        nina.login_enabled = False
    else:
        nina.external = True
    session.commit()
    ask_for_link(client, EMAIL)
    assert outbox(session) == []


def test_asking_again_at_once_sends_no_second_mail(
    client: FlaskClient, nina: Person, session: Session
) -> None:
    ask_for_link(client, EMAIL)
    ask_for_link(client, EMAIL)
    assert len(outbox(session)) == 1
    nina.password_link_sent_at = clock.now() - timedelta(minutes=6)
    session.commit()
    ask_for_link(client, EMAIL)
    assert len(outbox(session)) == 2


def test_a_used_link_says_to_ask_for_a_new_one(
    client: FlaskClient, nina: Person, session: Session
) -> None:
    ask_for_link(client, EMAIL)
    path = link_in(outbox(session)[0])
    choose(client, path)
    again = client.get(path)
    page = again.get_data(as_text=True)
    assert again.status_code == 410
    assert "Länken har redan använts" in page and 'href="/password/forgot"' in page
    assert choose(client, path, "ett-tredje-lösen").status_code == 410


def test_an_expired_link_says_to_ask_for_a_new_one(
    app: Flask, client: FlaskClient, nina: Person
) -> None:
    old = links.password_link(
        settings(app, now=clock.now() - timedelta(hours=72, minutes=1)), nina
    )
    response = client.get(old.removeprefix("https://tracker.test"))
    assert response.status_code == 410
    assert "gäller i 72 timmar" in response.get_data(as_text=True)
    fresh = links.password_link(
        settings(app, now=clock.now() - timedelta(hours=71)), nina
    )
    assert client.get(fresh.removeprefix("https://tracker.test")).status_code == 200


@pytest.mark.parametrize("token", ["x", "a" * 900, "WzEsMiwiYSJd.abc", "WzEsMiwiYSJd"])
def test_a_broken_link_is_a_swedish_404(client: FlaskClient, token: str) -> None:
    response = client.get(f"/password/set/{token}")
    assert response.status_code == 404
    assert "Länken fungerar inte" in response.get_data(as_text=True)


def test_a_link_with_nul_is_refused_at_routing_in_swedish(client: FlaskClient) -> None:
    # NUL never reaches a view (tracker.routing): the app's own Swedish 404
    response = client.get("/password/set/%00")
    assert response.status_code == 404
    assert "Sidan finns inte" in response.get_data(as_text=True)


def test_a_link_signed_with_another_key_is_refused(
    app: Flask, client: FlaskClient, nina: Person
) -> None:
    forged = links.password_link(settings(app, secret="not-the-key"), nina)
    assert client.get(forged.removeprefix("https://tracker.test")).status_code == 404


def test_a_link_from_before_a_password_change_is_dead(
    app: Flask, client: FlaskClient, nina: Person
) -> None:
    before = links.password_link(settings(app), nina)
    login(client, EMAIL)
    post_form(
        client,
        "/password",
        {"current": "password123", "new": "bytt-lösen-1", "confirm": "bytt-lösen-1"},
    )
    assert client.get(before.removeprefix("https://tracker.test")).status_code == 410


def test_setting_a_password_ends_every_other_session(app: Flask, nina: Person) -> None:
    stolen = app.test_client()
    login(stolen, EMAIL)
    path = links.password_link(settings(app), nina).removeprefix("https://tracker.test")
    choose(app.test_client(), path)
    assert stolen.get("/me/").status_code == 302


def test_mismatched_or_short_passwords_change_nothing(
    app: Flask, client: FlaskClient, nina: Person, session: Session
) -> None:
    path = links.password_link(settings(app), nina).removeprefix("https://tracker.test")
    before = nina.password_hash
    short = choose(client, path, "kort")
    assert short.status_code == 200 and "minst 8" in short.get_data(as_text=True)
    mismatch = post_form(
        client, path, {"password": "ett-långt-1", "confirm": "annat-2"}
    )
    assert "stämmer inte överens" in mismatch.get_data(as_text=True)
    session.refresh(nina)
    assert nina.password_hash == before
    assert client.get("/me/").status_code == 302


def test_sent_links_are_counted_in_the_outbox_only_once(
    client: FlaskClient, nina: Person, session: Session
) -> None:
    ask_for_link(client, "Nina@TEST.se")
    count = session.scalar(select(func.count()).select_from(OutboxMessage))
    assert count == 1


def test_an_address_that_keeps_asking_is_ignored(
    app: Flask, nina: Person, session: Session
) -> None:
    """Asking for many addresses (to find or to flood them) stops sending at all."""
    throttle = Throttle(per_account=3, per_address=4, window=timedelta(minutes=15))
    with app.test_request_context():
        for number in range(4):
            links.send_reset_link(
                session,
                f"guess{number}@test.se",
                settings(app),
                remote_addr="203.0.113.9",
                throttle=throttle,
            )
        links.send_reset_link(
            session, EMAIL, settings(app), remote_addr="203.0.113.9", throttle=throttle
        )
        assert outbox(session) == []
        links.send_reset_link(
            session, EMAIL, settings(app), remote_addr="198.51.100.1", throttle=throttle
        )
    assert [m.to for m in outbox(session)] == [[EMAIL]]
    recorded = session.scalar(select(func.count()).select_from(LinkRequest))
    assert recorded == 6  # unknown addresses too: both answers do the same work
