"""Issue #17 "Lists that inform": grouped events, the participation matrix and a
plan's documents folder pass axe and read well on a phone."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from browser.kit import LiveServer, Shots
from browser.test_a11y import axe_violations
from browser.test_phone import PHONE, sideways_overflow
from tracker.models.plans import ActionPlan

PAGES = ["/", "/activity/", "/anmalningar/deltagande"]


@pytest.mark.parametrize("path", PAGES)
def test_the_lists_pass_axe_for_leadership_wide_and_on_a_phone(
    path: str, open_as: Callable[[str], Page], shots: Shots
) -> None:
    """0 axe violations; at 390 px the page never scrolls sideways."""
    page = open_as("leadership")
    page.goto(path)
    assert axe_violations(page) == []
    page.set_viewport_size(PHONE)
    page.goto(path)
    shots(page, "phone")
    assert sideways_overflow(page) <= 0
    assert axe_violations(page) == []


def test_a_grouped_row_opens_to_its_events(
    open_as: Callable[[str], Page], shots: Shots
) -> None:
    """The demo's applications are counted rows; each opens to its events."""
    page = open_as("leadership")
    page.goto("/activity/")
    details = page.locator("details.event-group").first
    expect(details).to_be_visible()
    details.locator("summary").click()
    expect(details.locator("li").first).to_be_visible()
    shots(page, "opened")
    assert axe_violations(page) == []


def test_the_overview_passes_axe_for_the_public(open_as: Callable[[str], Page]) -> None:
    """The public overview: grouped rows without names, still accessible."""
    page = open_as("anonymous")
    page.goto("/")
    assert axe_violations(page) == []


def test_a_plan_page_shows_its_documents_folder(
    open_as: Callable[[str], Page], live_server: LiveServer, shots: Shots
) -> None:
    """The demo's first plan has a folder path with a copy button; axe 0."""
    with live_server.db() as session:
        slug = session.scalars(
            select(ActionPlan.slug).where(ActionPlan.documents_link != "")
        ).first()
    assert slug is not None
    page = open_as("staff")
    page.goto(f"/plans/{slug}")
    expect(page.locator(".plan-documents code")).to_contain_text("Handlingsplaner")
    expect(page.get_by_role("button", name="Kopiera sökvägen")).to_be_visible()
    shots(page, "documents")
    assert axe_violations(page) == []
