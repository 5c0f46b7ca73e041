"""Reconcile one plan's board: one read, then only the writes that are needed."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from functools import partial
from typing import Any

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from sync import structure
from sync.cards import adopt_card, create_card, link_card, sync_card, unlink_card
from sync.client import TrelloApi
from sync.context import BoardContext, PlanReport
from sync.description import parse
from sync.mapping import (
    description_body,
    from_trello_date,
    marked_assignment,
)
from sync.progress import Steps
from sync.snapshot import Card
from tracker.errors import DomainError
from tracker.models.assignments import Assignment, Stage
from tracker.models.groups import Membership, WorkingGroup
from tracker.models.plans import ActionPlan
from tracker.models.trello import TrelloCard, TrelloMatchProposal
from tracker.services import activity
from tracker.services.programme import assignments, stages


def reconcile_plan(
    session: Session,
    api: TrelloApi,
    plan: ActionPlan,
    *,
    settings: Mapping[str, Any],
    public_url: str,
    report: PlanReport,
    now: datetime,
    my_boards: structure.BoardsLoader,
    steps: Steps | None = None,
) -> BoardContext:
    """Bring the plan's board and the tracker in step; *steps* commits on the way."""
    link, board = structure.open_board(session, api, plan, report, my_boards)
    items = load_assignments(session, plan)
    if steps is None:
        steps = Steps(session, plan.title, 0, lambda: api.requests_made)
    steps.total = len(items)
    lists = structure.ensure_lists(session, api, link, board, settings, report)
    labels = structure.ensure_labels(api, link, board, items, settings, report)
    maps = structure.board_maps(session, board, lists, labels, public_url)
    ctx = BoardContext(session, api, settings, plan, link, board, maps, report, now)
    steps.start(link.id)
    links = card_links(session, link.id)
    waiting = pending_proposals(session, link.id)
    claimed = {row.card_id for row in links.values()} | {p.card_id for p in waiting}
    by_marker = _cards_by_marker(board.cards.values(), claimed)
    held = {p.assignment_id for p in waiting}
    for assignment in items:
        if assignment.id in held:
            continue  # leadership has not yet said whether a card is this one
        row = links.get(assignment.id)
        # Claimed even if its sync fails: never proposed as a new assignment.
        claimed.add(_card_of(row, by_marker.get(assignment.id)))
        card_id = steps.card(
            assignment.title,
            partial(_sync_assignment, ctx, assignment, row, by_marker),
        )
        if card_id:
            claimed.add(card_id)
    by_id = {assignment.id: assignment for assignment in items}
    for card in list(board.cards.values()):
        if card.id in claimed or card.closed or not _on_open_list(ctx, card):
            continue
        twin = _twin_of(card, by_id, links)
        if twin is not None:
            steps.card(card.name, partial(archive_twin, ctx, card, twin))
        else:
            steps.card(card.name, partial(propose_from_card, ctx, card))
    return ctx


def _twin_of(
    card: Card, by_id: dict[int, Assignment], links: dict[int, TrelloCard]
) -> Assignment | None:
    """The assignment an unclaimed card is an exact second copy of, if any.

    A POST that Trello made later than it answered leaves such a card: it carries
    the marker of an assignment that already has its card, its name and its text.
    """
    parsed = parse(card.desc)
    assignment = by_id.get(parsed.assignment_id or 0)
    link = links.get(assignment.id) if assignment is not None else None
    if assignment is None or link is None or link.card_id == card.id:
        return None
    same = (card.name, parsed.body) == (assignment.title, assignment.description)
    return assignment if same else None


def archive_twin(ctx: BoardContext, card: Card, assignment: Assignment) -> None:
    """Archive a second card of an assignment (never delete: it can be taken back)."""
    ctx.api.update_card(card.id, {"closed": True})
    ctx.report.updated += 1
    ctx.report.note(
        _("Second card of %(title)s archived (a late write)", title=assignment.title)
    )


def card_links(session: Session, link_id: int) -> dict[int, TrelloCard]:
    """The board's card links by assignment id, with their check items."""
    rows = session.scalars(
        select(TrelloCard)
        .where(TrelloCard.board_link_id == link_id)
        .options(selectinload(TrelloCard.check_items))
    )
    return {row.assignment_id: row for row in rows}


