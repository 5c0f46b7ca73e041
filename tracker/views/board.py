"""The board's moves: each reader's "Flytta till" forms and the stages members reach."""

from __future__ import annotations

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker.auth import current_person, is_public_reader, require_role
from tracker.db import get_session
from tracker.forms.assignments import MoveForm, StageAccessForm
from tracker.models.people import Role
from tracker.page_cache import render_macro
from tracker.services.digest.states import board_links
from tracker.services.programme import moves, stages

bp = Blueprint("board", __name__, url_prefix="/board")
PARTS = "plans/_move.html"
MOVE_TABLES = ("stages",)  # what leadership's move forms read: the same for all


def _reader_moves() -> tuple[set[int] | None, MoveForm]:
    """Once per request: the reader's movable assignments (None: all) and form."""
    if "board_moves" not in g:
        db, person = get_session(), current_person()
        form = MoveForm(formdata=None)
        form.stage_id.choices = [
            (s.id, s.name) for s in moves.reachable_stages(db, person)
        ]
        own = (
            None
            if person.role in moves.LEADERS
            else moves.own_assignment_ids(db, person)
        )
        g.board_moves = (own, form)
    return g.board_moves  # type: ignore[no-any-return]


def move_part(argument: str) -> str:
    """A card's "Flytta till" form, for readers who may move that assignment."""
    if is_public_reader():
        return ""
    assignment_id, stage_id = (int(n) for n in argument.split(":"))
    own, form = _reader_moves()
    if own is not None and assignment_id not in own:
        return ""
    return render_macro(
        PARTS, "move_form", form=form, assignment_id=assignment_id, stage_id=stage_id
    )


def trello_part(argument: str) -> str:
    """A link to the plan's Trello board, once the Trello sync has linked one."""
    url = board_links(get_session()).get(int(argument))
    return render_macro(PARTS, "trello_link", url=url) if url else ""


@bp.route("/stages", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def stage_access() -> ResponseReturnValue:
    """Choose the stages the responsible person and group members may move to."""
    db = get_session()
    every = stages.list_stages(db)
    form = StageAccessForm()
    form.open_ids.choices = [(s.id, s.name) for s in every]
    if form.validate_on_submit():
        moves.open_stages_to_members(db, form.open_ids.data or [])
        db.commit()
        flash(_("Saved: who may move assignments to which stage."), "success")
        return redirect(url_for("board.stage_access"))
    if not form.is_submitted():
        form.open_ids.data = [s.id for s in every if s.open_to_members]
    return render_template("plans/stages.html", form=form)


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    parts = state.app.extensions.setdefault("tracker.reader_parts", {})
    parts.update(move=move_part, trello=trello_part)
    # leadership's move forms (a role part) read the stages only
    state.app.extensions.setdefault("tracker.part_tables", {})["move"] = MOVE_TABLES
