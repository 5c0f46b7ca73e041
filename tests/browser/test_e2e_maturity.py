"""Maturity in Chromium: staff answer a round once, results hide small groups; axe."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect
from sqlalchemy import select

from browser.kit import DEMO_LOGINS, LiveServer, Shots
from browser.test_a11y import axe_violations
from tracker import clock
from tracker.db import get_session
from tracker.models.maturity import MaturityRound
from tracker.models.people import Person
from tracker.services import people
from tracker.services.governance import answers, maturity


def _round_for_staff(live_server: LiveServer) -> int:
    """A round open today asking the staff login's department."""
    with live_server.app.app_context():
        session = get_session()
        staff = people.find_by_email(session, DEMO_LOGINS["staff"])
        assert staff is not None and staff.department is not None
        today = clock.today()
        measured = maturity.open_round(
            session,
            None,
            maturity.RoundValues(
                "Webbläsaromgången",
                today - timedelta(days=1),
                today + timedelta(days=10),
                [staff.department],
            ),
        )
        session.commit()
        return measured.id


def _others_answer_and_round_closes(live_server: LiveServer, round_id: int) -> None:
    with live_server.app.app_context():
        session = get_session()
        measured = session.get(MaturityRound, round_id)
        assert measured is not None
        staff = people.find_by_email(session, DEMO_LOGINS["staff"])
        assert staff is not None
        colleagues = session.scalars(
            select(Person)
            .where(Person.department_id == staff.department_id, Person.id != staff.id)
            .order_by(Person.id)
        ).all()
        for person in colleagues[:4]:
            levels = {d.id: 2 for d in measured.model.dimensions}
            answers.answer(session, person, measured, levels, today=clock.today())
        measured.closed_at = datetime.now(UTC)
        session.commit()


def test_staff_answer_a_round_in_the_browser(
    open_as: Callable[[str], Page], live_server: LiveServer, shots: Shots
) -> None:
    """Mats sees the round, answers every dimension once, and cannot answer again."""
    round_id = _round_for_staff(live_server)
    staff = open_as("staff")
    staff.goto("/mognad/")
    assert axe_violations(staff) == []
    staff.get_by_role("link", name="Svara Webbläsaromgången").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Webbläsaromgången")
    assert axe_violations(staff) == []
    staff.get_by_role("button", name="Skicka mitt svar").click()
    expect(staff.locator(".form-errors")).to_be_visible()  # nothing chosen yet
    for group in staff.locator("fieldset").all():
        group.get_by_label("4.", exact=False).check()
    shots(staff, "answers")
    staff.get_by_role("button", name="Skicka mitt svar").click()
    expect(staff.locator(".flash")).to_contain_text("Ditt svar är räknat, anonymt.")
    staff.goto(f"/mognad/omgang/{round_id}/svara")
    expect(staff.locator(".form-errors")).to_contain_text(
        "Du har redan svarat i den här omgången."
    )

    _others_answer_and_round_closes(live_server, round_id)
    staff.goto(f"/mognad/omgang/{round_id}")
    table = staff.locator("table.maturity-results")
    expect(table).to_contain_text("5 svar")
    expect(staff.get_by_role("img", name="Webbläsaromgången")).to_be_visible()
    shots(staff, "results")
    assert axe_violations(staff) == []
