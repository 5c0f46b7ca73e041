"""WCAG 2.1 AA with axe-core on every page type, as each role: 0 violations."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page
from route_samples import get_pages
from route_world import ROLES
from visitors import path_of

from browser.kit import LiveServer, Shots

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE = Axe()
HTML = "text/html"


def axe_violations(page: Page) -> list[str]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now."""
    results = AXE.run(page, options={"runOnly": {"type": "tag", "values": TAGS}})
    found = []
    for violation in results.response["violations"]:
        targets = [" ".join(map(str, node["target"])) for node in violation["nodes"]]
        found.append(
            f"{page.url}: {violation['id']} ({violation['impact']}): "
            f"{violation['help']} at {', '.join(targets[:5])}"
        )
    return found


def check(page: Page, url: str, seen: set[str], shots: Shots) -> list[str]:
    """Load *url* and run axe, once per distinct page the role ends up on."""
    response = page.goto(url)
    assert response is not None
    content_type = response.headers.get("content-type", "")
    landed = page.url.split("?")[0]
    key = f"{response.status} {landed}" if response.status == 200 else response.status
    if not content_type.startswith(HTML) or str(key) in seen:
        return []
    seen.add(str(key))
    found = axe_violations(page)
    if found:
        shots(page, f"violation-{len(seen)}")
    return found


@pytest.mark.parametrize("role", ROLES)
def test_every_page_type_passes_axe(
    role: str,
    open_as: Callable[[str], Page],
    live_server: LiveServer,
    shots: Shots,
) -> None:
    """Every GET route (with real objects), as *role*, has no WCAG A/AA violation."""
    page = open_as(role)
    seen: set[str] = set()
    found: list[str] = []
    for call in get_pages(live_server.app, live_server.world):
        found += check(page, path_of(live_server.app, call), seen, shots)
    found += check(page, "/finns-inte", seen, shots)  # the 404 page
    assert found == [], "\n".join(found)
    assert len(seen) >= (3 if role == "anonymous" else 20)


FORMS_WITH_ERRORS: list[tuple[str, str, dict[str, Any]]] = [
    ("leadership", "/plans/new", {"Titel": ""}),
    ("leadership", "/groups/new", {"Namn": "", "Platser": "0"}),
    ("staff", "/me/profile", {"E-postadress": "inte-en-adress"}),
    ("staff", "/password", {"Nuvarande lösenord": "fel"}),
]


@pytest.mark.parametrize(("role", "url", "values"), FORMS_WITH_ERRORS)
def test_forms_with_errors_pass_axe(
    role: str,
    url: str,
    values: dict[str, str],
    open_as: Callable[[str], Page],
    shots: Shots,
) -> None:
    """A form sent back with field errors is still accessible."""
    page = open_as(role)
    page.goto(url)
    for label, value in values.items():
        page.get_by_label(label, exact=True).fill(value)
    # the page's own form comes first (the profile has e-mail settings below it)
    page.locator("main form[method=post] [type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".error, .form-errors").count() > 0, "no error was shown"
    shots(page, "errors")
    assert axe_violations(page) == []


def test_login_failure_and_flash_pass_axe(
    open_as: Callable[[str], Page], shots: Shots
) -> None:
    """The login page with a wrong password, and a page with a flash message."""
    page = open_as("anonymous")
    page.goto("/login")
    page.get_by_label("E-postadress").fill("medarbetare@demo.se")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Fel e-postadress eller lösenord.").wait_for()
    shots(page, "login-failed")
    assert axe_violations(page) == []
    page.get_by_label("E-postadress").fill("medarbetare@demo.se")
    page.get_by_label("Lösenord").fill("demo")
    page.get_by_role("button", name="Logga in").click()
    page.get_by_text("Du är inloggad.").wait_for()
    shots(page, "flash")
    assert axe_violations(page) == []
