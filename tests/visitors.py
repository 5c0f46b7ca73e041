"""Sessions of each role over the test client, reused call after call."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from conftest import CSRF_RE, login
from flask import Flask, url_for
from flask.testing import FlaskClient
from formscan import Form, parse_forms
from route_samples import Call, get_pages
from route_world import ROLES, World, build_world
from sqlalchemy import Connection

from tracker.db import get_session

MISSING = object()  # send no CSRF token at all


@dataclass
class Visitor:
    """A browser session of one role: its cookie and CSRF token, reused per call."""

    role: str
    client: FlaskClient
    cookie: str | None
    token: str

    def send(
        self,
        app: Flask,
        call: Call,
        data: dict[str, Any] | None = None,
        token: Any = None,
    ) -> Any:
        """Make *call* as this visitor, from the same session every time."""
        self.restore()
        path = path_of(app, call)
        if call.method == "GET":
            return self.client.get(path, query_string=data)
        payload = dict(data or {})
        if token is not MISSING:
            payload["csrf_token"] = self.token if token is None else token
        return self.client.open(path, method=call.method, data=payload)

    def restore(self) -> None:
        """Put this visitor's session cookie back (a call may have changed it)."""
        if self.cookie is None:
            self.client.delete_cookie("session")
        else:
            self.client.set_cookie("session", self.cookie)

    def forms(self, app: Flask, pages: list[Call]) -> list[Form]:
        """Every form on *pages* as this visitor sees them."""
        found: list[Form] = []
        for call in pages:
            self.restore()
            path = path_of(app, call)
            response = self.client.get(path)
            if response.status_code == 200 and response.mimetype == "text/html":
                found += parse_forms(response.get_data(as_text=True), path)
        return found


def path_of(app: Flask, call: Call) -> str:
    """The URL of *call*."""
    with app.test_request_context():
        return url_for(call.endpoint, **call.values)


def make_world(app: Flask) -> World:
    """The objects the routes point at, committed inside the test's transaction."""
    with app.app_context():
        world = build_world(get_session())
        get_session().commit()
    return world


def make_visitor(app: Flask, role: str, world: World) -> Visitor:
    """Log *role* in (unless anonymous) and keep its session cookie and token."""
    client = app.test_client()
    if role != "anonymous":
        email = world.logins[role].email or ""
        assert login(client, email).status_code == 302, f"{role} could not log in"
    page = client.get("/tillganglighet").get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, "no CSRF token on the accessibility statement"
    cookie = client.get_cookie("session")
    return Visitor(role, client, cookie.value if cookie else None, match.group(1))


def make_visitors(app: Flask, world: World) -> dict[str, Visitor]:
    """One logged-in session per role (anonymous too)."""
    return {role: make_visitor(app, role, world) for role in ROLES}


def all_forms(app: Flask, world: World, visitor: Visitor) -> list[Form]:
    """Every form on every GET page, as *visitor* sees them."""
    return visitor.forms(app, get_pages(app, world))


@contextmanager
def isolated(connection: Connection) -> Iterator[None]:
    """Run one call inside a savepoint that is rolled back, so calls don't interact."""
    nested = connection.begin_nested()
    try:
        yield
    finally:
        if nested.is_active:
            nested.rollback()


def sent_to_login(response: Any) -> bool:
    """Whether the response asks the visitor to log in."""
    if response.status_code not in (301, 302, 303, 307):
        return False
    location = urlsplit(response.headers["Location"])
    return location.path == "/login" and "next=" in location.query
