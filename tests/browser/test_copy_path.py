"""A documents folder path is copied with one button, from the keyboard too."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import Page, expect
from sqlalchemy import select

from browser.kit import LiveServer, Shots, Watcher
from tracker.models.assignments import Assignment


def test_the_copy_button_puts_the_folder_path_on_the_clipboard(
    open_as: Callable[[str], Page],
    live_server: LiveServer,
    shots: Shots,
    watcher: Watcher,
) -> None:
    with live_server.db() as session:
        assignment = session.scalars(
            # a folder path (a drive letter or a \\server share), not a web address
            select(Assignment).where(
                Assignment.documents_link.contains("\\"),
                Assignment.documents_link.not_like("http%"),
            )
        ).first()
        assert assignment is not None
        path, assignment_id = assignment.documents_link, assignment.id
    page = open_as("staff")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto(f"/assignments/{assignment_id}")
    expect(page.locator("#documents-path")).to_have_text(path)
    button = page.get_by_role("button", name="Kopiera sökvägen")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("status").filter(has_text="kopierad")).to_be_visible()
    assert page.evaluate("navigator.clipboard.readText()") == path
    shots(page, "copied")
    assert watcher.console == []
