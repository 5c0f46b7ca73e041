"""Every endpoint x method x role, from url_map, against tests/authz_table.py."""

from __future__ import annotations

from typing import Any

import pytest
from authz_table import DENY, LOGIN, NOTFOUND, OK, TABLE, UNSIGNED
from flask import Flask
from route_samples import Call, calls, unsampled
from route_world import ROLES, World
from sqlalchemy import Connection
from visitors import Visitor, isolated, make_visitors, make_world, sent_to_login


def outcome(response: Any) -> str:
    """What the visitor noticed: allowed, sent to login, refused, not found."""
    status = response.status_code
    if status in (301, 302, 303, 307):
        return LOGIN if sent_to_login(response) else OK
    if status == 403:
        return DENY
    if status == 404:
        return NOTFOUND
    if status == 401:
        return UNSIGNED
    if status < 300 or (status in (400, 409, 422) and response.request.method != "GET"):
        return OK  # allowed; a POST without real form data may be refused as bad input
    return str(status)


@pytest.fixture
def world(app: Flask) -> World:
    """The objects the routes point at."""
    return make_world(app)


@pytest.fixture
def visitors(app: Flask, world: World) -> dict[str, Visitor]:
    """One logged-in session per role (anonymous too)."""
    return make_visitors(app, world)


def test_every_route_is_in_the_table(app: Flask, world: World) -> None:
    """A new route (or method, or case) must be declared before it can pass."""
    assert unsampled(app, world) == []
    missing = sorted({call.key for call in calls(app, world)} - set(TABLE))
    assert missing == [], "declare these in tests/authz_table.py: " + ", ".join(missing)
    stale = sorted(set(TABLE) - {call.key for call in calls(app, world)})
    assert stale == [], "these in tests/authz_table.py match no route: " + ", ".join(
        stale
    )


def test_every_route_answers_every_role_as_declared(
    app: Flask, world: World, visitors: dict[str, Visitor], connection: Connection
) -> None:
    """Call every endpoint and method as each role and compare with the table."""
    wrong: list[str] = []
    checked = 0
    for call in calls(app, world):
        if call.missing:
            continue  # reported by test_every_route_is_in_the_table
        expected = TABLE.get(call.key)
        observed = {}
        for role in ROLES:
            with isolated(connection):
                observed[role] = outcome(visitors[role].send(app, call))
            checked += 1
        if expected is None:
            wrong.append(f"{call.key} is undeclared; it answers {observed}")
            continue
        for role, got in observed.items():
            if got != expected[role]:
                wrong.append(
                    f"{call.key} as {role}: expected {expected[role]}, got {got}"
                )
    assert wrong == [], f"{len(wrong)} of {checked} calls differ:\n" + "\n".join(wrong)
    assert checked >= 5 * 50


def test_refusals_reveal_nothing(
    app: Flask, world: World, visitors: dict[str, Visitor]
) -> None:
    """A refused page shows the Swedish 403 page, never the object it protects."""
    call = Call("admin.users", "GET", "", {})
    response = visitors["staff"].send(app, call)
    page = response.get_data(as_text=True)
    assert response.status_code == 403
    assert "Ingen behörighet" in page
    assert world.logins["admin"].email not in page


def test_the_table_only_uses_known_outcomes() -> None:
    """Typos in the table would otherwise never match."""
    known = {OK, LOGIN, DENY, NOTFOUND, UNSIGNED}
    for key, row in TABLE.items():
        assert set(row) == set(ROLES), key
        assert set(row.values()) <= known, key
