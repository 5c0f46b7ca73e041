"""Keyboard only (Tab, Shift+Tab, Enter, Space), with visible focus at every stop."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect
from route_samples import get_pages
from visitors import path_of

from browser.keyboard import KeyboardUser, focus
from browser.kit import LiveServer, Shots


def test_skip_link_comes_first_and_jumps_to_the_content(
    open_as: Callable[[str], Page], shots: Shots
) -> None:
    """The first Tab shows "Hoppa till innehållet"; Enter moves focus past the menu."""
    page = open_as("staff")
    page.goto("/")
    keys = KeyboardUser(page)
    first = keys.press("Tab")
    assert first is not None and first.name == "Hoppa till innehållet"
    assert first.visible, "the skip link must appear when focused"
    shots(page, "skip-link")
    after = keys.press("Enter")
    assert after is not None and after.id == "main"
    following = keys.press("Tab")
    assert following is not None
    assert page.evaluate("document.activeElement.closest('main') !== null")
    assert keys.invisible == []


def test_every_page_has_swedish_lang_and_the_statement_in_its_footer(
    open_as: Callable[[str], Page],
) -> None:
    """lang="sv" and a footer link to /tillganglighet, on pages of every kind."""
    page = open_as("staff")
    for url in ["/", "/plans/", "/groups/multiteamsgruppen", "/me/", "/finns-inte"]:
        page.goto(url)
        assert page.locator("html").get_attribute("lang") == "sv", url
        link = page.locator("footer").get_by_role(
            "link", name="Tillgänglighetsredogörelse"
        )
        expect(link).to_have_attribute("href", "/tillganglighet")


def test_accessibility_statement_has_what_the_law_asks(
    open_as: Callable[[str], Page],
) -> None:
    """Conformance, known gaps, date and method, feedback and DIGG's complaint form."""
    page = open_as("anonymous")
    page.goto("/tillganglighet")
    text = page.locator("main").inner_text()
    for needed in ["WCAG 2.1", "Kända brister", "Hur vi har testat", "Rapportera"]:
        assert needed in text
    assert re.search(r"\d{4}-\d{2}-\d{2}", text), "the date of the assessment"
    assert page.locator("main a[href^='mailto:']").count() >= 1
    expect(page.locator("main a[href*='digg.se']")).to_have_count(1)


def test_log_in_and_find_the_open_call_by_keyboard(
    open_as: Callable[[str], Page], shots: Shots
) -> None:
    """Log in, go to the open sign-ups and open a recruiting group: keys only."""
    page = open_as("anonymous")
    page.goto("/login")
    keys = KeyboardUser(page)
    keys.tab_to("E-postadress")
    keys.type("medarbetare@demo.se")
    password = keys.press("Tab")
    assert password is not None and password.name == "Lösenord"
    back = keys.press("Shift+Tab")
    assert back is not None and back.name.startswith("E-postadress")
    keys.press("Tab")
    keys.type("demo")
    shots(page, "login-filled")
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Översikt")
    keys.tab_to("Öppna anmälningar")
    keys.press("Enter")
    expect(page).to_have_url(re.compile("/anmalningar/$"))
    keys.tab_to("Gemensam ingång")  # still recruiting whatever ran before
    shots(page, "open-calls")
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Gemensam ingång")
    shots(page, "group")
    assert keys.invisible == [], keys.invisible
    assert keys.stops > 5


def test_leader_moves_an_assignment_by_keyboard(
    open_as: Callable[[str], Page], shots: Shots
) -> None:
    """Open a plan, an assignment, pick a stage with the arrows and press Space."""
    page = open_as("leadership")
    page.goto("/plans/bli-en-processorganisation")
    keys = KeyboardUser(page)
    keys.tab_to("Kartlägga kärnprocesserna")
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Kartlägga kärnprocesserna"
    )
    stage = keys.tab_to(re.compile("^Steg"))
    select = page.locator(f"#{stage.id}")
    before = select.input_value()
    keys.press("ArrowDown")
    if select.input_value() == before:  # already in the last stage: go up instead
        keys.press("ArrowUp")
    chosen = select.locator("option:checked").inner_text()
    button = keys.press("Tab")
    assert button is not None and button.name == "Flytta"
    keys.press("Space")
    expect(page.locator(".flash")).to_contain_text(f"Flyttat till {chosen}")
    shots(page, "moved")
    now = focus(page)
    assert now is None or now.visible
    assert keys.invisible == [], keys.invisible


FOCUS_TOUR = [
    "/",
    "/plans/bli-en-processorganisation",
    "/groups/multiteamsgruppen",
    "/activity/",
    "/admin/users",
]


def test_every_focus_stop_is_visible(
    open_as: Callable[[str], Page], shots: Shots
) -> None:
    """Tab through whole pages full of links, buttons and fields (admin sees all)."""
    page = open_as("admin")
    keys = KeyboardUser(page)
    for url in FOCUS_TOUR:
        page.goto(url)
        seen = set()
        for _ in range(120):
            now = keys.press("Tab")
            if now is None or (now.tag, now.id, now.name) in seen:
                break  # back at the start of the page
            seen.add((now.tag, now.id, now.name))
        assert len(seen) > 10, url
    shots(page, "last-stop")
    assert keys.invisible == [], "\n".join(keys.invisible)


def test_every_page_reflows_at_320_pixels(
    open_as: Callable[[str], Page], live_server: LiveServer, shots: Shots
) -> None:
    """WCAG 1.4.10: at 320 CSS px (400 % zoom) no page needs sideways scrolling."""
    page = open_as("admin")
    page.set_viewport_size({"width": 320, "height": 640})
    wide = []
    for call in get_pages(live_server.app, live_server.world):
        url = path_of(live_server.app, call)
        page.goto(url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > 321:
            wide.append(f"{url}: {width}px")
            shots(page, f"too-wide-{len(wide)}")
    assert wide == [], wide
