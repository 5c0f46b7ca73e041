"""Irreversible actions ask first, in a dialog that works with the keyboard alone."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from factories import make_department, make_open_call
from playwright.sync_api import Page, expect

from browser.kit import LiveServer
from browser.test_a11y import axe_violations
from tracker.models.applications import Application, ApplicationStatus
from tracker.services.recruitment import applications


def test_withdrawing_asks_and_cancel_changes_nothing(
    open_as: Callable[[str], Page], live_server: LiveServer
) -> None:
    """Escape cancels; "Återkalla" in the dialog withdraws; focus is never lost."""
    staff = live_server.person("staff")
    with live_server.db() as session:
        group = make_open_call(session, signup_deadline=date(2099, 1, 1))
        values = applications.ApplicationValues(
            department=make_department(session), motivation="Jag vill."
        )
        applied = applications.apply(
            session, group, session.merge(staff), values, today=date(2026, 1, 5)
        )
        slug, application_id = group.slug, applied.id
    page = open_as("staff")
    page.goto(f"/groups/{slug}")
    withdraw = page.locator("main").get_by_role("button", name="Återkalla")
    withdraw.focus()
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Återkalla din anmälan till")
    expect(dialog.get_by_role("button", name="Avbryt")).to_be_focused()
    assert axe_violations(page) == []
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(withdraw).to_be_focused()
    with live_server.db() as session:
        still = session.get(Application, application_id)
        assert still is not None
        assert still.status is ApplicationStatus.SUBMITTED

    page.keyboard.press("Enter")
    page.keyboard.press("Shift+Tab")  # from Avbryt to Återkalla
    expect(dialog.get_by_role("button", name="Återkalla")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Din anmälan har återkallats.")).to_be_visible()
    with live_server.db() as session:
        gone = session.get(Application, application_id)
        assert gone is not None
        assert gone.status is ApplicationStatus.WITHDRAWN
