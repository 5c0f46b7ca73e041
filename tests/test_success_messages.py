"""Every change made through a form is confirmed: a message on the next page.

Built on the CSRF sweep's machinery (tests/test_csrf_all_routes.py): every
state-changing route is posted with the form its page shows, untouched, by the first
role allowed to post it (the staff login owns the "[own]" objects). Where that
really changed the database and the answer is a redirect to one of our pages, the
page it leads to must show a flash message.

What the sweep cannot see is left to the table below or to the area's own tests:
routes whose untouched form changes nothing in the world (a past date, an object in
another state), changes that live only in the browser session (the language), and
forms that answer by rendering a page themselves (the new API token's box is its
message; the WordPress test shows its report). A flash of any category counts:
feeds use Flask's default category, and the test mail warns that it waits in the
outbox when no mail server is set.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from authz_table import OK, TABLE
from conftest import post_form
from flask import Flask, url_for
from route_world import World
from sqlalchemy import Connection
from test_csrf_all_routes import EXEMPT, form_data, snapshot, state_changing
from visitors import Visitor, isolated, make_visitor, make_world

FLASH_RE = re.compile(r'<p class="flash flash-(\w+)">([^<]*)</p>')
REDIRECTS = (301, 302, 303)


def own_application(world: World) -> dict[str, Any]:
    """The staff login's own application in the world."""
    return {"application_id": world.extra["own_application_id"]}


# who posts: the first role allowed to (the staff login owns the "[own]" objects)
ROLE_ORDER = ("anonymous", "admin", "staff", "leadership", "communicator")


@pytest.fixture
def world(app: Flask) -> World:
    """The objects the routes point at."""
    return make_world(app)


def landing_flashes(visitor: Visitor, response: Any) -> list[tuple[str, str]]:
    """The flash messages on the page a redirect leads to, (category, text)."""
    location = urlsplit(response.headers["Location"])
    path = location.path + (f"?{location.query}" if location.query else "")
    page = visitor.client.get(path, follow_redirects=True).get_data(as_text=True)
    return FLASH_RE.findall(page)


def test_every_change_by_form_is_confirmed(
    app: Flask, world: World, connection: Connection
) -> None:
    """A form post that changed data and redirects tells the user what happened."""
    visitors = {role: make_visitor(app, role, world) for role in ROLE_ORDER}
    data = form_data(app, world, visitors["admin"])
    silent: list[str] = []
    confirmed: list[str] = []
    for call in state_changing(app, world):
        if call.endpoint in EXEMPT:  # the JSON API, the webhook, mail programs
            continue
        allowed = [role for role in ROLE_ORDER if TABLE[call.key][role] == OK]
        if not allowed:
            continue
        visitor = visitors[allowed[0]]  # the owner, for one's own objects
        before = snapshot(connection)
        with isolated(connection):
            response = visitor.send(app, call, data.get(call.endpoint))
            changed = snapshot(connection) != before
            if not changed or response.status_code not in REDIRECTS:
                continue
            if urlsplit(response.headers["Location"]).netloc:
                continue  # to the identity provider, not one of our pages
            flashes = landing_flashes(visitor, response)
        # any category counts: feeds' default "message" confirms too, and the test
        # mail warns (no mail server here) that it waits in the outbox
        if flashes:
            confirmed.append(call.key)
        else:
            silent.append(f"{call.key}: {flashes or 'no message'}")
    assert silent == [], "changed data without a message:\n" + "\n".join(silent)
    # the sweep is real: a good share of the routes were posted, changed and checked
    assert len(confirmed) >= 40, confirmed


# What the sweep cannot reach: changes that live in the browser session, routes whose
# untouched form changes nothing in the world, and steps that need an earlier step.
# Each row: the role, then (endpoint, URL values from the world, form data) posted
# in order, and the message the last one must show.
Step = tuple[str, Callable[[World], dict[str, Any]], dict[str, str]]
TABLE_CASES: dict[str, tuple[str, list[Step], str]] = {
    "language en": (
        "staff",
        [("auth.language", lambda w: {}, {"lang": "en", "next": "/me/"})],
        "The language was changed.",
    ),
    "language sv": (
        "staff",
        [("auth.language", lambda w: {}, {"lang": "sv", "next": "/me/"})],
        "Språket är ändrat.",
    ),
    "all notifications read": (
        "staff",
        [("notifications.mark_all_read", lambda w: {}, {})],
        "Alla notiser är markerade som lästa.",
    ),
    "undo a withdrawal": (
        "staff",
        [
            ("applications.withdraw", own_application, {}),
            ("applications.undo_withdrawal", own_application, {}),
        ],
        "Återkallandet är ångrat: Inskickad.",
    ),
}


@pytest.mark.parametrize("case", sorted(TABLE_CASES))
def test_changes_the_sweep_cannot_see_are_confirmed(
    app: Flask, world: World, case: str
) -> None:
    """Each row's last post leads to a page with its success message."""
    role, steps, message = TABLE_CASES[case]
    visitor = make_visitor(app, role, world)
    response = None
    for endpoint, values, form in steps:
        visitor.restore()
        with app.test_request_context():
            path = url_for(endpoint, **values(world))
        response = post_form(visitor.client, path, form)
        assert response.status_code in REDIRECTS, f"{endpoint}: {response.status_code}"
        cookie = visitor.client.get_cookie("session")
        visitor.cookie = cookie.value if cookie else None
        if endpoint != steps[-1][0]:
            landing_flashes(visitor, response)  # read the step's message
    assert ("success", message) in landing_flashes(visitor, response)
