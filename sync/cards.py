"""One assignment and its card: create, merge both ways, unlink when it vanished."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from sync.checklists import sync_checklist
from sync.context import BoardContext, field_names
from sync.mapping import (
    CardState,
    card_state,
    description_body,
    desired_state,
    marker,
    trello_fields,
)
from sync.merge import DERIVED, OWNERS, Action, Decision, merge_card, settled_base
from sync.snapshot import Card
from tracker.errors import DomainError
from tracker.models.assignments import Assignment, Stage
from tracker.models.trello import Side, TrelloCard
from tracker.services import activity
from tracker.services.programme import assignments

_COLUMN = {"name": "title", "due": "ends_on", "start": "starts_on"}
CARD_FIELDS = ("name", "desc", "due", "start", "list_id", "label_ids", "member_ids")
ALL_FIELDS = (*OWNERS, *DERIVED)


def create_card(ctx: BoardContext, assignment: Assignment) -> TrelloCard:
    """A new card with every field set in one request, then its checklist."""
    state = desired_state(assignment, ctx.maps)
    body = trello_fields(state, CARD_FIELDS, None, ctx.maps) | {"pos": "bottom"}
    data = ctx.api.create_card(body)
    link = TrelloCard(
        assignment_id=assignment.id,
        board_link_id=ctx.link.id,
        card_id=data["id"],
        marker=marker(assignment.id),
        url=data.get("url", ""),
        synced=state.to_dict(),
        synced_at=ctx.now,
    )
    ctx.session.add(link)
    ctx.session.flush()
    ctx.report.created += 1
    ctx.report.note(_("Card created: %(title)s", title=assignment.title))
    card = Card(data["id"], state.name, state.desc, None, None, "", [], [], False, "")
    sync_checklist(ctx, assignment, link, card, pull=True)
    return link


def link_card(ctx: BoardContext, assignment: Assignment, card: Card) -> TrelloCard:
    """Store the link between an assignment and an existing card, never synced yet."""
    link = TrelloCard(
        assignment_id=assignment.id,
        board_link_id=ctx.link.id,
        card_id=card.id,
        marker=marker(assignment.id),
        url=card.url,
        synced=None,
    )
    ctx.session.add(link)
    ctx.session.flush()
    return link


def adopt_card(ctx: BoardContext, assignment: Assignment, card: Card) -> TrelloCard:
    """Link a card found by its marker (a crash came between creating and storing)."""
    link = link_card(ctx, assignment, card)
    ctx.report.note(_("Card found again by its marker: %(title)s", title=card.name))
    return link


def sync_card(
    ctx: BoardContext, assignment: Assignment, link: TrelloCard, card: Card
) -> None:
    """Merge the card and the assignment field by field; one PUT for all pushes."""
    pull = not assignment.is_closed  # an ended assignment is history: tracker only
    base = CardState.from_dict(link.synced) if link.synced else None
    trello = card_state(card, ctx.maps)
    tracker = desired_state(assignment, ctx.maps)
    decisions = merge_card(base, tracker, trello, pull=pull)
    if base is None and pull and not assignment.description.strip():
        # An adopted card's own text is kept when the assignment has none.
        decisions = [_take_card_text(d, card) for d in decisions]
    for decision in (d for d in decisions if d.conflict):
        name = decision.field
        old, new = getattr(tracker, name), getattr(trello, name)
        ctx.conflict(assignment, name, old, new, OWNERS[name])
    pulls = [d for d in decisions if d.action is Action.PULL]
    pulled = _pull(ctx, assignment, trello, pulls)
    after = desired_state(assignment, ctx.maps)
    push = _fields_to_push(decisions, pulled, after, trello)
    if push:
        _push(ctx, card, after, push)
    now_in_trello = {f: getattr(after if f in push else trello, f) for f in ALL_FIELDS}
    link.synced = {
        f: settled_base(getattr(after, f), now_in_trello[f]) for f in ALL_FIELDS
    }
    link.synced_at = ctx.now
    link.url = card.url or link.url
    sync_checklist(ctx, assignment, link, card, pull=pull)


def _take_card_text(decision: Decision, card: Card) -> Decision:
    if decision.field == "desc" and description_body(card.desc):
        return Decision("desc", Action.PULL)
    return decision


def _push(ctx: BoardContext, card: Card, state: CardState, fields: list[str]) -> None:
    """All of a card's changed fields in one PUT."""
    ctx.api.update_card(card.id, trello_fields(state, fields, card, ctx.maps))
    ctx.report.updated += 1
    ctx.report.note(
        _(
            "Card updated: %(title)s (%(fields)s)",
            title=state.name,
            fields=field_names(fields),
        )
    )


