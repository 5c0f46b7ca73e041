"""'Öppna anmälan nu' on a planned group: accessible as offered and with its error."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page

from browser.kit import LiveServer, Shots
from browser.test_a11y import axe_violations


def test_open_signup_form_and_its_error_pass_axe(
    open_as: Callable[[str], Page], live_server: LiveServer, shots: Shots
) -> None:
    """The form with its suggested date, then sent without a date: 0 violations."""
    slug = live_server.world.extra["planned_group_slug"]
    page = open_as("leadership")
    page.goto(f"/groups/{slug}")
    field = page.get_by_label("Sista dag för anmälan", exact=False)
    assert field.input_value() != ""  # a date two weeks ahead is suggested
    assert field.get_attribute("min")
    shots(page, "offered")
    assert axe_violations(page) == []
    field.fill("")
    page.get_by_role("button", name="Öppna anmälan nu").click()
    page.get_by_text("Välj sista dag för anmälan.").first.wait_for()
    shots(page, "error")
    assert axe_violations(page) == []
    page.goto(f"/groups/{slug}")  # nothing changed: still offered
    assert page.get_by_role("button", name="Öppna anmälan nu").count() == 1
