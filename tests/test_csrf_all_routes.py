"""Every state-changing route refuses a missing or wrong CSRF token; nothing changes."""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from authz_table import OK, TABLE
from flask import Flask
from formscan import endpoint_of
from route_samples import Call, calls
from route_world import World
from sqlalchemy import Connection
from visitors import (
    MISSING,
    Visitor,
    all_forms,
    isolated,
    make_visitor,
    make_world,
)

from tracker.db import Base

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
# Trello cannot hold a CSRF token; the webhook checks Trello's signature instead.
# A mail program's one-click unsubscribe (RFC 8058) cannot either; its signed token
# is the proof (tests/test_unsubscribe.py).
# The JSON API takes only a bearer token, never a cookie, so a forged page has
# nothing to send (tests/test_api.py: every call without a token is 401).
API = {
    f"api.{name}"
    for name in [
        "move_assignment",
        "add_report",
        "set_milestone",
        "list_plans",
        "get_plan",
        "list_assignments",
        "get_assignment",
        "list_stages",
        "list_groups",
        "get_group",
        "list_memberships",
        "list_activity",
    ]
}
EXEMPT = {"sync.trello_webhook", "notifications.unsubscribe_one_click"} | API
# Routes whose plain submission surely changes data: proof the sweep sends real requests
MUST_CHANGE = {
    "plans.close POST",
    "plans.new POST",
    "assignments.delete_milestone POST",
    "assignments.add_report POST [member]",
    "groups.remove_member POST",
    "admin.new_user POST",
    "me.profile POST",
}


def snapshot(connection: Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, to prove that nothing changed."""
    rows = {}
    for table in Base.metadata.sorted_tables:
        query = sa.select(table).order_by(*table.primary_key.columns)
        rows[table.name] = [tuple(row) for row in connection.execute(query)]
    return rows


def state_changing(app: Flask, world: World) -> list[Call]:
    """Every call that may change something."""
    return [
        call
        for call in calls(app, world)
        if call.method in STATE_CHANGING and not call.missing
    ]


@pytest.fixture
def world(app: Flask) -> World:
    """The objects the routes point at."""
    return make_world(app)


def test_every_state_changing_route_refuses_bad_tokens(
    app: Flask, world: World, connection: Connection
) -> None:
    """No token, a forged token, another session's token: 400, and nothing changed."""
    admin = make_visitor(app, "admin", world)
    anonymous = make_visitor(app, "anonymous", world)
    stranger = make_visitor(app, "anonymous", world)  # holds a valid token of its own
    data = form_data(app, world, admin)
    bad_tokens = {"no": MISSING, "a forged": "forged-token", "another session's": None}
    problems: list[str] = []
    effective: list[str] = []
    checked = [c for c in state_changing(app, world) if c.endpoint not in EXEMPT]
    for call in checked:
        visitor = anonymous if TABLE[call.key]["anonymous"] == OK else admin
        before = snapshot(connection)
        for label, token in bad_tokens.items():
            token = stranger.token if token is None else token
            with isolated(connection):
                response = visitor.send(app, call, data.get(call.endpoint), token)
                changed = snapshot(connection) != before
            if response.status_code != 400 or changed:
                problems.append(
                    f"{call.key} with {label} token: {response.status_code}"
                    + (", and the database changed" if changed else "")
                )
            if "session=;" in response.headers.get("Set-Cookie", ""):
                problems.append(f"{call.key} with {label} token ended the session")
        with isolated(connection):  # control: the same request with the right token
            visitor.send(app, call, data.get(call.endpoint))
            if snapshot(connection) != before:
                effective.append(call.key)
    assert problems == [], "\n".join(problems)
    assert len(checked) >= 40
    # the requests are real: most of them do change something when the token is right
    idle = sorted({c.key for c in checked} - set(effective))
    assert len(effective) >= len(checked) // 2, f"idle with a token: {idle}"
    assert set(effective) >= MUST_CHANGE, f"idle with a token: {idle}"


def test_csrf_refusal_is_the_swedish_400_page(app: Flask, world: World) -> None:
    """A user whose form expired is told what to do, in Swedish."""
    admin = make_visitor(app, "admin", world)
    call = Call("plans.close", "POST", "", {"slug": world.plan_slug})
    response = admin.send(app, call, token=MISSING)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Felaktig begäran" in page and "ladda om sidan" in page


def test_exempt_routes_are_only_the_signed_webhook(app: Flask, world: World) -> None:
    """CSRF exemptions are few and each proves itself otherwise (see the matrix)."""
    csrf = app.extensions["csrf"]
    exempt_views = set(csrf._exempt_views) | {
        name
        for bp in csrf._exempt_blueprints
        for name in app.view_functions
        if name.startswith(f"{bp}.")
    }
    endpoints = {
        endpoint
        for endpoint, view in app.view_functions.items()
        if f"{view.__module__}.{view.__name__}" in exempt_views
        or endpoint in exempt_views
    }
    assert endpoints <= EXEMPT


def form_data(app: Flask, world: World, admin: Visitor) -> dict[str, dict[str, Any]]:
    """What each endpoint's form would send untouched (its current values)."""
    data: dict[str, dict[str, Any]] = {}
    for form in all_forms(app, world, admin):
        endpoint = endpoint_of(app, form)
        if endpoint and form.method == "POST":
            values = form.filled(f"CSRF-prov {len(data)}")
            # prefixed forms name it p5-csrf_token; Flask-WTF accepts any *csrf_token
            data.setdefault(
                endpoint,
                {k: v for k, v in values.items() if not k.endswith("csrf_token")},
            )
    return data
