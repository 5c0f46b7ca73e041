"""Need to know in Chromium: leadership's "Läget nu" comes first, a staff member's
to-do list on Mina sidor leads somewhere; axe finds nothing."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from browser.kit import Shots, Watcher
from browser.test_a11y import axe_violations


def test_leadership_sees_late_stale_and_waiting_first_on_the_overview(
    open_as: Callable[[str], Page], shots: Shots, watcher: Watcher
) -> None:
    leader = open_as("leadership")
    leader.goto("/")
    expect(leader.locator("main h2").first).to_have_text("Läget nu")
    now = leader.locator("#lage-nu")
    expect(now.locator("li.need-late").first).to_contain_text("Försenad")
    expect(now).to_contain_text("väntar på urval")
    expect(now).to_contain_text("Ingen lägesrapport om")  # an assignment gone quiet
    shots(leader, "laget-nu")
    assert axe_violations(leader) == []
    assert watcher.dialogs == [] and watcher.console == []


def test_staff_find_their_to_do_list_on_my_pages_and_follow_it(
    open_as: Callable[[str], Page], shots: Shots, watcher: Watcher
) -> None:
    staff = open_as("staff")
    staff.goto("/")
    staff.get_by_role("link", name="Mina sidor").first.click()
    todo = staff.locator("#todo")
    expect(todo.get_by_role("heading", level=2)).to_have_text("Att göra")
    items = todo.locator("li.need")
    expect(items.first).to_be_visible()
    shots(staff, "att-gora")
    assert axe_violations(staff) == []
    link = items.first.get_by_role("link")
    target = link.get_attribute("href")
    assert target and target.startswith("/")
    link.click()
    expect(staff).to_have_url(re.compile(re.escape(target.split("#")[0])))
    expect(staff.get_by_role("heading", level=1)).to_be_visible()
    assert watcher.dialogs == [] and watcher.console == []
