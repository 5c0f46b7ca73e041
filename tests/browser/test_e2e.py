"""End to end in Chromium, as the people who use it: a screenshot of every step."""

from __future__ import annotations

import re
from collections.abc import Callable

from playwright.sync_api import Page, expect

from browser.kit import LiveServer, Shots, Watcher

ASSIGNMENT = "Utse processägare"  # served by Utvecklingsgruppen, where Mats is a member


def test_leader_moves_an_assignment_and_a_member_reports_progress(
    open_as: Callable[[str], Page], shots: Shots, watcher: Watcher
) -> None:
    """Leadership moves it on; the feed says so; a member adds a report."""
    leader = open_as("leadership")
    leader.goto("/plans/bli-en-processorganisation")
    shots(leader, "plan-board")
    leader.get_by_role("link", name=ASSIGNMENT, exact=True).click()
    expect(leader.get_by_role("heading", level=1)).to_have_text(ASSIGNMENT)
    stage = leader.get_by_label("Steg", exact=True)
    before = stage.locator("option:checked").inner_text()
    options = stage.locator("option").all_inner_texts()
    after = options[(options.index(before) + 1) % len(options)]
    stage.select_option(label=after)
    leader.get_by_role("button", name="Flytta", exact=True).click()
    expect(leader.locator(".flash")).to_contain_text(f"Flyttat till {after}")
    shots(leader, "moved")
    leader.goto("/plans/bli-en-processorganisation")
    column = leader.locator(
        "section.board-column",
        has=leader.get_by_role("heading", name=re.compile(f"^{after}")),
    )
    expect(column.get_by_role("link", name=ASSIGNMENT, exact=True)).to_be_visible()
    leader.goto("/activity/")
    line = leader.locator(".events li", has_text=ASSIGNMENT).first
    expect(line).to_contain_text(f"från {before} till {after}")
    expect(line).to_contain_text("Lena Ledare")
    shots(leader, "activity-feed")

    member = open_as("staff")
    member.goto("/me/")
    member.get_by_role("link", name="Utvecklingsgruppen").click()
    shots(member, "my-group")
    member.get_by_role("link", name=ASSIGNMENT, exact=True).first.click()
    report = "Vi har **utsett** processägare för två av tre kärnprocesser."
    member.locator("textarea[name=body]").fill(report)
    member.get_by_role("button", name="Lägg till rapport").click()
    expect(member.locator(".flash")).to_contain_text("Din rapport lades till.")
    entry = member.locator("#timeline li").first
    expect(entry).to_contain_text("Mats Medarbetare")
    expect(entry.locator("strong")).to_have_text("utsett")  # markdown, rendered
    shots(member, "report-added")
    assert watcher.dialogs == [] and watcher.console == []


def test_staff_outside_the_group_cannot_report(
    open_as: Callable[[str], Page], live_server: LiveServer
) -> None:
    """Mats is no member of Multiteamsgruppen: no report form on its assignment."""
    page = open_as("staff")
    page.goto("/plans/invanaren-som-medskapare")
    page.goto("/groups/multiteamsgruppen")
    page.get_by_role("link", name="Införa multiteam").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Införa multiteam")
    expect(page.locator("textarea[name=body]")).to_have_count(0)
    expect(page.get_by_role("button", name="Flytta")).to_have_count(0)


def test_communicator_edits_and_publishes_the_digest_to_the_blog(
    open_as: Callable[[str], Page],
    live_server: LiveServer,
    shots: Shots,
    watcher: Watcher,
) -> None:
    """Open the drafted month, edit it, preview, save, publish: it is on /blogg."""
    period = live_server.world.extra["period"]
    page = open_as("communicator")
    page.goto("/")
    page.get_by_role("navigation").get_by_role("link", name="Månadsbrev").click()
    shots(page, "digest-list")
    page.locator(f"a[href='/manadsbrev/{period}']").click()
    title = f"Månadsbrev {period}: multiteamen tar form"
    page.get_by_label("Titel", exact=True).fill(title)
    body = page.locator("textarea[name=body]")
    body.fill(
        "## Hej alla\n\nI månaden har **multiteamen** tagit form.\n\n"
        + body.input_value()
    )
    page.locator("[name=preview][type=submit]").click()
    expect(page.locator(".blog-post h2").first).to_have_text("Hej alla")
    shots(page, "preview")
    page.locator("[name=save][type=submit]").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    shots(page, "saved")
    page.locator(f"form[action='/manadsbrev/{period}/publish'] button").click()
    dialog = page.get_by_role("dialog")  # publishing is for good: it asks first
    expect(dialog).to_be_visible()
    dialog.get_by_role("button").filter(has_not_text="Avbryt").click()
    page.wait_for_load_state()
    expect(page.locator(".flash").first).to_be_visible()
    shots(page, "published")
    page.get_by_role("navigation").get_by_role("link", name="Blogg").click()
    post = page.get_by_role("link", name=title)
    expect(post).to_be_visible()
    shots(page, "blog")
    post.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main strong", has_text="multiteamen")).to_be_visible()
    shots(page, "blog-post")

    reader = open_as("staff")
    reader.goto("/blogg/")
    expect(reader.get_by_role("link", name=title)).to_be_visible()
    assert watcher.dialogs == [] and watcher.console == []