def unlink_card(ctx: BoardContext, assignment: Assignment, link: TrelloCard) -> None:
    """The card is gone from the board: flag the assignment, delete nothing."""
    link.unlinked_at = ctx.now
    activity.record(
        ctx.session,
        None,
        "updated",
        assignment,
        before={"trello_card": link.url or link.card_id},
        after={"trello_card": None},
        plan_id=assignment.plan_id,
        assignment_id=assignment.id,
    )
    ctx.report.note(
        _("Card deleted in Trello, unlinked: %(title)s", title=assignment.title)
    )


def _fields_to_push(
    decisions: list[Decision], pulled: set[str], after: CardState, trello: CardState
) -> list[str]:
    push = []
    for decision in decisions:
        name = decision.field
        differs = getattr(after, name) != getattr(trello, name)
        if decision.action is Action.PUSH:
            push.append(name)
        elif differs and (name in pulled or OWNERS[name] is Side.TRACKER):
            # A pulled value reads back normalised, or the tracker could not take
            # a value it owns: make the card say what the tracker says.
            push.append(name)
    return [name for name in ALL_FIELDS if name in push]


def _pull(
    ctx: BoardContext, assignment: Assignment, trello: CardState, pulls: list[Decision]
) -> set[str]:
    """Copy Trello's values into the tracker through its services."""
    names = {d.field for d in pulls}
    done = set()
    if names & {"name", "desc", "due", "start"}:
        done |= _pull_values(ctx, assignment, trello, names)
    if "list_id" in names and _pull_stage(ctx, assignment, trello.list_id):
        done.add("list_id")
    if done:
        ctx.report.pulled += 1
        ctx.report.note(
            _(
                "Pulled from Trello: %(title)s (%(fields)s)",
                title=assignment.title,
                fields=field_names(sorted(done)),
            )
        )
    return done


def _pull_values(
    ctx: BoardContext, assignment: Assignment, trello: CardState, names: set[str]
) -> set[str]:
    values = assignments.AssignmentValues(
        title=trello.name if "name" in names else assignment.title,
        description=(
            description_body(trello.desc) if "desc" in names else assignment.description
        ),
        responsible=assignment.responsible,
        starts_on=_date(trello.start) if "start" in names else assignment.starts_on,
        ends_on=_date(trello.due) if "due" in names else assignment.ends_on,
        documents_link=assignment.documents_link,
    )
    try:
        assignments.update_assignment(ctx.session, None, assignment, values)
    except DomainError as error:
        # Trello's value breaks a tracker rule: keep the tracker's and show why.
        for name in sorted(names & {"name", "due", "start"}):
            ctx.conflict(
                assignment,
                name,
                getattr(assignment, _COLUMN[name]),
                str(error),
                Side.TRACKER,
            )
        return set()
    return names & {"name", "desc", "due", "start"}


def _pull_stage(ctx: BoardContext, assignment: Assignment, list_id: str | None) -> bool:
    stage_id = ctx.maps.stage_by_list.get(list_id or "")
    stage = ctx.session.get(Stage, stage_id) if stage_id is not None else None
    if stage is None:
        return False  # a list that is no stage: leave the assignment where it is
    try:
        assignments.move_assignment(ctx.session, None, assignment, stage)
    except DomainError:
        return False
    return True


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
