"""The assignment form's people type-ahead and milestone rows, the group checklist."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from itertools import count

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from browser.keyboard import KeyboardUser
from browser.kit import ARTIFACTS, LiveServer, Shots
from browser.test_a11y import axe_violations
from tracker.models.assignments import Assignment

PLAN = "bli-en-processorganisation"
NEW_ASSIGNMENT = f"/assignments/new/{PLAN}"
SCREENS = ARTIFACTS / "screens"
_numbers = count(1)


def unique_title(what: str) -> str:
    """A title no other test (or run against the same server) has used."""
    return f"{what} {next(_numbers)} {uuid.uuid4().hex[:6]}"


def test_choose_the_responsible_person_with_the_keyboard_alone(
    open_as: Callable[[str], Page], live_server: LiveServer, shots: Shots
) -> None:
    """Type part of a surname, ArrowDown, Enter, then send the form: keys only."""
    page = open_as("leadership")
    page.goto(NEW_ASSIGNMENT)
    title = unique_title("Tangentbordsuppdrag")
    keys = KeyboardUser(page)
    keys.tab_to(re.compile("^Titel"))
    keys.type(title)
    field = keys.tab_to("Ansvarig")
    box = page.locator(f"#{field.id}")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("select#responsible_id")).to_be_hidden()
    keys.type("hadd")
    listbox = page.locator("#responsible_id-listbox")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(listbox).to_be_visible()
    expect(page.locator(".combobox [role=status]")).to_have_text(
        re.compile(r"^\d+ träff(ar)?$")
    )
    keys.press("ArrowDown")
    active_id = box.get_attribute("aria-activedescendant")
    assert active_id, "ArrowDown must make an option active"
    option = page.locator(f"#{active_id}")
    expect(option).to_have_attribute("aria-selected", "true")
    chosen = option.inner_text()
    assert "hadd" in chosen.lower()
    visible = page.locator("#responsible_id-listbox [role=option]:visible")
    keys.press("End")
    last_id = visible.last.get_attribute("id")
    expect(box).to_have_attribute("aria-activedescendant", last_id or "")
    keys.press("Home")
    expect(box).to_have_attribute("aria-activedescendant", active_id)
    shots(page, "option-active")
    keys.press("Enter")
    expect(box).to_have_value(chosen)
    expect(box).to_have_attribute("aria-expanded", "false")
    assert page.url.endswith(NEW_ASSIGNMENT), "Enter chooses; it does not send"
    chosen_id = page.locator("select#responsible_id").input_value()
    assert chosen_id
    keys.tab_to("Spara")
    keys.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator("main")).to_contain_text(chosen)
    with live_server.db() as session:
        stored = session.scalars(select(Assignment).where(Assignment.title == title))
        assignment = stored.one()
        assert assignment.responsible is not None
        assert assignment.responsible.name == chosen
        assert assignment.responsible_id == int(chosen_id)
    assert keys.invisible == [], keys.invisible


def test_no_match_is_announced_and_escape_closes(
    open_as: Callable[[str], Page], shots: Shots
) -> None:
    """A name nobody has: "Inga träffar" in the polite status; Escape closes."""
    page = open_as("leadership")
    page.goto(NEW_ASSIGNMENT)
    keys = KeyboardUser(page)
    field = keys.tab_to("Ansvarig")
    box = page.locator(f"#{field.id}")
    keys.type("Qzxwv")
    status = page.locator(".combobox [role=status]")
    expect(status).to_have_text("Inga träffar")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(page.locator("#responsible_id-listbox [role=option]:visible")).to_have_count(
        0
    )
    shots(page, "no-matches")
    keys.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("#responsible_id-listbox")).to_be_hidden()


def test_citizens_are_not_offered_as_responsible(
    open_as: Callable[[str], Page],
) -> None:
    """The demo's citizens ("Invånare …") are in no group of the type-ahead."""
    page = open_as("leadership")
    page.goto(NEW_ASSIGNMENT)
    box = page.get_by_role("combobox", name="Ansvarig")
    box.fill("Invånare")
    expect(page.locator(".combobox [role=status]")).to_have_text("Inga träffar")
    box.fill("")
    box.press("ArrowDown")
    groups = page.locator("#responsible_id-listbox [role=group]")
    assert groups.count() > 3
    label_id = groups.first.get_attribute("aria-labelledby")
    assert label_id and page.locator(f"#{label_id}").inner_text()


