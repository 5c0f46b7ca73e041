"""Following and check-ins in Chromium: be told, book, subscribe; axe finds nothing."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from icalendar import Calendar
from playwright.sync_api import Browser, Page, expect

from browser.kit import LiveServer, Shots, Watcher, new_context
from browser.test_a11y import axe_violations
from tracker import jobs, notification_jobs

PLAN = "/plans/bli-en-processorganisation"
ASSIGNMENT = "Utse processägare"


def test_staff_follows_a_plan_and_is_told_when_leadership_moves_an_assignment(
    open_as: Callable[[str], Page],
    live_server: LiveServer,
    shots: Shots,
    watcher: Watcher,
) -> None:
    """Mats follows the plan; Lena moves an assignment; Notiser says so."""
    jobs.bind(live_server.app)
    notification_jobs.fanout_job()  # what happened before this test is not its news
    staff = open_as("staff")
    staff.goto(PLAN)
    follow = staff.locator("form.follow-form")
    if follow.get_by_role("button", name="Sluta följa").count():
        follow.get_by_role("button", name="Sluta följa").click()
    staff.locator("form.follow-form").get_by_role("button", name="Följ").click()
    expect(staff.locator(".flash")).to_contain_text("Nu följer du det.")
    expect(staff.locator("form.follow-form")).to_contain_text(
        "Du följer det här och får veta när något händer."
    )
    shots(staff, "following")
    assert axe_violations(staff) == []

    leader = open_as("leadership")
    leader.goto(PLAN)
    card = leader.locator("li.card", has=leader.get_by_role("link", name=ASSIGNMENT))
    stage = card.get_by_label("Flytta till")
    before = stage.locator("option:checked").inner_text()
    options = stage.locator("option").all_inner_texts()
    after = options[(options.index(before) + 1) % len(options)]
    stage.select_option(label=after)
    card.get_by_role("button", name=re.compile("^Flytta")).click()
    # the board moves in the background and says so in its live region
    expect(leader.locator("#board-status")).to_contain_text(f"Flyttat till {after}")
    notification_jobs.fanout_job()

    staff.goto("/")
    link = staff.get_by_role("link", name=re.compile(r"^Notiser \d+ olästa$"))
    expect(link).to_be_visible()
    link.click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Notiser")
    news = f"Lena Ledare flyttade uppdraget ”{ASSIGNMENT}” från {before} till {after}."
    item = staff.locator("li.card", has_text=news)
    expect(item).to_have_count(1)
    expect(item).to_contain_text("Ny")
    shots(staff, "notifications")
    assert axe_violations(staff) == []
    staff.get_by_role("button", name="Markera alla som lästa").click()
    expect(staff.get_by_role("link", name="Notiser", exact=True)).to_be_visible()
    assert watcher.dialogs == [] and watcher.console == []


def test_leadership_books_a_check_in_and_it_reaches_the_calendar_feed(
    open_as: Callable[[str], Page],
    browser: Browser,
    live_server: LiveServer,
    shots: Shots,
    watcher: Watcher,
) -> None:
    """Book with a mistake first, then right; then Mats's calendar holds it."""
    leader = open_as("leadership")
    leader.goto(PLAN)
    leader.get_by_role("link", name=ASSIGNMENT, exact=True).click()
    leader.get_by_role("link", name="Boka en avstämning").click()
    expect(leader.get_by_role("heading", level=1)).to_have_text("Boka en avstämning")
    assert axe_violations(leader) == []
    day = (datetime.now(UTC) + timedelta(days=8)).date()
    leader.get_by_label("Titel").fill("Avstämning om processägarna")
    leader.get_by_label("Datum").fill("2020-01-15")  # a day long past
    leader.get_by_label("Börjar").fill("13:30")
    leader.get_by_label("Slutar").fill("14:30")
    leader.get_by_label("Plats eller möteslänk").fill("Rum Kvarnen, plan 3")
    leader.get_by_label("Dagordning").fill("1. Vilka processer saknar ägare?")
    leader.get_by_role("button", name="Boka och skicka inbjudningar").click()
    error = leader.locator("#day-error")
    expect(error).to_have_text("Välj en tid som inte har passerat.")
    expect(leader.get_by_label("Datum")).to_have_attribute("aria-invalid", "true")
    shots(leader, "past-date")
    assert axe_violations(leader) == []
    leader.get_by_label("Datum").fill(day.isoformat())
    leader.get_by_role("button", name="Boka och skicka inbjudningar").click()
    expect(leader.locator(".flash")).to_contain_text("Avstämningen är bokad")
    expect(leader.get_by_role("heading", level=1)).to_have_text(
        "Avstämning om processägarna"
    )
    expect(leader.locator("dl.facts")).to_contain_text("13:30–14:30")
    expect(leader.locator("main")).to_contain_text("Mats Medarbetare")
    shots(leader, "booked")
    assert axe_violations(leader) == []

    staff = open_as("staff")
    staff.goto("/me/")
    section = staff.locator("#feeds")
    if section.get_by_role("button", name="Skapa min flödesadress").count():
        section.get_by_role("button", name="Skapa min flödesadress").click()
    address = staff.get_by_label("Din kalender").input_value()
    shots(staff, "feed-address")
    assert axe_violations(staff) == []
    context = new_context(browser, live_server.url)  # no cookie at all
    response = context.request.get(address)
    assert response.status == 200
    calendar = Calendar.from_ical(response.body())
    context.close()
    summaries = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    meeting = summaries["Avstämning om processägarna"]
    assert meeting.decoded("DTSTART").date() == day
    assert str(meeting["LOCATION"]) == "Rum Kvarnen, plan 3"
    assert any(s.startswith("Milstolpe") for s in summaries)
    assert watcher.dialogs == [] and watcher.console == []
