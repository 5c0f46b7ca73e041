"""Hypothesis fills every field of every form found on the pages: never a 500.

The forms come from the rendered pages (tests/formscan.py), so a form added by any
area is fuzzed as soon as a page shows it. Each example runs in a savepoint that is
rolled back; the app runs with TESTING on, so a server error raises here.
"""

from __future__ import annotations

import os
import traceback
from datetime import date
from typing import Any

import pytest
from flask import Flask
from formscan import Form, FormField, unique_forms
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from route_world import World
from sqlalchemy import Connection
from visitors import Visitor, all_forms, isolated, make_visitor, make_world

EXAMPLES = int(os.environ.get("TRACKER_FUZZ_EXAMPLES", "12"))
EDGE_TEXT = [
    "",
    " ",
    "\x00",
    "a\x00b",
    "\u202e",
    "\ud7ff",
    "😀" * 3,
    "A" * 5000,
    "-1",
    "0",
    "1e309",
    "NaN",
    "2026-02-30",
    "../../etc/passwd",
    "' OR 1=1 --",
    "{{ 7*7 }}{% for x in range(9**9) %}",
    "%s%n%x",
    "\r\n\r\n",
]
EDGE_NUMBERS = ["", "abc", "1e309", "-0", "١٢", " 3 ", "99999999999999999999999"]
EDGE_DATES = ["", "2026-02-30", "0000-00-00", "99999-01-01", "idag", "2026-13-01"]
SKIPPED = {"/logout"}  # it would only end the session the other examples use


def field_strategy(item: FormField) -> st.SearchStrategy[Any]:
    """Values a careless or hostile person could send in *item*."""
    text = st.one_of(st.text(max_size=300), st.sampled_from(EDGE_TEXT))
    if item.kind == "number":
        numbers = st.integers(-(10**20), 10**20).map(str)
        return st.one_of(numbers, st.sampled_from(EDGE_NUMBERS), text)
    if item.kind in ("date", "datetime-local"):
        dates = st.dates(date(1, 1, 1), date(9999, 12, 31)).map(date.isoformat)
        stamps = st.datetimes().map(lambda d: d.isoformat(timespec="minutes"))
        return st.one_of(dates, stamps, st.sampled_from(EDGE_DATES), text)
    if item.kind == "select":
        choice = st.sampled_from(item.options or [""])
        if item.multiple:
            return st.lists(st.one_of(choice, text), max_size=3)
        return st.one_of(choice, choice, text)
    if item.kind in ("checkbox", "radio"):
        return st.sampled_from([None, item.value or "y", "nej"])
    if item.kind == "hidden":
        return st.one_of(st.just(item.value), text)
    return text


def form_strategy(form: Form) -> st.SearchStrategy[dict[str, Any]]:
    """A whole submission: every control, csrf_token left to the visitor."""
    controls = {
        item.name: field_strategy(item)
        for item in form.fields
        if item.kind not in ("submit", "button", "reset")
        and not item.name.endswith("csrf_token")
    }
    return st.fixed_dictionaries(controls).map(
        lambda data: {k: v for k, v in data.items() if v is not None}
    )


def fuzz(app: Flask, visitor: Visitor, form: Form, connection: Connection) -> str:
    """Run Hypothesis on one form; return the failure, or "" when it held."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=form_strategy(form))
    def send(data: dict[str, Any]) -> None:
        with isolated(connection):
            visitor.restore()
            token_field = next(
                (f.name for f in form.fields if f.name.endswith("csrf_token")),
                "csrf_token",
            )
            if form.method == "GET":
                response = visitor.client.get(form.action, query_string=data)
            else:
                payload = data | {token_field: visitor.token}
                response = visitor.client.post(form.action, data=payload)
            assert response.status_code < 500, response.status_code

    try:
        send()
    except Exception as error:  # report every form's failure, not just the first
        return "".join(traceback.format_exception_only(error)) + "\n".join(
            getattr(error, "__notes__", [])
        )
    return ""


@pytest.fixture
def world(app: Flask) -> World:
    """The objects the routes point at."""
    return make_world(app)


def test_no_form_input_causes_a_server_error(
    app: Flask, world: World, connection: Connection
) -> None:
    """Every field of every form, logged in as admin (who sees every form)."""
    admin = make_visitor(app, "admin", world)
    anonymous = make_visitor(app, "anonymous", world)
    forms = unique_forms(all_forms(app, world, admin), app)
    failures = []
    for (endpoint, method, _names), form in sorted(forms.items()):
        if form.action in SKIPPED:
            continue
        visitor = anonymous if endpoint == "auth.login" else admin
        if problem := fuzz(app, visitor, form, connection):
            failures.append(f"{method} {form.action} ({endpoint}):\n{problem}")
    assert failures == [], "\n\n".join(failures)
    assert len(forms) >= 30
