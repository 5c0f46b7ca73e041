"""`tracker sync trello link`: adopt an existing board; leadership confirms matches."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from sync.client import TrelloApi, TrelloError
from sync.description import marker
from sync.mapping import marked_assignment
from sync.reconcile import load_assignments, pending_proposals
from sync.snapshot import Card
from sync.structure import board_link
from tracker.errors import DomainError
from tracker.models.assignments import Assignment
from tracker.models.people import Person
from tracker.models.plans import ActionPlan
from tracker.models.trello import TrelloBoard, TrelloCard, TrelloMatchProposal
from tracker.services import activity

BOARD_URL_RE = re.compile(r"trello\.com/b/([A-Za-z0-9]+)")


@dataclass
class LinkResult:
    """What adopting a board found."""

    link: TrelloBoard
    marked: int = 0  # cards that carry an assignment's marker: linked at once
    proposals: list[TrelloMatchProposal] = field(default_factory=list)


def board_ref(text: str) -> str:
    """A board id or shortLink from an id, a shortLink or a board URL."""
    match = BOARD_URL_RE.search(text)
    return match.group(1) if match else text.strip().strip("/")


def link_board(
    session: Session, api: TrelloApi, plan: ActionPlan, board: str, now: datetime
) -> LinkResult:
    """Adopt *board* for *plan*: marked cards link now, name matches are proposed."""
    try:
        snapshot = api.board(board_ref(board))
    except TrelloError as error:
        raise DomainError(_l("Trello does not know that board.")) from error
    result = LinkResult(_board_link(session, plan, snapshot.id, snapshot.url))
    taken = _taken(session, result.link)
    waiting = {p.assignment_id for p in pending_proposals(session, result.link.id)}
    free = [
        a
        for a in load_assignments(session, plan)
        if a.id not in taken and a.id not in waiting
    ]
    for card in snapshot.cards.values():
        if not card.closed and card.id not in taken:
            _consider(session, result, card, free, now)
    session.flush()
    return result


def _board_link(
    session: Session, plan: ActionPlan, board_id: str, url: str
) -> TrelloBoard:
    """The plan's link to this board, new if needed; never a second board."""
    link = board_link(session, plan)
    if link is not None and link.board_id != board_id:
        raise DomainError(_l("The action plan already has another Trello board."))
    other = session.scalars(
        select(TrelloBoard).where(TrelloBoard.board_id == board_id)
    ).one_or_none()
    if other is not None and other.plan_id != plan.id:
        raise DomainError(_l("That board already belongs to another action plan."))
    if link is None:
        link = TrelloBoard(plan_id=plan.id, board_id=board_id, url=url)
        session.add(link)
        session.flush()
    return link


def _consider(
    session: Session,
    result: LinkResult,
    card: Card,
    free: list[Assignment],
    now: datetime,
) -> None:
    """Link a card with an assignment's marker; propose one with its name."""
    marked = marked_assignment(card.desc)
    assignment = _match(card.name, marked, free)
    if assignment is None:
        return
    free.remove(assignment)
    if marked == assignment.id:
        _link_card(session, result.link, assignment, card.id, card.url, None)
        result.marked += 1
        return
    proposal = TrelloMatchProposal(
        board_link_id=result.link.id,
        assignment_id=assignment.id,
        card_id=card.id,
        card_name=card.name,
        created_at=now,
    )
    session.add(proposal)
    result.proposals.append(proposal)


def decide(
    session: Session,
    actor: Person | None,
    proposal: TrelloMatchProposal,
    *,
    accepted: bool,
    now: datetime,
) -> None:
    """Leadership's answer: the card is the assignment (linked by id) or it is not."""
    if proposal.decided_at is not None:
        raise DomainError(_l("The proposal has already been decided."))
    proposal.decided_at, proposal.accepted = now, accepted
    if accepted:
        if proposal.card_id in _taken(session, proposal.board):
            raise DomainError(_l("The card or the assignment is already linked."))
        _link_card(
            session, proposal.board, proposal.assignment, proposal.card_id, "", actor
        )
    session.flush()


def _match(name: str, marked: int | None, free: list[Assignment]) -> Assignment | None:
    for assignment in free:
        if marked == assignment.id:
            return assignment
    wanted = name.strip().casefold()
    return next((a for a in free if a.title.strip().casefold() == wanted), None)


def _taken(session: Session, link: TrelloBoard) -> set[str | int]:
    """Card ids and assignment ids that already have a link."""
    rows = session.execute(
        select(TrelloCard.card_id, TrelloCard.assignment_id).where(
            TrelloCard.board_link_id == link.id
        )
    )
    taken: set[str | int] = set()
    for card_id, assignment_id in rows:
        taken.update((card_id, assignment_id))
    return taken


def _link_card(
    session: Session,
    link: TrelloBoard,
    assignment: Assignment,
    card_id: str,
    url: str,
    actor: Person | None,
) -> None:
    if session.scalar(
        select(TrelloCard.id).where(TrelloCard.assignment_id == assignment.id)
    ):
        raise DomainError(_l("The card or the assignment is already linked."))
    session.add(
        TrelloCard(
            assignment_id=assignment.id,
            board_link_id=link.id,
            card_id=card_id,
            marker=marker(assignment.id),
            url=url,
            synced=None,  # the first sync takes each field's owner's value
        )
    )
    activity.record(
        session,
        actor,
        "updated",
        assignment,
        before={"trello_card": None},
        after={"trello_card": url or card_id},
        plan_id=assignment.plan_id,
        assignment_id=assignment.id,
    )