def load_assignments(session: Session, plan: ActionPlan) -> list[Assignment]:
    """The plan's assignments with groups, members and milestones, in four queries."""
    statement = (
        select(Assignment)
        .where(Assignment.plan_id == plan.id)
        .options(
            selectinload(Assignment.groups)
            .selectinload(WorkingGroup.memberships)
            .selectinload(Membership.person),
            selectinload(Assignment.milestones),
        )
        .order_by(Assignment.position, Assignment.id)
    )
    return list(session.scalars(statement))


def pending_proposals(session: Session, link_id: int) -> list[TrelloMatchProposal]:
    """Matches `link` proposed that leadership has not decided on."""
    return list(
        session.scalars(
            select(TrelloMatchProposal).where(
                TrelloMatchProposal.board_link_id == link_id,
                TrelloMatchProposal.decided_at.is_(None),
            )
        )
    )


def _sync_assignment(
    ctx: BoardContext,
    assignment: Assignment,
    link: TrelloCard | None,
    by_marker: dict[int, Card],
) -> str | None:
    """Sync one assignment; returns the id of the card it claimed."""
    if link is not None and link.unlinked_at is not None:
        return None  # flagged for leadership: never recreated behind their back
    if link is None:
        card = by_marker.get(assignment.id)
        if card is None:
            if assignment.is_closed:
                return None  # ended before it ever had a card: nothing to archive
            return create_card(ctx, assignment).card_id
        link = adopt_card(ctx, assignment, card)
    card = ctx.board.cards.get(link.card_id)
    if card is None:
        unlink_card(ctx, assignment, link)
        return None
    sync_card(ctx, assignment, link, card)
    return card.id


def _card_of(link: TrelloCard | None, marked: Card | None) -> str:
    if link is not None:
        return link.card_id
    return marked.id if marked is not None else ""


def _cards_by_marker(cards: Any, claimed: set[str]) -> dict[int, Card]:
    """Unclaimed cards that carry an assignment's marker (left by a crashed run)."""
    found: dict[int, Card] = {}
    for card in cards:
        assignment_id = marked_assignment(card.desc)
        if assignment_id is not None and card.id not in claimed:
            found.setdefault(assignment_id, card)
    return found


def _on_open_list(ctx: BoardContext, card: Card) -> bool:
    found = ctx.board.lists.get(card.list_id)
    return found is not None and not found.closed


def propose_from_card(ctx: BoardContext, card: Card) -> None:
    """A card a person made on the board becomes a proposed assignment."""
    stage_id = ctx.maps.stage_by_list.get(card.list_id)
    stage = ctx.session.get(Stage, stage_id) if stage_id else None
    values = assignments.AssignmentValues(
        title=(card.name.strip() or _("Card without a name"))[:180],
        description=description_body(card.desc),
        starts_on=_date(from_trello_date(card.start)),
        ends_on=_date(from_trello_date(card.due)),
    )
    assignment = _create_proposal(ctx, values, stage or stages.first_stage(ctx.session))
    assignment.proposed = True
    activity.record(
        ctx.session,
        None,
        "updated",
        assignment,
        before={"proposed": False},
        after={"proposed": True, "trello_card": card.url or card.id},
        plan_id=ctx.plan.id,
        assignment_id=assignment.id,
    )
    ctx.report.pulled += 1
    ctx.report.note(
        _("Proposed assignment from a new card: %(title)s", title=card.name)
    )
    _link_proposal(ctx, assignment, card)


def _link_proposal(ctx: BoardContext, assignment: Assignment, card: Card) -> None:
    link = link_card(ctx, assignment, card)
    sync_card(ctx, assignment, link, card)  # writes the marker onto the card


def _create_proposal(
    ctx: BoardContext, values: assignments.AssignmentValues, stage: Stage
) -> Assignment:
    """Create the assignment; a clashing title or impossible dates are adjusted."""
    for _attempt in range(3):
        try:
            return assignments.create_assignment(
                ctx.session, None, ctx.plan, values, stage=stage
            )
        except DomainError as error:
            if error.field == "title":
                values.title = f"{values.title} (Trello)"
            else:
                values.starts_on = None
    raise DomainError(_("The card could not become an assignment."))


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
