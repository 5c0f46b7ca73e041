"""One assignment and its card: create, merge both ways, unlink when it vanished."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from flask_babel import gettext as _

from sync import description
from sync.checklists import sync_checklist
from sync.context import BoardContext, field_names
from sync.description import marker
from sync.mapping import (
    CardState,
    card_state,
    description_body,
    desired_state,
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
        desc_cut=description.parse(state.desc).cut,
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
    synced = link.synced or {}
    base = CardState.from_dict(synced) if "name" in synced else None
    trello = card_state(card, ctx.maps)
    tracker = desired_state(assignment, ctx.maps)
    if _archived_in_trello(ctx, assignment, link, trello):
        return
    # Texts are merged on what people wrote: a footer the tracker rewrote (a group
    # began to recruit) is no change that could out-vote an edit in Trello.
    decisions = merge_card(
        _body_only(base), _body_only(tracker), _body_only(trello), pull=pull
    )
    decisions = _respect_other_list(ctx, link, base, tracker, trello, decisions)
    if base is None and pull and not assignment.description.strip():
        # An adopted card's own text is kept when the assignment has none.
        decisions = [_take_card_text(d, card) for d in decisions]
    for decision in (d for d in decisions if d.conflict):
        name = decision.field
        old, new = getattr(_body_only(tracker), name), getattr(_body_only(trello), name)
        ctx.conflict(assignment, name, old, new, OWNERS[name])
    pulls = [d for d in decisions if d.action is Action.PULL]
    pulled = _pull(ctx, assignment, trello, pulls, base)
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
    link.desc_cut = description.parse(link.synced["desc"]).cut
    if "list_id" in push:
        link.off_list_name = ""
    sync_checklist(ctx, assignment, link, card, pull=pull)


def _archived_in_trello(
    ctx: BoardContext, assignment: Assignment, link: TrelloCard, trello: CardState
) -> bool:
    """A card a person archived flags its assignment; the card waits meanwhile.

    Archiving is how Trello users remove a card, so it is never undone behind
    leadership's back. Leadership ends the assignment or restores the card (which
    marks the archived state as seen: the tracker's "not ended" then wins).
    """
    seen = bool((link.synced or {}).get("closed"))
    if not trello.closed or assignment.is_closed or seen:
        link.archived_at = None
        return False
    if link.archived_at is None:
        link.archived_at = ctx.now
        activity.record(
            ctx.session,
            None,
            "updated",
            assignment,
            before={"trello_card_archived": False},
            after={"trello_card_archived": True},
            plan_id=assignment.plan_id,
            assignment_id=assignment.id,
        )
        ctx.report.note(
            _("Card archived in Trello, flagged: %(title)s", title=assignment.title)
        )
    return True


def _respect_other_list(
    ctx: BoardContext,
    link: TrelloCard,
    base: CardState | None,
    tracker: CardState,
    trello: CardState,
    decisions: list[Decision],
) -> list[Decision]:
    """A card in a list that is no stage stays there until the tracker's stage moves.

    The list is shown on the status page; the tracker's next stage change moves the
    card (it is no conflict: Trello's list cannot be taken as a stage).
    """
    if trello.list_id in ctx.maps.stage_by_list or trello.list_id is None:
        link.off_list_name = ""
        return decisions
    found = ctx.board.lists.get(trello.list_id)
    link.off_list_name = (found.name if found else trello.list_id)[:200]
    kept = [d for d in decisions if d.field != "list_id"]
    moved = base is not None and tracker.list_id != base.list_id
    if moved and tracker.list_id:
        kept.append(Decision("list_id", Action.PUSH))
    return kept


def _body_only(state: CardState | None) -> Any:
    """The state with the card text reduced to what people wrote above the footer."""
    if state is None:
        return None
    return replace(state, desc=description.parse(state.desc).body)


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
    if after.desc != trello.desc and not any(d.field == "desc" for d in decisions):
        push.append("desc")  # the same text, a footer to bring up to date
    return [name for name in ALL_FIELDS if name in push]


def _pull(
    ctx: BoardContext,
    assignment: Assignment,
    trello: CardState,
    pulls: list[Decision],
    base: CardState | None,
) -> set[str]:
    """Copy Trello's values into the tracker through its services."""
    names = {d.field for d in pulls}
    done = set()
    if names & {"name", "desc", "due", "start"}:
        base_desc = base.desc if base is not None else None
        done |= _pull_values(ctx, assignment, trello, names, base_desc)
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
    ctx: BoardContext,
    assignment: Assignment,
    trello: CardState,
    names: set[str],
    base_desc: str | None,
) -> set[str]:
    text = assignment.description
    if "desc" in names:  # a cut card keeps the part of the text it never showed
        text = description.merged_body(trello.desc, base_desc, assignment.description)
    values = assignments.AssignmentValues(
        title=trello.name if "name" in names else assignment.title,
        description=text,
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
