"""Läget nu, plan status, due and late badges and the to-do list, as people see them."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from tests.conftest import login, post_form
from tests.factories import make_assignment, make_person, make_plan
from tests.test_views_core import build
from tracker import clock, demo
from tracker.db import get_session
from tracker.models.people import Role
from tracker.models.plans import ActionPlan
from tracker.services.attention import needs
from tracker.services.attention.needs import Kind, Severity
from tracker.services.programme import milestones, stages
from tracker.views.overview import horizon


def days(n: int) -> Any:
    return clock.today() + timedelta(days=n)


def section(page: str, heading_id: str) -> str:
    """The text of the <section> labelled by *heading_id*."""
    match = re.search(
        rf'<section[^>]*aria-labelledby="{heading_id}".*?</section>', page, re.S
    )
    assert match, heading_id
    return match.group(0)


def test_leadership_sees_the_demo_late_stale_and_waiting_first(
    app: Flask, client: FlaskClient
) -> None:
    build(app, lambda s: demo.load(s, password="demo"))
    with app.test_request_context():
        found = needs.programme_needs(get_session(), horizon())
    present = {(n.kind, n.severity) for n in found}
    assert (Kind.MILESTONE, Severity.LATE) in present
    assert (Kind.STALE, Severity.LATE) in present
    assert (Kind.SELECTION, Severity.WAITING) in present

    login(client, "ledning@demo.se", "demo")
    page = client.get("/").get_data(as_text=True)
    now = section(page, "attention-heading")
    assert page.index('id="attention-heading"') < page.index('id="plans-heading"')
    assert ">Läget nu<" in now
    assert "skulle vara nådd" in now and "men är det inte" in now
    assert "Ingen lägesrapport om" in now
    assert re.search(r"\d+ ansökningar till ”[^”]+” väntar på urval", now)
    assert "Försenad" in section(page, "plans-heading")  # a plan card's status


def test_each_staff_member_sees_their_own_even_from_the_page_cache(
    app: Flask,
) -> None:
    def setup(session: Any) -> None:
        for email, title in (("a@test.se", "Annas"), ("b@test.se", "Bos")):
            person = make_person(session, email=email)
            assignment = make_assignment(
                session, title=f"{title} uppdrag", responsible=person
            )
            milestones.add_milestone(
                session, None, assignment, title=f"{title} milstolpe", due_on=days(-2)
            )

    build(app, setup)
    pages = {}
    for email in ("a@test.se", "b@test.se", "a@test.se"):
        client = app.test_client()
        login(client, email, "password123")
        pages[email] = section(
            client.get("/").get_data(as_text=True), "attention-heading"
        )
        other = "Bos" if email == "a@test.se" else "Annas"
        mine = "Annas" if email == "a@test.se" else "Bos"
        assert f"{mine} milstolpe" in pages[email]
        assert f"{other} milstolpe" not in pages[email]
    assert "Försenad" in pages["a@test.se"]


def test_badges_on_the_board_the_assignment_and_its_milestones(
    app: Flask, client: FlaskClient
) -> None:
    def setup(session: Any) -> tuple[str, int]:
        make_person(session, email="ledning@test.se", role=Role.LEADERSHIP)
        plan = make_plan(session, title="Planen")
        late = make_assignment(session, plan, title="Sent uppdrag", ends_on=days(20))
        milestones.add_milestone(session, None, late, title="Passerad", due_on=days(-1))
        milestones.add_milestone(session, None, late, title="Nära", due_on=days(3))
        milestones.add_milestone(
            session, None, late, title="Långt bort", due_on=days(60)
        )
        make_assignment(session, plan, title="Lugnt uppdrag", ends_on=days(90))
        soon = make_assignment(session, plan, title="Snart slut", ends_on=days(7))
        return plan.slug, late.id + 0 * soon.id

    slug, late_id = build(app, setup)
    login(client, "ledning@test.se", "password123")
    board = client.get(f"/plans/{slug}").get_data(as_text=True)
    assert "Status: " in board and "Försenad" in board

    def card(title: str) -> str:
        match = re.search(
            rf'<li class="card"[^>]*>\s*<a[^>]*>{title}</a>.*?</li>', board, re.S
        )
        assert match, title
        return match.group(0)

    assert "Försenad" in card("Sent uppdrag")
    assert "Snart" in card("Snart slut")
    assert "Försenad" not in card("Lugnt uppdrag") and "Snart" not in card(
        "Lugnt uppdrag"
    )
    page = client.get(f"/assignments/{late_id}").get_data(as_text=True)
    listed = section(page, "milestones-heading")
    items = dict(
        re.findall(r"<li>\s*<span[^>]*>\s*([^<]+?)</span>(.*?)</li>", listed, re.S)
    )
    assert "Försenad" in items["Passerad"]
    assert "Snart" in items["Nära"]
    assert "Försenad" not in items["Långt bort"] and "Snart" not in items["Långt bort"]


def test_my_pages_is_a_to_do_list_by_date(app: Flask, client: FlaskClient) -> None:
    def setup(session: Any) -> None:
        me = make_person(session, email="jag@test.se")
        a = make_assignment(session, title="Mitt uppdrag", responsible=me)
        milestones.add_milestone(session, None, a, title="Senare", due_on=days(9))
        milestones.add_milestone(session, None, a, title="Först", due_on=days(-4))

    build(app, setup)
    login(client, "jag@test.se", "password123")
    todo = section(client.get("/me/").get_data(as_text=True), "todo-heading")
    assert "Att göra" in todo
    assert todo.index("”Först”") < todo.index("”Senare”")
    assert "Försenad" in todo and "Snart" in todo


def test_lage_nu_shows_the_most_urgent_and_counts_the_rest(
    app: Flask, client: FlaskClient
) -> None:
    """A large programme has thousands of late items: the overview shows the first
    25 and says how many more there are."""

    def many(session: Any) -> None:
        make_person(session, email="chef@example.se", role=Role.LEADERSHIP)
        assignment = make_assignment(session, make_plan(session), starts_on=days(1))
        for n in range(30):
            milestones.add_milestone(
                session, None, assignment, title=f"Steg {n}", due_on=days(-40 + n)
            )

    build(app, many)
    login(client, "chef@example.se")
    now = section(client.get("/").get_data(as_text=True), "attention-heading")
    assert now.count('<li class="need ') == 25
    assert "Steg 0" in now and "Steg 24" in now and "Steg 25" not in now
    assert "5 punkter till visas inte här." in now


def test_the_overview_follows_each_write_in_the_plan_it_was_made_in(
    app: Flask, client: FlaskClient
) -> None:
    """The overview keeps each plan's counts and share of "Läget nu" until a write
    in that plan: a milestone reached, an assignment moved and a plan's new
    assignment each show on the next overview, on the written plan's card only."""

    def programme(session: Any) -> dict[str, int]:
        make_person(session, email="chef@example.se", role=Role.LEADERSHIP)
        first, second = make_plan(session, title="Första"), make_plan(session)
        late = make_assignment(session, first, title="Sent", starts_on=days(1))
        due = milestones.add_milestone(
            session, None, late, title="Pilot", due_on=days(-3)
        )
        other = make_assignment(session, second, title="Annat", starts_on=days(1))
        return {"milestone": due.id, "other": other.id, "first": first.id}

    ids = build(app, programme)
    login(client, "chef@example.se")

    def cards() -> tuple[str, str]:
        page = client.get("/").get_data(as_text=True)
        plans = section(page, "plans-heading").split('<li class="card">')[1:]
        first = next(card for card in plans if "Första" in card)
        return section(page, "attention-heading"), first

    now, card = cards()
    assert "Pilot" in now and "0 av 1 milstolpar nådda" in card
    post_form(client, f"/assignments/milestones/{ids['milestone']}/toggle")
    now, card = cards()
    assert "Pilot" not in now and "1 av 1 milstolpar nådda" in card
    last = build(app, lambda s: stages.list_stages(s)[-1].id)
    post_form(client, f"/assignments/{ids['other']}/move", {"stage_id": last})
    assert "Försenad" not in cards()[1] and "0 av 1 uppdrag klara" in cards()[1]
    page = client.get("/").get_data(as_text=True)
    assert "1 av 1 uppdrag klara" in section(page, "plans-heading")  # the other's

    def one_more(session: Any) -> None:
        plan = session.get(ActionPlan, ids["first"])
        make_assignment(session, plan, title="Nytt", starts_on=days(1), ends_on=days(2))

    build(app, one_more)
    now, card = cards()
    assert "Nytt" in now and "0 av 2 uppdrag klara" in card
