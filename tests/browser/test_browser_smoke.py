"""The harness itself: Chromium reaches the live server and logs in."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect

from browser.kit import Shots, Watcher


def test_leadership_sees_the_five_plans(
    open_as: Callable[[str], Page], shots: Shots, watcher: Watcher
) -> None:
    page = open_as("leadership")
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")
    expect(page.get_by_text("Bli en processorganisation").first).to_be_visible()
    shots(page, "overview")
    assert watcher.console == []
