"""The group page from the page cache: each reader's own application and apply
button, booking and evaluating by whether the reader leads, few queries on a hit."""

from __future__ import annotations

from datetime import date
from typing import Any

from conftest import build, logged_in, post_form, statements_of
from factories import make_department, make_group, make_open_call, make_person
from flask import Flask

from tracker import clock
from tracker.models.groups import GroupState, MemberRole
from tracker.models.people import Role
from tracker.services import groups, people
from tracker.services.recruitment import applications


def test_each_reader_sees_their_own_application_whoever_filled_the_cache(
    app: Flask,
) -> None:
    def setup(session: Any) -> str:
        anna = make_person(session, name="Anna Ansökt", email="anna@test.se")
        make_person(session, name="Bo Ny", email="bo@test.se")
        group = make_open_call(session, signup_deadline=date(2099, 1, 1))
        values = applications.ApplicationValues(
            department=make_department(session), motivation="Jag vill."
        )
        applications.apply(session, group, anna, values, today=date(2026, 1, 5))
        return str(group.slug)

    slug = build(app, setup)
    url = f"/groups/{slug}"
    anna, bo = logged_in(app, "anna@test.se"), logged_in(app, "bo@test.se")
    for _round in range(2):  # the second round is served from the cache
        bo_page = bo.get(url).get_data(as_text=True)
        anna_page = anna.get(url).get_data(as_text=True)
        assert "Din anmälan:" in anna_page and "Återkalla" in anna_page
        assert "Din anmälan:" not in bo_page and "Återkalla" not in bo_page
        apply_link = f"/anmalningar/{slug}/ansok"
        assert apply_link in bo_page and apply_link not in anna_page


def test_a_lead_may_book_a_check_in_a_member_may_not_on_a_cached_page(
    app: Flask,
) -> None:
    def setup(session: Any) -> str:
        lead = make_person(session, name="Lena Lead", email="lena@test.se")
        member = make_person(session, name="Mia Medlem", email="mia@test.se")
        group = make_group(session, name="Ledda gruppen")
        day = date(2026, 1, 5)
        groups.add_member(session, None, group, lead, role=MemberRole.LEAD, today=day)
        groups.add_member(session, None, group, member, today=day)
        return str(group.slug)

    slug = build(app, setup)
    url = f"/groups/{slug}"
    lena, mia = logged_in(app, "lena@test.se"), logged_in(app, "mia@test.se")
    for _round in range(2):
        assert "Boka en avstämning" not in mia.get(url).get_data(as_text=True)
        assert "Boka en avstämning" in lena.get(url).get_data(as_text=True)


def test_a_change_shows_at_once_on_the_cached_group_page(app: Flask) -> None:
    def setup(session: Any) -> str:
        make_person(session, email="ledning@test.se", role=_leadership())
        make_person(session, name="Kim Kommer", email="kim@test.se")
        return str(make_group(session, name="Växande gruppen").slug)

    slug = build(app, setup)
    url = f"/groups/{slug}"
    leader = logged_in(app, "ledning@test.se")
    assert "Kim Kommer" not in leader.get(url).get_data(as_text=True)
    added = post_form(
        leader, f"{url}/members", {"person": "kim@test.se", "role": "member"}
    )
    assert added.status_code == 302
    assert "Kim Kommer" in leader.get(url).get_data(as_text=True)


def test_a_cached_group_page_costs_a_staff_member_few_queries(app: Flask) -> None:
    def setup(session: Any) -> str:
        make_person(session, name="Mia Medlem", email="mia@test.se")
        group = make_group(session, name="Räknade gruppen")
        groups.set_state(session, None, group, GroupState.ACTIVE, clock.moment())
        return str(group.slug)

    slug = build(app, setup)
    url = f"/groups/{slug}"
    mia = logged_in(app, "mia@test.se")
    mia.get(url)  # fills the cache
    statements = statements_of(app, mia, url)
    # the login, the group, whether the reader leads it, the follow button and
    # the reader's own application (was 13 before the page was cached)
    assert len(statements) <= 6, statements


def _leadership() -> Any:
    from tracker.models.people import Role

    return Role.LEADERSHIP


def test_a_groups_history_shows_the_newest_twenty_with_visa_fler(app: Flask) -> None:
    def setup(session: Any) -> str:
        make_person(session, email="ledning@test.se", role=Role.LEADERSHIP)
        group = make_group(session, name="Steg 00")
        for step in range(1, 25):
            values = groups.GroupValues(name=f"Steg {step:02d}")
            groups.update_group(session, None, group, values)
        return str(group.slug)

    slug = build(app, setup)
    leader = logged_in(app, "ledning@test.se")
    page = leader.get(f"/groups/{slug}").get_data(as_text=True)
    history = page.split('id="history-heading"', 1)[1]
    assert history.count("<tr") - 1 == 20  # the header row and the newest 20
    assert "Steg 23 → Steg 24" in history and "Steg 03 → Steg 04" not in history
    assert "Visa fler" in history
    more = leader.get(f"/groups/{slug}?historik=alla").get_data(as_text=True)
    everything = more.split('id="history-heading"', 1)[1]
    assert "Steg 00 → Steg 01" in everything and "Steg 23 → Steg 24" in everything
    assert "Visa fler" not in everything


def test_a_persons_history_shows_the_newest_twenty_with_visa_fler(app: Flask) -> None:
    """The same rule on an admin's person page: the class of long history tables."""

    def setup(session: Any) -> int:
        make_person(session, email="admin@test.se", role=Role.ADMIN)
        person = make_person(session, name="Ofta Ändrad", email="ofta@test.se")
        for step in range(25):
            people.set_role(
                session, None, person, (Role.LEADERSHIP, Role.STAFF)[step % 2]
            )
        return int(person.id)

    person_id = build(app, setup)
    admin = logged_in(app, "admin@test.se")
    page = admin.get(f"/people/{person_id}").get_data(as_text=True)
    history = page.split('id="history-heading"', 1)[1]
    assert history.count("<tr") - 1 == 20 and "Visa fler" in history
    more = admin.get(f"/people/{person_id}?historik=alla").get_data(as_text=True)
    everything = more.split('id="history-heading"', 1)[1]
    assert everything.count("<tr") - 1 >= 25 and "Visa fler" not in everything
