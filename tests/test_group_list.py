"""The group list tells what each group is for and how full it is."""

from __future__ import annotations

from datetime import date

from conftest import login
from factories import make_assignment, make_group, make_person, make_plan
from flask import Flask
from flask.testing import FlaskClient

from tracker.db import get_session
from tracker.services import groups


def test_group_list_shows_purpose_plan_assignments_time_box_and_seats(
    app: Flask, client: FlaskClient
) -> None:
    """Each group's card: purpose, its plan, its assignments, time box, seats taken."""
    with app.app_context():
        db = get_session()
        plan = make_plan(db, title="Medborgaren i fokus")
        first = make_assignment(db, plan, title="Kartlägg flödena")
        second = make_assignment(db, plan, title="Arbeta fram mått")
        group = make_group(
            db,
            name="Flödesgruppen",
            purpose="Ser över *flödena* från ansökan till beslut.",
            seats=6,
            assignments=[second, first],
            starts_on=date(2026, 2, 1),
            ends_on=date(2026, 6, 30),
        )
        for _ in range(2):
            groups.add_member(db, None, group, make_person(db), today=date(2026, 2, 2))
        make_group(db, name="Tomma gruppen")
        make_person(db, email="lasare@test.se")
        db.commit()
    login(client, "lasare@test.se")
    page = client.get("/groups/").get_data(as_text=True)
    card = page[page.index("Flödesgruppen") : page.index("Tomma gruppen")]
    assert "Ser över <em>flödena</em> från ansökan till beslut." in card
    assert "2 av 6 tagna" in card
    assert "Medborgaren i fokus" in card
    assert card.index("Arbeta fram mått") < card.index("Kartlägg flödena")
    assert "1 feb. 2026 – 30 juni 2026" in card
    empty = page[page.index("Tomma gruppen") :]
    assert "0 av 8 tagna" in empty
