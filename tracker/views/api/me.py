"""What needs the token's owner: the attention service's items, as on the overview."""

from __future__ import annotations

from typing import Any

from flask import current_app

from tracker import clock
from tracker.db import get_session
from tracker.models.people import Role
from tracker.services.attention import needs
from tracker.views.api import render, schemas
from tracker.views.api.blueprint import bp, documented_errors
from tracker.views.api.security import caller, token_required


@bp.get("/me/needs")
@token_required()
@bp.response(200, schemas.NeedList)
@documented_errors
def my_needs() -> dict[str, Any]:
    """What needs the caller's attention, most urgent first: their own items, and
    for leadership also the programme's late, stale and waiting ones ("Läget nu")."""
    db = get_session()
    person = caller().person
    horizon = needs.Horizon.of(current_app.config, clock.today())
    found = needs.personal_needs(db, person, horizon)
    if person.role in (Role.LEADERSHIP, Role.ADMIN):
        found += needs.programme_needs(db, horizon)
    unique = sorted(set(found), key=lambda need: need.sort_key)
    return {"items": [render.need(n) for n in unique], "next_cursor": None}
