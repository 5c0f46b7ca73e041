"""Single sign-on against a real OpenID Provider (npm oidc-provider) on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from conftest import login, make_test_app, post_form
from factories import make_person
from flask import Flask
from flask.testing import FlaskClient
from oidc_provider import ACCOUNTS, Provider, oidc_config, sign_in, start_provider
from sqlalchemy import Connection, func, select
from sqlalchemy.orm import Session

from tracker.models.people import Person, Role
from tracker.services import people

PUBLIC = "https://tracker.test"
CALLBACK = f"{PUBLIC}/login/sso/callback"


@pytest.fixture(scope="session")
def provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    """One provider for the module's tests, registered for https://tracker.test."""
    running = start_provider(
        tmp_path_factory.mktemp("oidc"), [CALLBACK], [f"{PUBLIC}/login"]
    )
    yield running
    running.stop()


@pytest.fixture
def idp(provider: Provider) -> Iterator[Provider]:
    """The provider with the standard accounts (a test may change them)."""
    provider.set_accounts(ACCOUNTS)
    yield provider
    provider.set_accounts(ACCOUNTS)


def sso_app(db_url: str, connection: Connection, **oidc: Any) -> Flask:
    """The app with [OIDC] set, its sessions joined to the test's transaction."""
    app = make_test_app(db_url, OIDC=oidc)
    app.extensions["tracker.sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    return app


@pytest.fixture
def app(db_url: str, connection: Connection, idp: Provider) -> Flask:
    """The app, logging in through the test provider."""
    return sso_app(db_url, connection, **oidc_config(idp.issuer))


def start(client: FlaskClient) -> str:
    """Press "Log in with your organisation account"; return the provider's address."""
    response = client.get("/login/sso/")
    assert response.status_code == 302
    return str(response.headers["Location"])


def come_back(client: FlaskClient, url: str) -> Any:
    """Follow the provider's redirect back to the tracker."""
    return client.get(url.removeprefix(PUBLIC))


def sso_login(client: FlaskClient, account: str) -> Any:
    """The whole login through the provider as *account*."""
    return come_back(client, sign_in(start(client), account, CALLBACK))


def logged_in(client: FlaskClient) -> bool:
    """Whether the client's session opens Mina sidor."""
    return client.get("/me/").status_code == 200


def person_by_email(session: Session, email: str) -> Person | None:
    """The person with *email*, read afresh."""
    session.expire_all()
    return people.find_by_email(session, email)


def count_people(session: Session) -> int:
    """How many people the register holds."""
    return session.scalar(select(func.count()).select_from(Person)) or 0


def test_the_flow_asks_for_pkce_state_and_nonce(client: FlaskClient) -> None:
    query = parse_qs(urlsplit(start(client)).query)
    assert query["code_challenge_method"] == ["S256"]
    assert len(query["code_challenge"][0]) >= 43
    assert query["state"][0] and query["nonce"][0]
    assert query["redirect_uri"] == [CALLBACK]
    assert query["scope"] == ["openid email profile"]


def test_first_login_creates_a_person_with_the_mapped_role(
    client: FlaskClient, session: Session
) -> None:
    before = count_people(session)
    response = sso_login(client, "lena")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert logged_in(client)
    person = person_by_email(session, "lena.sso@demo.se")
    assert person is not None and person.role is Role.LEADERSHIP
    assert person.name == "Lena Ledare" and person.oidc_subject == "lena"
    assert count_people(session) == before + 1
    assert client.get("/plans/new").status_code == 200  # leadership may


def test_no_mapped_group_means_staff(client: FlaskClient, session: Session) -> None:
    sso_login(client, "sam")
    person = person_by_email(session, "sam.sso@demo.se")
    assert person is not None and person.role is Role.STAFF
    assert client.get("/plans/new").status_code == 403


def test_first_login_links_the_person_with_the_same_address(
    client: FlaskClient, session: Session
) -> None:
    existing = make_person(session, name="Sam S", email="Sam.SSO@demo.se")
    session.commit()
    before = count_people(session)
    sso_login(client, "sam")
    assert logged_in(client)
    assert count_people(session) == before
    session.refresh(existing)
    assert existing.oidc_subject == "sam" and existing.name == "Sam S"
    # the password login still works beside it
    other = client.application.test_client()
    assert login(other, "sam.sso@demo.se").status_code == 302


def test_a_person_without_a_login_gets_one_by_signing_in(
    client: FlaskClient, session: Session
) -> None:
    registered = make_person(session, email="sam.sso@demo.se", login=False)
    session.commit()
    sso_login(client, "sam")
    session.refresh(registered)
    assert logged_in(client) and registered.has_login


def test_the_role_follows_the_claim_and_a_change_ends_other_sessions(
    app: Flask, idp: Provider, session: Session
) -> None:
    laptop, phone = app.test_client(), app.test_client()
    sso_login(laptop, "lena")
    sso_login(phone, "lena")
    assert logged_in(laptop) and logged_in(phone)
    idp.set_accounts(ACCOUNTS | {"lena": ACCOUNTS["lena"] | {"groups": []}})
    sso_login(phone, "lena")
    person = person_by_email(session, "lena.sso@demo.se")
    assert person is not None and person.role is Role.STAFF
    assert logged_in(phone) and not logged_in(laptop)


def test_unverified_address_is_refused_and_nothing_is_created(
    client: FlaskClient, session: Session
) -> None:
    before = count_people(session)
    response = sso_login(client, "ove")
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "ingen bekräftad e-postadress" in page
    assert count_people(session) == before and not logged_in(client)


def test_an_account_without_an_address_is_refused(client: FlaskClient) -> None:
    response = sso_login(client, "nomail")
    assert response.status_code == 403 and not logged_in(client)


def test_an_address_linked_to_another_identity_is_refused(
    client: FlaskClient, session: Session
) -> None:
    taken = make_person(session, email="sam.sso@demo.se")
    taken.oidc_subject = "someone-else"
    session.commit()
    response = sso_login(client, "sam")
    assert response.status_code == 403
    assert "hör redan till en annan inloggning" in response.get_data(as_text=True)
    session.refresh(taken)
    assert taken.oidc_subject == "someone-else" and not logged_in(client)


@pytest.mark.parametrize("kind", ["external", "switched off"])
def test_externals_and_switched_off_people_are_refused(
    client: FlaskClient, session: Session, kind: str
) -> None:
    person = make_person(session, email="sam.sso@demo.se")
    if kind == "external":
        person.external = True
    else:
        person.active = False
    session.commit()
    response = sso_login(client, "sam")
    assert response.status_code == 403 and not logged_in(client)
    session.refresh(person)
    assert person.oidc_subject is None


def test_a_wrong_state_is_refused(client: FlaskClient, session: Session) -> None:
    before = count_people(session)
    back = sign_in(start(client), "sam", CALLBACK)
    forged = back.replace("state=", "state=x")
    response = come_back(client, forged)
    assert response.status_code == 400
    assert "hör inte till en inloggning" in response.get_data(as_text=True)
    assert count_people(session) == before and not logged_in(client)


def test_an_answer_for_another_browser_is_refused(app: Flask) -> None:
    """A code and state sent to another browser (login CSRF) open nothing here."""
    victim, attacker = app.test_client(), app.test_client()
    back = sign_in(start(attacker), "sam", CALLBACK)
    assert come_back(victim, back).status_code == 400
    assert not logged_in(victim)


def test_a_wrong_nonce_is_refused(client: FlaskClient, session: Session) -> None:
    before = count_people(session)
    back = sign_in(start(client), "sam", CALLBACK)
    with client.session_transaction() as browser:
        keys = [key for key in browser if key.startswith("_state_oidc_")]
        assert len(keys) == 1
        stored = browser[keys[0]]
        browser[keys[0]] = stored | {"data": stored["data"] | {"nonce": "other"}}
    response = come_back(client, back)
    assert response.status_code == 400
    assert "kunde inte slutföras" in response.get_data(as_text=True)
    assert count_people(session) == before and not logged_in(client)


def test_a_code_cannot_be_used_twice(app: Flask) -> None:
    first = app.test_client()
    back = sign_in(start(first), "sam", CALLBACK)
    with first.session_transaction() as browser:
        saved = dict(browser)
    assert come_back(first, back).status_code == 302
    replay = app.test_client()
    with replay.session_transaction() as browser:
        browser.update(saved)
    assert come_back(replay, back).status_code == 400
    assert not logged_in(replay)


def test_cancelling_at_the_provider_says_so(client: FlaskClient) -> None:
    back = sign_in(start(client), "sam", CALLBACK, abort=True)
    assert "error=access_denied" in back
    response = come_back(client, back)
    assert response.status_code == 403
    assert "avbröts eller nekades" in response.get_data(as_text=True)
    assert not logged_in(client)


@pytest.mark.parametrize("error", ["server_error", "temporarily_unavailable"])
def test_a_provider_in_trouble_is_a_503(client: FlaskClient, error: str) -> None:
    start(client)
    response = client.get(f"/login/sso/callback?error={error}&state=x")
    assert response.status_code == 503 and response.headers["Retry-After"]


def test_a_provider_that_is_down_is_a_503(db_url: str, connection: Connection) -> None:
    down = sso_app(db_url, connection, **oidc_config("http://127.0.0.1:9"))
    client = down.test_client()
    response = client.get("/login/sso/")
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "svarar inte just nu" in page and response.headers["Retry-After"]
    assert "Logga in med organisationens konto" in client.get("/login").get_data(
        as_text=True
    )


def test_a_provider_that_goes_down_before_the_answer_is_a_503(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    before = count_people(session)
    back = sign_in(start(client), "sam", CALLBACK)
    metadata = app.extensions["tracker.oidc"].server_metadata
    metadata["token_endpoint"] = "http://127.0.0.1:9/token"
    response = come_back(client, back)
    assert response.status_code == 503
    assert count_people(session) == before and not logged_in(client)


def test_logout_ends_the_session_here_and_at_the_provider(
    client: FlaskClient, idp: Provider
) -> None:
    sso_login(client, "sam")
    saved = client.get_cookie("session")
    assert saved is not None
    response = post_form(client, "/logout")
    location = urlsplit(response.headers["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}" == idp.issuer
    assert location.path == "/session/end"
    assert query["post_logout_redirect_uri"] == [f"{PUBLIC}/login"]
    assert query["id_token_hint"][0].count(".") == 2
    client.set_cookie("session", saved.value)
    assert not logged_in(client)  # the saved cookie opens nothing


def test_the_logout_form_may_go_to_the_provider(
    client: FlaskClient, idp: Provider
) -> None:
    csp = client.get("/login").headers["Content-Security-Policy"]
    assert f"form-action 'self' {idp.issuer}" in csp


def test_with_passwords_off_only_single_sign_on_remains(
    db_url: str, connection: Connection, idp: Provider, session: Session
) -> None:
    make_person(session, email="pw@test.se")
    session.commit()
    app = sso_app(db_url, connection, **oidc_config(idp.issuer, ALLOW_PASSWORDS=False))
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    assert "Logga in med organisationens konto" in page
    assert 'type="password"' not in page and "Glömt lösenordet?" not in page
    token = client.get("/password/forgot")
    assert token.status_code == 404
    refused = post_form(
        client, "/login", {"email": "pw@test.se", "password": "password123"}
    )
    assert refused.status_code == 403 and not logged_in(client)
    sso_login(client, "sam")
    assert logged_in(client) and client.get("/password").status_code == 404
    assert "Byt lösenord" not in client.get("/me/").get_data(as_text=True)
