"""The Trello sync status page for leadership, and its buttons."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from sync import linking, status
from sync.client import configured
from tracker import clock
from tracker.auth import current_person, require_role
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.common import EmptyForm
from tracker.models.people import Role
from tracker.models.trello import (
    TrelloBoard,
    TrelloCard,
    TrelloConflict,
    TrelloMatchProposal,
)

bp = Blueprint("sync", __name__, url_prefix="/trello")


@bp.get("/", endpoint="status")
@require_role(Role.LEADERSHIP)
def status_page() -> str:
    """Last run per board, requests, errors, conflicts, unlinked cards, proposals."""
    settings = current_app.config["TRELLO"]
    page = status.status_page(get_session(), clock.now(), int(settings["MAX_FAILURES"]))
    return render_template(
        "sync/status.html",
        page=page,
        form=EmptyForm(),
        configured=configured(settings),
    )


@bp.post("/sync")
@require_role(Role.LEADERSHIP)
def request_sync_all() -> ResponseReturnValue:
    """Ask for a reconcile of every board shortly ("Synka nu")."""
    db = get_session()
    return _act(
        lambda: status.request_sync_all(db, clock.now()),
        _("Every board will be synced shortly."),
    )


@bp.post("/cards/<int:card_link_id>/restore")
@require_role(Role.LEADERSHIP)
def restore_card(card_link_id: int) -> ResponseReturnValue:
    """Bring a card archived in Trello back onto its board at the next sync."""
    db = get_session()
    card = get_or_404(db, TrelloCard, card_link_id)
    return _act(
        lambda: status.restore_card(db, current_person(), card, clock.now()),
        _("The card comes back onto the board at the next sync."),
    )


@bp.post("/proposals/<int:proposal_id>/<any(accept, reject):answer>")
@require_role(Role.LEADERSHIP)
def decide_proposal(proposal_id: int, answer: str) -> ResponseReturnValue:
    """Confirm or reject that a card is an assignment."""
    db = get_session()
    proposal = get_or_404(db, TrelloMatchProposal, proposal_id)
    accepted = answer == "accept"
    return _act(
        lambda: linking.decide(
            db, current_person(), proposal, accepted=accepted, now=clock.now()
        ),
        _("The card is linked.") if accepted else _("The match was rejected."),
    )


@bp.post("/conflicts/<int:conflict_id>/dismiss")
@require_role(Role.LEADERSHIP)
def dismiss_conflict(conflict_id: int) -> ResponseReturnValue:
    """Mark a conflict as seen."""
    conflict = get_or_404(get_session(), TrelloConflict, conflict_id)
    return _act(
        lambda: status.dismiss_conflict(conflict, clock.now()),
        _("The conflict was dismissed."),
    )


@bp.post("/boards/<int:board_link_id>/resume")
@require_role(Role.LEADERSHIP)
def resume_board(board_link_id: int) -> ResponseReturnValue:
    """Let a stopped board sync again, starting soon."""
    db = get_session()
    link = get_or_404(db, TrelloBoard, board_link_id)

    def resume() -> None:
        status.resume_board(db, link)
        status.request_sync(db, link, clock.now())

    return _act(resume, _("The board will be synced again shortly."))


@bp.post("/boards/<int:board_link_id>/sync")
@require_role(Role.LEADERSHIP)
def request_sync(board_link_id: int) -> ResponseReturnValue:
    """Ask for a reconcile of the board shortly."""
    db = get_session()
    link = get_or_404(db, TrelloBoard, board_link_id)
    return _act(
        lambda: status.request_sync(db, link, clock.now()),
        _("The board will be synced shortly."),
    )


@bp.post("/cards/<int:card_link_id>/recreate")
@require_role(Role.LEADERSHIP)
def recreate_card(card_link_id: int) -> ResponseReturnValue:
    """Give an assignment whose card was deleted a new card at the next sync."""
    db = get_session()
    card = get_or_404(db, TrelloCard, card_link_id)
    return _act(
        lambda: status.recreate_card(db, current_person(), card),
        _("The assignment gets a new card at the next sync."),
    )


def _act(action: Callable[[], Any], message: str) -> ResponseReturnValue:
    """Validate the CSRF token, run *action*, commit, flash, back to the page."""
    form = EmptyForm()
    if not form.validate_on_submit():
        flash(_("The form has expired. Please try again."), "error")
        return redirect(url_for("sync.status"))
    db = get_session()
    try:
        action()
    except DomainError as error:
        db.rollback()
        flash(str(error), "error")
    else:
        db.commit()
        flash(message, "success")
    return redirect(url_for("sync.status"))
