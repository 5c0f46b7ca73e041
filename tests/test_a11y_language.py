"""No English inside Swedish pages (WCAG 3.1.2 Language of Parts): the activity log.

Every activity event is shown as "<who> <verb> <kind of object> <object>". A verb or
object type without a label would print its English identifier in a page marked
lang="sv", which a screen reader then pronounces as Swedish.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from flask import Flask
from route_world import World
from sqlalchemy import Connection, select
from visitors import make_visitor, make_world

from tracker.labels import OBJECT_TYPES, VERBS
from tracker.models.activity import ActivityEvent

ROOT = Path(__file__).resolve().parent.parent
RECORDERS = {"record", "_log", "_record", "log_event"}


def recorded_verbs() -> dict[str, str]:
    """Verb literals passed to activity.record (or a service's _log) -> where."""
    found: dict[str, str] = {}
    for path in [*ROOT.glob("tracker/**/*.py"), *ROOT.glob("sync/**/*.py")]:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or len(node.args) < 3:
                continue
            func = node.func
            name = (
                func.attr
                if isinstance(func, ast.Attribute)
                else getattr(func, "id", "")
            )
            verb = node.args[2]
            literal = isinstance(verb, ast.Constant) and isinstance(verb.value, str)
            if name in RECORDERS and literal:
                found.setdefault(verb.value, f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_the_scan_finds_the_core_verbs() -> None:
    """Proof the scan works: it sees verbs we know are recorded."""
    assert {"created", "moved", "reported", "member_added"} <= set(recorded_verbs())


def test_every_recorded_verb_has_a_label() -> None:
    """Each verb a service records is in tracker.labels.VERBS (hence translated)."""
    missing = {v: where for v, where in recorded_verbs().items() if v not in VERBS}
    assert missing == {}, f"add to tracker/labels.py VERBS: {missing}"


@pytest.fixture
def world(app: Flask) -> World:
    """Plans, groups, applications, a selection, invitations, digests, Trello."""
    return make_world(app)


def test_every_event_of_a_busy_programme_reads_in_swedish(
    app: Flask, world: World, connection: Connection
) -> None:
    """After the whole world was made, no verb or object type lacks a label."""
    rows = connection.execute(
        select(ActivityEvent.verb, ActivityEvent.object_type).distinct()
    ).all()
    assert len(rows) > 10
    unlabelled = sorted(
        {f"verb {verb}" for verb, _ in rows if verb not in VERBS}
        | {f"object type {kind}" for _, kind in rows if kind not in OBJECT_TYPES}
    )
    assert unlabelled == [], "add to tracker/labels.py: " + ", ".join(unlabelled)
    page = make_visitor(app, "admin", world).client.get("/activity/?page=1")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "Application" not in text


def test_audit_history_names_fields_and_states_in_swedish(
    app: Flask, world: World
) -> None:
    """ "Läge: Planerad → Rekryterar", not "state: planned → recruiting"."""
    leader = make_visitor(app, "leadership", world)
    page = leader.client.get(f"/groups/{world.open_group_slug}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Läge:</span> Planerad → Rekryterar" in text
    history = text[text.index('<table class="history">') :]
    assert "state:" not in history and ">recruiting" not in history, history[:600]