def test_add_a_milestone_row_and_save_it(
    open_as: Callable[[str], Page], live_server: LiveServer, shots: Shots
) -> None:
    """The button copies a row with the next number; the new row is saved."""
    page = open_as("leadership")
    page.goto(NEW_ASSIGNMENT)
    title = unique_title("Raduppdrag")
    page.get_by_label(re.compile("^Titel")).fill(title)
    rows = page.locator("#milestone-rows [data-row]")
    expect(rows).to_have_count(3)
    page.get_by_role("button", name="Lägg till milstolpe").click()
    expect(rows).to_have_count(4)
    fourth = page.get_by_label("Milstolpe 4", exact=True)
    expect(fourth).to_be_focused()
    fourth.fill("Fjärde raden")
    page.get_by_label("Klart senast, milstolpe 4").fill("2026-09-30")
    page.get_by_label("Milstolpe 1", exact=True).fill("Första raden")
    shots(page, "rows")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    with live_server.db() as session:
        assignment = session.scalars(
            select(Assignment).where(Assignment.title == title)
        ).one()
        assert sorted(m.title for m in assignment.milestones) == [
            "Fjärde raden",
            "Första raden",
        ]


def test_group_checklist_filters_and_keeps_ticked_items(
    open_as: Callable[[str], Page], shots: Shots
) -> None:
    """Typing hides other assignments, says how many show; ticked ones stay."""
    page = open_as("leadership")
    page.goto("/groups/new")
    items = page.locator("[data-checklist-item]")
    total = items.count()
    assert total > 5
    first = items.first.locator("input")
    first.check()
    ticked = items.first.inner_text().strip()
    page.get_by_label("Filtrera uppdrag").fill("kartl")
    status = page.locator(".checklist-filter [role=status]")
    expect(status).to_have_text(re.compile(r"^\d+ visas$"))
    shown = page.locator("[data-checklist-item]:visible")
    assert 0 < shown.count() < total
    expect(items.first).to_be_visible()
    assert int(status.inner_text().split()[0]) == shown.count()
    for text in shown.all_inner_texts():
        assert "kartl" in text.lower() or text.strip() == ticked
    shots(page, "filtered")


@pytest.mark.parametrize("width", [390, 1366])
def test_new_forms_pass_axe_and_are_photographed(
    width: int, open_as: Callable[[str], Page]
) -> None:
    """Axe finds nothing on both forms, with the type-ahead open; screenshots saved."""
    page = open_as("leadership")
    page.set_viewport_size({"width": width, "height": 900})
    folder = SCREENS / str(width)
    folder.mkdir(parents=True, exist_ok=True)
    page.goto(NEW_ASSIGNMENT)
    found = axe_violations(page)
    box = page.get_by_role("combobox", name="Ansvarig")
    box.fill("an")
    box.press("ArrowDown")
    expect(page.locator("#responsible_id-listbox")).to_be_visible()
    found += axe_violations(page)
    page.screenshot(path=str(folder / "assignment-form-typeahead.png"), full_page=True)
    width_now = page.evaluate("document.documentElement.scrollWidth")
    assert width_now <= width, "the form must not scroll sideways"
    page.goto("/groups/new")
    page.get_by_label("Filtrera uppdrag").fill("pilot")
    found += axe_violations(page)
    page.screenshot(path=str(folder / "group-form-checklist.png"), full_page=True)
    assert found == [], "\n".join(found)
