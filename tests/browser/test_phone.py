"""Phone first: a compact header with a menu button, stacked tables, reflow at 320 px.

Screenshots of every page at 390 and 1366 px go to test-artifacts/screens/.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from route_samples import get_pages
from visitors import path_of

from browser.kit import ARTIFACTS, LiveServer
from browser.test_a11y import axe_violations

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1366, "height": 768}
SCREENS = ARTIFACTS / "screens"


def header_height(page: Page) -> float:
    """The header's height in CSS pixels as the page shows it now."""
    box = page.locator("header.site-header").bounding_box()
    assert box is not None
    return float(box["height"])


def sideways_overflow(page: Page) -> int:
    """How many pixels the page is wider than the window (0: no sideways scroll)."""
    return int(
        page.evaluate(
            "document.documentElement.scrollWidth"
            " - document.documentElement.clientWidth"
        )
    )


def test_phone_header_is_compact_and_the_menu_opens_from_the_keyboard(
    open_as: Callable[[str], Page],
) -> None:
    """At 390 px the header is at most 120 px; the menu button opens and closes it."""
    page = open_as("admin")  # the admin has the longest menu
    page.set_viewport_size(PHONE)
    page.goto("/")
    button = page.get_by_role("button", name="Meny")
    expect(button).to_be_visible()
    expect(button).to_have_attribute("aria-expanded", "false")
    assert header_height(page) <= 120
    menu = page.get_by_role("navigation", name="Huvudmeny")
    expect(menu).to_be_hidden()

    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand
    page.keyboard.press("Tab")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu).to_be_visible()
    expect(page.get_by_role("searchbox", name="Sök")).to_be_visible()
    assert axe_violations(page) == []
    page.keyboard.press("Tab")
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_be_focused()
    page.get_by_role("button", name="Meny").click()
    page.get_by_role("link", name="Arbetsgrupper").click()
    expect(page).to_have_url(re.compile(r"/groups/?$"))
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_hidden()


def test_wide_screen_shows_the_menu_without_a_button(
    open_as: Callable[[str], Page],
) -> None:
    """At 1366 px the whole menu is visible and there is no menu button."""
    page = open_as("leadership")
    page.set_viewport_size(LAPTOP)
    page.goto("/")
    expect(page.get_by_role("button", name="Meny")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Huvudmeny")).to_be_visible()
    expect(page.get_by_role("link", name="Handlingsplaner")).to_be_visible()


def test_wide_tables_become_labelled_rows_on_a_phone(
    open_as: Callable[[str], Page], live_server: LiveServer
) -> None:
    """The people table fits 390 px: one block per person, each value labelled."""
    page = open_as("leadership")
    page.set_viewport_size(PHONE)
    page.goto("/people/")
    table = page.locator("main table").first
    expect(table).to_have_class(re.compile(r"\bstacked\b"))
    assert sideways_overflow(page) == 0
    box = table.bounding_box()
    assert box is not None
    assert box["width"] <= PHONE["width"]
    first_cell = table.locator("tbody td").first
    label = first_cell.get_attribute("data-label")
    headings = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    assert label in headings
    # still a table to a screen reader
    assert table.get_attribute("role") == "table"
    assert first_cell.get_attribute("role") == "cell"
    assert axe_violations(page) == []


def test_swedish_text_is_hyphenated(open_as: Callable[[str], Page]) -> None:
    """Under lang="sv" headings and text hyphenate instead of breaking anywhere."""
    page = open_as("staff")
    page.set_viewport_size({"width": 320, "height": 700})
    page.goto("/plans/")
    assert page.locator("html").get_attribute("lang") == "sv"
    hyphens = page.locator("h1").evaluate("el => getComputedStyle(el).hyphens")
    wrap = page.locator("h1").evaluate("el => getComputedStyle(el).overflowWrap")
    assert hyphens == "auto"
    assert wrap == "break-word"  # never "anywhere", which split "organisatio / n"


@pytest.mark.parametrize(
    ("role", "size"),
    [("leadership", PHONE), ("leadership", LAPTOP), ("staff", {"width": 320})],
    ids=["390", "1366", "320"],
)
def test_every_page_fits_the_window_and_is_photographed(
    role: str,
    size: dict[str, int],
    open_as: Callable[[str], Page],
    live_server: LiveServer,
) -> None:
    """No page scrolls sideways at 1366, 390 and 320 px (WCAG 1.4.10 at the narrow
    ones); screenshots saved."""
    page = open_as(role)
    width = size["width"]
    page.set_viewport_size({"width": width, "height": size.get("height", 700)})
    folder = SCREENS / str(width)
    folder.mkdir(parents=True, exist_ok=True)
    overflowing = []
    seen: set[str] = set()
    for call in get_pages(live_server.app, live_server.world):
        url = path_of(live_server.app, call)
        response = page.goto(url)
        assert response is not None
        landed = page.url.split("?")[0]
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        if landed in seen:
            continue
        seen.add(landed)
        if width == 320:  # 320 px is checked, not photographed
            if sideways_overflow(page) > 0:
                overflowing.append(f"{url}: {sideways_overflow(page)} px")
            continue
        name = re.sub(r"[^\w-]+", "-", call.endpoint) + ".png"
        page.screenshot(path=str(folder / name), full_page=True)
        if sideways_overflow(page) > 0:  # at a laptop's width too
            overflowing.append(f"{url}: {sideways_overflow(page)} px")
    assert overflowing == []
    assert len(seen) >= 20
