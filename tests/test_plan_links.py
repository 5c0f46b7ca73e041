"""A plan page links its Trello board once the sync has linked one."""

from __future__ import annotations

from conftest import login
from factories import make_person, make_plan
from flask import Flask
from flask.testing import FlaskClient

from tracker.db import get_session
from tracker.models.trello import TrelloBoard


def test_plan_page_links_its_trello_board(app: Flask, client: FlaskClient) -> None:
    """Linked: "Handlingsplanens Trello-tavla" goes to the board; unlinked: nothing."""
    with app.app_context():
        db = get_session()
        linked = make_plan(db, title="Med tavla")
        alone = make_plan(db, title="Utan tavla")
        db.add(
            TrelloBoard(plan_id=linked.id, board_id="b1", url="https://trello.com/b/x")
        )
        make_person(db, email="lasare@test.se")
        db.commit()
        slugs = linked.slug, alone.slug
    login(client, "lasare@test.se")
    page = client.get(f"/plans/{slugs[0]}").get_data(as_text=True)
    assert (
        '<a href="https://trello.com/b/x" rel="noopener noreferrer">'
        "Handlingsplanens Trello-tavla</a>"
    ) in page
    assert "Trello-tavla" not in client.get(f"/plans/{slugs[1]}").get_data(as_text=True)
