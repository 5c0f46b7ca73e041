"""Throttling that protects without locking out: per (e-mail, address) and per
address; the owner of an attacked account still logs in from elsewhere."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from conftest import csrf_token
from factories import PASSWORD, make_person
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.errors import DomainError
from tracker.models.people import LoginFailure, Person
from tracker.services.accounts import login as password_login
from tracker.services.accounts.login import Throttle, address_key, authenticate

EMAIL = "owner@test.se"
ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
# small limits keep the test quick: every attempt checks a deliberately slow hash
THROTTLE = Throttle(per_account=3, per_address=8, window=timedelta(minutes=15))


@pytest.fixture
def owner(session: Session) -> Person:
    """The account under attack."""
    person = make_person(session, email=EMAIL)
    session.commit()
    return person


def attempt(
    client: FlaskClient, address: str, email: str = EMAIL, password: str = "fel"
) -> Any:
    """One login through the form, from *address*."""
    token = csrf_token(client)
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def check(session: Session, address: str, password: str, **kw: Any) -> Person:
    """The service's answer to one attempt."""
    return authenticate(
        session,
        kw.pop("email", EMAIL),
        password,
        remote_addr=address,
        now=kw.pop("now", clock.now()),
        throttle=THROTTLE,
    )


def refused(session: Session, address: str, password: str, **kw: Any) -> str:
    """Why an attempt was refused ("throttled" or "wrong")."""
    with pytest.raises(DomainError) as refusal:
        check(session, address, password, **kw)
    return "throttled" if refusal.value.field == "throttled" else "wrong"


def test_the_owner_logs_in_from_elsewhere_while_an_attacker_is_throttled(
    app: Flask, owner: Person
) -> None:
    attacker, rightful = app.test_client(), app.test_client()
    for _ in range(5):
        assert attempt(attacker, ATTACKER).status_code == 200
    throttled = attempt(attacker, ATTACKER, password=PASSWORD)
    assert throttled.status_code == 429
    assert "För många misslyckade försök" in throttled.get_data(as_text=True)
    assert attempt(rightful, OWNER, password=PASSWORD).status_code == 302
    # the owner's success does not reset the attacker's count
    assert attempt(attacker, ATTACKER, password=PASSWORD).status_code == 429


def test_a_correct_password_from_a_clean_address_is_never_refused(
    session: Session, owner: Person
) -> None:
    for number in range(12):  # past both limits, from twelve addresses
        assert refused(session, f"192.0.2.{number}", "fel") == "wrong"
    for number in range(12):
        assert refused(session, ATTACKER, "fel", email=f"x{number}@test.se") in (
            "wrong",
            "throttled",
        )
    assert check(session, OWNER, PASSWORD) is owner


def test_failures_for_one_account_from_one_address_throttle_it(
    session: Session, owner: Person
) -> None:
    for _ in range(3):
        assert refused(session, ATTACKER, "fel") == "wrong"
    assert refused(session, ATTACKER, PASSWORD) == "throttled"
    # the same address may still try another account of its own
    make_person(session, email="colleague@test.se")
    assert check(session, ATTACKER, PASSWORD, email="colleague@test.se")


def test_an_address_that_tries_many_accounts_waits(
    session: Session, owner: Person
) -> None:
    for number in range(8):
        assert refused(session, ATTACKER, "fel", email=f"u{number}@test.se") == "wrong"
    assert refused(session, ATTACKER, PASSWORD) == "throttled"
    assert check(session, OWNER, PASSWORD) is owner


@pytest.mark.parametrize(
    "variant", ["OWNER@test.se", " owner@test.se ", "Owner@Test.SE"]
)
def test_spellings_of_one_address_count_together(
    session: Session, owner: Person, variant: str
) -> None:
    for _ in range(3):
        refused(session, ATTACKER, "fel", email=variant)
    assert refused(session, ATTACKER, PASSWORD) == "throttled"


def test_ipv6_addresses_of_one_network_count_together(
    session: Session, owner: Person
) -> None:
    for number in range(3):
        refused(session, f"2001:db8:1:2::{number + 1:x}", "fel")
    assert refused(session, "2001:db8:1:2:ffff::9", PASSWORD) == "throttled"
    assert check(session, "2001:db8:1:3::1", PASSWORD) is owner


@pytest.mark.parametrize(
    ("raw", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("fe80::1%eth0", "fe80::/64"),
        ("", ""),
        ("not-an-address", "not-an-address"),
    ],
)
def test_address_keys(raw: str, key: str) -> None:
    assert address_key(raw) == key


def test_failures_older_than_the_window_do_not_count(
    session: Session, owner: Person
) -> None:
    long_ago = clock.now() - timedelta(minutes=16)
    for _ in range(3):
        refused(session, ATTACKER, "fel", now=long_ago)
    assert check(session, ATTACKER, PASSWORD) is owner


def test_unknown_addresses_fail_the_same_way_and_count(session: Session) -> None:
    for _ in range(3):
        assert refused(session, ATTACKER, "fel", email="nobody@test.se") == "wrong"
    assert refused(session, ATTACKER, "fel", email="nobody@test.se") == "throttled"


def test_a_success_clears_only_its_own_address(session: Session, owner: Person) -> None:
    for address in (ATTACKER, OWNER):
        refused(session, address, "fel")
    check(session, OWNER, PASSWORD)
    remaining = session.scalars(select(LoginFailure.remote_addr)).all()
    assert remaining == [ATTACKER]


@pytest.mark.parametrize("state", ["invited", "switched off", "external"])
def test_people_who_cannot_log_in_get_the_same_answer(
    session: Session, owner: Person, state: str
) -> None:
    if state == "invited":
        owner.password_hash = None
    elif state == "switched off":
        owner.active = False
    else:
        owner.external = True
    assert refused(session, OWNER, PASSWORD) == "wrong"
    count = session.scalar(select(func.count()).select_from(LoginFailure))
    assert count == 1


def test_an_unknown_address_is_checked_against_a_real_hash() -> None:
    """The stand-in is a hash of the same kind, so checking it takes as long."""
    stand_in = password_login._stand_in_hash()
    assert stand_in.split("$")[0] == owner_method()


def owner_method() -> str:
    """The hash method werkzeug uses for new passwords."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash("x").split("$")[0]
