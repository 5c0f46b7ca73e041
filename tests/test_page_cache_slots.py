"""The page cache's slots cannot be steered by what people write on a page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import CSRF_RE, login
from factories import make_person, make_plan
from flask import Flask

from tracker import page_cache
from tracker.db import get_session
from tracker.models.people import Role

INJECTED = [
    # the reviewers' plan goal: every reader's token and name into an off-site link
    "[Läs mer](https://elsewhere.example/c?t=\ue000csrf\ue000&who=\ue000viewer\ue000)",
    # the names the slots have in templates, and a marker's very shape
    "[Läs mer](https://elsewhere.example/c?t=\ue000csrf_token\ue000"
    "&who=\ue000viewer_name\ue000)",
    "[Läs mer](https://elsewhere.example/c?t=\ue000" + "0" * 32 + "\ue000)",
    "[Läs mer](https://elsewhere.example/c?t=\ue000\ue000\ue000)",
]


def readers(app: Flask, goal: str) -> tuple[str, Any, Any]:
    """A plan with *goal*, and two leaders' browsers."""
    with app.app_context():
        db = get_session()
        plan = make_plan(db, title="Planen med länken", goal=goal)
        make_person(db, name="Ada Ledare", email="ada@test.se", role=Role.LEADERSHIP)
        make_person(db, name="Bo Ledare", email="bo@test.se", role=Role.LEADERSHIP)
        db.commit()
        slug = plan.slug
    ada, bo = app.test_client(), app.test_client()
    login(ada, "ada@test.se")
    login(bo, "bo@test.se")
    ada.get("/")  # the login's welcome message is shown once, uncached
    bo.get("/")
    return str(slug), ada, bo


@pytest.mark.parametrize("goal", INJECTED)
def test_a_plan_goal_cannot_carry_a_readers_token_or_name_off_site(
    app: Flask, goal: str
) -> None:
    slug, ada, bo = readers(app, goal)
    for browser in (ada, bo, ada, bo):  # rendered once, then served from the cache
        browser.get(f"/plans/{slug}")
    for browser, name in ((ada, "Ada Ledare"), (bo, "Bo Ledare")):
        page = browser.get(f"/plans/{slug}").get_data(as_text=True)
        token = CSRF_RE.search(page)
        links = re.findall(r'href="(https://elsewhere\.example/[^"]*)"', page)
        assert token is not None and links
        for link in links:
            assert token[1] not in link and name not in link
            assert "Ledare" not in link
        # the reader's own slots are still filled where the page has them
        assert re.search(r'class="logout-form".*?<span>' + name, page, re.S)


def test_a_new_slot_is_one_entry_filled_per_request(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Slots are a dict of name -> value; the same cached page shows each reader's."""
    _slug, ada, bo = readers(app, "Ett mål.")
    seen = iter(["Första", "Andra", "Tredje"])
    monkeypatch.setitem(page_cache.SLOTS, "viewer_name", lambda: next(seen))
    pages = [browser.get("/").get_data(as_text=True) for browser in (ada, bo, ada)]
    for page, value in zip(pages, ["Första", "Andra", "Tredje"], strict=True):
        assert f"<span>{value}</span>" in page
    assert len(app.extensions["tracker.page_cache"]) == 1
