"""The board in Chromium: a member moves their own card by keyboard and by dragging."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, expect

from browser.kit import LiveServer
from browser.test_a11y import axe_violations
from tracker.models.assignments import Assignment
from tracker.services.programme import moves, stages


@pytest.fixture
def shared(live_server: LiveServer) -> Iterator[int]:
    """The assignment every demo login works on, put back as it was afterwards."""
    assignment_id = live_server.world.shared_assignment_id
    with live_server.db() as session:
        stage_id = session.get(Assignment, assignment_id).stage_id  # type: ignore[union-attr]
    yield assignment_id
    with live_server.db() as session:
        session.get(Assignment, assignment_id).stage_id = stage_id  # type: ignore[union-attr]
        moves.open_stages_to_members(
            session, [s.id for s in stages.list_stages(session)]
        )


def column_of(page: Page, assignment_id: int) -> str:
    """The name of the stage whose column holds the card now."""
    return page.locator(f".board-column:has(#card-{assignment_id}) h3").inner_text()


def test_a_member_moves_their_card_with_the_keyboard(
    open_as: Callable[[str], Page], live_server: LiveServer, shared: int
) -> None:
    """Choose "Klar" with the arrow keys, press Enter: moved, announced, focus kept."""
    page = open_as("staff")
    page.goto(f"/plans/{live_server.world.plan_slug}")
    select = page.locator(f"#move-{shared}")
    expect(select).to_be_visible()
    assert column_of(page, shared).startswith("Planerad")
    select.focus()
    page.keyboard.press("End")  # the last stage, Klar
    page.keyboard.press("Tab")
    button = page.locator(f"#move-button-{shared}")
    expect(button).to_be_focused()
    page.keyboard.press("Enter")
    status = page.locator("#board-status")
    expect(status).to_contain_text("Flyttat till Klar.")
    assert status.get_attribute("role") == "status"
    assert column_of(page, shared).startswith("Klar")
    expect(button).to_be_focused()
    with live_server.db() as session:
        moved = session.get(Assignment, shared)
        assert moved is not None
        assert moved.stage.name == "Klar"
    assert axe_violations(page) == []


def test_a_drag_to_a_closed_stage_is_refused_and_the_card_returns(
    open_as: Callable[[str], Page], live_server: LiveServer, shared: int
) -> None:
    """Leadership keeps "Klar" to itself: the drag is refused with the reason."""
    with live_server.db() as session:
        open_ids = [s.id for s in stages.list_stages(session) if s.name != "Klar"]
        moves.open_stages_to_members(session, open_ids)
        klar = next(s.id for s in stages.list_stages(session) if s.name == "Klar")
        pagar = next(s.id for s in stages.list_stages(session) if s.name == "Pågår")
    page = open_as("staff")
    page.goto(f"/plans/{live_server.world.plan_slug}")
    card = page.locator(f"#card-{shared}")
    grip = {"x": 6, "y": 6}  # the card's edge, not its link or menu
    card.drag_to(
        page.locator(f'.board-column[data-stage="{klar}"]'), source_position=grip
    )
    status = page.locator("#board-status")
    expect(status).to_contain_text("ledningen som flyttar uppdrag till ”Klar”")
    expect(status).to_have_class("board-status refused")
    assert column_of(page, shared).startswith("Planerad")
    card.drag_to(
        page.locator(f'.board-column[data-stage="{pagar}"]'), source_position=grip
    )
    expect(status).to_contain_text("Flyttat till Pågår.")
    assert column_of(page, shared).startswith("Pågår")
    assert axe_violations(page) == []
