"""No input makes a server error: odd path segments on every route, Trello
webhooks of every shape, documents links that are not links."""

from __future__ import annotations

import json
import re
from typing import Any
from urllib.parse import quote

import pytest
from conftest import login, make_test_app, post_form
from factories import make_assignment, make_person
from flask import Flask
from route_samples import rules, sample
from route_world import World, build_world
from sqlalchemy import Connection
from visitors import Visitor, isolated, make_visitor
from werkzeug.routing import Rule

from sync.webhook import MAX_PAYLOAD_BYTES, signature
from tracker.db import get_session
from tracker.models.assignments import Assignment
from tracker.models.people import Role

NUL = ["\x00", "a\x00b"]
HUGE = [str(2**31), "99999999999999999999", "9" * 400]
ODD = ["..", " ", "-1", "00001", "١٢", "a/b", "%", "<x>", "é" * 300]
ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([a-z_]+)>")


def path_with(rule: Rule, values: dict[str, Any]) -> str:
    """The rule's path with *values* put in as they are (quoted), unchecked."""
    return ARGUMENT.sub(lambda m: quote(str(values[m[1]]), safe=""), rule.rule)


def kind_of(rule: Rule, argument: str, kind: str) -> str:
    """What the answer must be: "nul" and "huge id" are 404, the rest not 500."""
    if kind == "huge" and f"<int:{argument}>" in rule.rule:
        return "huge id"
    return kind


def odd_paths(app: Flask, world: World) -> list[tuple[Rule, str, str]]:
    """(rule, path, kind of value) for every argument of every route, plus a NUL
    after every path and inside the static files' address."""
    static = next(r for r in app.url_map.iter_rules() if r.endpoint == "static")
    paths = [(static, "/static/tracker\x00.css", "nul")]
    for rule in rules(app):
        good = {a: sample(world, rule.endpoint, a) for a in rule.arguments}
        paths.append((rule, path_with(rule, good) + "\x00", "nul"))
        for argument in sorted(rule.arguments):
            for kind, values in (("nul", NUL), ("huge", HUGE), ("odd", ODD)):
                for value in values:
                    path = path_with(rule, good | {argument: value})
                    paths.append((rule, path, kind_of(rule, argument, kind)))
    return paths


@pytest.fixture
def world(app: Flask) -> World:
    with app.app_context():
        world = build_world(get_session())
        get_session().commit()
    return world


def send(app: Flask, visitor: Visitor, method: str, path: str) -> Any:
    visitor.restore()
    if method == "GET":
        return visitor.client.get(path)
    return visitor.client.open(path, method=method, data={"csrf_token": visitor.token})


def test_no_route_answers_odd_segments_with_a_server_error(
    app: Flask, world: World, connection: Connection, capsys: Any
) -> None:
    """NUL anywhere in the path is a 404, an id beyond the database's range a 404,
    anything else never a server error; as an admin and as a visitor."""
    visitors = [make_visitor(app, role, world) for role in ("admin", "anonymous")]
    wrong, sent, routes = [], 0, set()
    for rule, path, kind in odd_paths(app, world):
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        for visitor in visitors:
            for method in methods:
                with isolated(connection):
                    status = send(app, visitor, method, path).status_code
                sent += 1
                routes.add(rule.endpoint)
                must_be_404 = kind in ("nul", "huge id")
                if status >= 500 or (must_be_404 and status != 404):
                    wrong.append(f"{visitor.role} {method} {path!r}: {status}")
    with capsys.disabled():
        print(f"\nbad input: {sent} requests to {len(routes)} routes")
    assert wrong == []
    assert len(routes) >= 80


