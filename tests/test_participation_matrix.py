"""The participation map: departments × living groups, who is not involved, and how
many staff take part at all."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from conftest import login
from factories import make_department, make_group, make_person
from flask import Flask
from sqlalchemy.orm import Session

from tracker.db import get_session
from tracker.models.groups import GroupState
from tracker.models.people import Role
from tracker.services import groups
from tracker.services.recruitment import participation, seats

TODAY = date(2026, 1, 5)
NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def world(session: Session) -> None:
    """Kultur in both groups, Fritid in one, Skola only in a closed group; a citizen
    without department in one; a former member and an inactive colleague."""
    kultur, fritid, skola = (
        make_department(session, name) for name in ("Kultur", "Fritid", "Skola")
    )
    multi = make_group(session, name="Multiteamsgruppen")
    tillit = make_group(session, name="Tillitsgruppen")
    closed = make_group(session, name="Avslutade gruppen")
    for group in (multi, tillit, closed):
        groups.set_state(session, None, group, GroupState.ACTIVE, NOW)
    ann = make_person(session, name="Ann", department=kultur)
    bo = make_person(session, name="Bo", department=kultur)
    cia = make_person(session, name="Cia", department=fritid)
    dan = make_person(session, name="Dan", department=skola)
    eva = make_person(session, name="Eva Invånare", login=False, email=None)
    eva.external = True
    fia = make_person(session, name="Fia", department=fritid)
    gun = make_person(session, name="Gun", department=skola)
    gun.active = False
    make_person(session, email="ledning@test.se", role=Role.LEADERSHIP)
    memberships = [
        (multi, ann),
        (tillit, ann),
        (multi, bo),
        (tillit, cia),
        (closed, dan),
        (multi, eva),
        (multi, fia),
    ]
    for group, person in memberships:
        last = groups.add_member(session, None, group, person, today=TODAY)
    seats.remove_member(session, None, last, today=TODAY)  # Fia left
    groups.set_state(session, None, closed, GroupState.CLOSED, NOW)


def test_the_matrix_counts_members_by_department_and_group(session: Session) -> None:
    """Cells, totals both ways, the unknown department, and who is not involved."""
    world(session)
    pmap = participation.participation_map(session)
    assert pmap.groups == ["Multiteamsgruppen", "Tillitsgruppen"]
    matrix = {row.name: (row.cells, row.people, row.involved) for row in pmap.matrix}
    assert matrix == {
        "Fritid": ([("Multiteamsgruppen", 0), ("Tillitsgruppen", 1)], 1, True),
        "Kultur": ([("Multiteamsgruppen", 2), ("Tillitsgruppen", 1)], 2, True),
        "Skola": ([("Multiteamsgruppen", 0), ("Tillitsgruppen", 0)], 0, False),
        None: ([("Multiteamsgruppen", 1), ("Tillitsgruppen", 0)], 1, True),
    }
    assert pmap.group_totals == [("Multiteamsgruppen", 3), ("Tillitsgruppen", 2)]
    assert pmap.members_total == 4


def test_involved_staff_are_distinct_active_colleagues_not_citizens(
    session: Session,
) -> None:
    """Ann (two groups) once, Bo, Cia; not Eva (citizen), Fia (left), Dan (closed)."""
    world(session)
    pmap = participation.participation_map(session)
    assert pmap.involved_staff == 3
    # Ann, Bo, Cia, Dan, Fia and the leader; not Gun (inactive) nor Eva
    assert pmap.staff_total == 6


def cell_text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_page_is_an_accessible_table_with_the_headline(app: Flask) -> None:
    """Caption, column and row headers, the marker in words, the headline figure."""
    with app.app_context():
        world(get_session())
        get_session().commit()
    client = app.test_client()
    login(client, "ledning@test.se")
    page = client.get("/anmalningar/deltagande").get_data(as_text=True)
    assert "3 av 6 medarbetare engagerade i programmet" in page
    table = page.split('<table class="stacked participation-matrix">')[1]
    table = table.split("</table>")[0]
    assert "<caption" in table
    assert '<th scope="col">Multiteamsgruppen</th>' in table
    skola = re.search(r'<tr class="not-involved">(.*?)</tr>', table, re.S)
    assert skola is not None
    assert cell_text(skola.group(1)) == "Skola Inte involverad 0 0 0"
    kultur = re.search(r"<tr>\s*<th scope=\"row\">Kultur(.*?)</tr>", table, re.S)
    assert kultur is not None
    assert cell_text(kultur.group(1)) == "2 1 2"
    assert '<td data-label="Tillitsgruppen">1</td>' in kultur.group(1)
    footer = table.split("<tfoot>")[1]
    assert cell_text(footer) == "Medlemmar per grupp 3 2 4"
    assert "Inte involverade ännu: Skola" in cell_text(page)
    # the competences and several-groups parts stay
    assert "Ann: Multiteamsgruppen, Tillitsgruppen" in page


def test_staff_may_not_see_the_map(app: Flask) -> None:
    """Leadership only, as before."""
    with app.app_context():
        make_person(get_session(), email="sara@test.se")
        get_session().commit()
    client: Any = app.test_client()
    login(client, "sara@test.se")
    assert client.get("/anmalningar/deltagande").status_code == 403