@pytest.fixture
def hook_app(db_url: str, connection: Connection) -> Flask:
    app = make_test_app(db_url, TRELLO={"APP_SECRET": "hemligt"})
    app.extensions["tracker.sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    return app


def signed(app: Flask, body: bytes) -> Any:
    """POST *body* to the webhook with Trello's signature."""
    callback = "https://tracker.test/trello/webhook"
    header = signature("hemligt", body, callback)
    return app.test_client().post(
        "/trello/webhook",
        data=body,
        headers={"X-Trello-Webhook": header},
        content_type="application/json",
    )


@pytest.mark.parametrize(
    "body",
    [
        b"[]",
        b'"text"',
        b"1",
        b"null",
        b"{",
        b"\xff\xfe{}",
        b'{"action": "x"}',
        b'{"action": []}',
        b'{"model": []}',
        b'{"model": {"id": {"a": 1}}}',
        b'{"model": {"id": 12}}',
        b'{"action": {"data": "x"}}',
        b'{"action": {"data": {"board": []}}}',
        b'{"action": {"data": {"board": {"id": ["b"]}}}}',
        b'{"action": {"idMemberCreator": 5}}',
        b"[" * 100_000 + b"]" * 100_000,
    ],
)
def test_a_signed_webhook_of_the_wrong_shape_is_refused(
    hook_app: Flask, body: bytes
) -> None:
    assert signed(hook_app, body).status_code == 400


def test_a_webhook_of_trellos_shape_is_taken(hook_app: Flask) -> None:
    body = {"model": {"id": "b" * 24}, "action": {"data": {"board": {"id": "x"}}}}
    assert signed(hook_app, json.dumps(body).encode()).status_code == 410  # unknown


def test_an_oversized_webhook_is_refused_before_anything_else(hook_app: Flask) -> None:
    big = b'{"model": {"id": "' + b"b" * MAX_PAYLOAD_BYTES + b'"}}'
    assert signed(hook_app, big).status_code == 413
    unsigned = hook_app.test_client().post("/trello/webhook", data=big)
    assert unsigned.status_code == 413


ACCEPTED = [
    "https://intranat.kommun.se/sites/amf/Handlingsplaner",
    "http://intra/amf",
    "file:///G:/Allm%C3%A4nt/Handlingsplaner",
    "\\\\kommun\\projekt\\amf",
    "G:\\Allmänt\\Handlingsplaner – AMF",
    "G:/Allmänt",
    "g:\\",
]
REFUSED = [
    "javascript:alert(1)",
    " javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "ftp://filer/amf",
    "mailto:amf@kommun.se",
    "//evil.example/",
    "https://",
    "https:// evil",
    "http:/intra",
    "G:",
    "\\\\kommun",
    "Allmänt\\Handlingsplaner",
    "https://intra/\tamf",
    "https://intra/<b>",
    'https://intra/"onmouseover',
    "G:\\<script>",
    "\\\\kommun\\projekt|x",
]


@pytest.fixture
def editor(app: Flask) -> tuple[Any, int]:
    """A leader's browser and an assignment to edit."""
    with app.app_context():
        make_person(get_session(), email="ledare@docs.se", role=Role.LEADERSHIP)
        assignment = make_assignment(get_session(), title="Med dokument")
        get_session().commit()
        assignment_id = assignment.id
    browser = app.test_client()
    login(browser, "ledare@docs.se")
    return browser, assignment_id


def save_link(app: Flask, editor: tuple[Any, int], link: str) -> tuple[int, str, str]:
    """Edit the assignment's documents link: status, what is stored, the page."""
    browser, assignment_id = editor
    path = f"/assignments/{assignment_id}/edit"
    response = post_form(
        browser, path, {"title": "Med dokument", "documents_link": link}
    )
    with app.app_context():
        stored = get_session().get(Assignment, assignment_id)
        assert stored is not None
        page = response.get_data(as_text=True)
        return response.status_code, stored.documents_link, page


@pytest.mark.parametrize("link", REFUSED)
def test_a_documents_link_that_is_no_web_address_or_path_is_refused(
    app: Flask, editor: tuple[Any, int], link: str
) -> None:
    status, stored, page = save_link(app, editor, link)
    assert (status, stored) == (200, "")
    assert "Skriv en webbadress som börjar med https://" in page


@pytest.mark.parametrize("link", ACCEPTED)
def test_web_addresses_and_folder_paths_are_kept_and_shown_to_use(
    app: Flask, editor: tuple[Any, int], link: str
) -> None:
    browser, assignment_id = editor
    assert save_link(app, editor, link)[:2] == (302, link)
    page = browser.get(f"/assignments/{assignment_id}").get_data(as_text=True)
    if link.startswith("http"):
        assert f'<a href="{link}" rel="noopener noreferrer">' in page
    else:  # a path: copyable text and a copy button, never a link
        assert 'class="copy-source">' in page
        assert "Kopiera sökvägen" in page and "copy.js" in page
        assert 'href="file:' not in page and 'href="\\\\' not in page


def test_an_old_unsafe_link_is_shown_as_text_and_can_stay(
    app: Flask, editor: tuple[Any, int]
) -> None:
    """Stored before the check: plain text, and editing other fields still works."""
    browser, assignment_id = editor
    with app.app_context():
        stored = get_session().get(Assignment, assignment_id)
        assert stored is not None
        stored.documents_link = "javascript:alert(1)"
        get_session().commit()
    page = browser.get(f"/assignments/{assignment_id}").get_data(as_text=True)
    assert "<code>javascript:alert(1)</code>" in page
    assert 'href="javascript' not in page
    data = {"title": "Nytt namn", "documents_link": "javascript:alert(1)"}
    response = post_form(browser, f"/assignments/{assignment_id}/edit", data)
    assert response.status_code == 302
