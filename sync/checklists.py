"""The "Milstolpar" checklist: one check item per milestone, merged both ways."""

from __future__ import annotations

from flask_babel import gettext as _

from sync.context import BoardContext
from sync.merge import ITEM_OWNERS, Action, merge_item, settled_base
from sync.snapshot import Card, CheckItem, Checklist
from tracker.models.assignments import Assignment, Milestone
from tracker.models.trello import Side, TrelloCard, TrelloCheckItem
from tracker.services.programme import milestones


def sync_checklist(
    ctx: BoardContext,
    assignment: Assignment,
    link: TrelloCard,
    card: Card,
    *,
    pull: bool,
) -> None:
    """Create, adopt, merge and remove check items so they match the milestones."""
    checklist = _find_checklist(ctx, link, card)
    if checklist is None:
        if not assignment.milestones:
            return
        checklist = _create_checklist(ctx, link, card)
    items = {item.id: item for item in checklist.items}
    _drop_stale(ctx, assignment, link, checklist, items)
    linked = {row.milestone_id: row for row in link.check_items}
    claimed = {row.checkitem_id for row in link.check_items}
    for milestone in list(assignment.milestones):
        row = linked.get(milestone.id)
        if row is None:
            row = _attach(ctx, link, checklist, milestone, claimed)
            _merge(ctx, row, milestone, checklist, base=None, pull=pull)
        else:
            base = {"name": row.synced_name, "done": row.synced_done}
            _merge(ctx, row, milestone, checklist, base=base, pull=pull)
    if pull:
        for item in checklist.items:
            if item.id not in claimed:
                _pull_new_item(ctx, assignment, link, item)


def _find_checklist(
    ctx: BoardContext, link: TrelloCard, card: Card
) -> Checklist | None:
    """The linked checklist, else one with the configured name (adopted)."""
    name = ctx.settings["CHECKLIST_NAME"]
    for checklist in card.checklists:
        if checklist.id == link.checklist_id:
            return checklist
    for checklist in card.checklists:
        if checklist.name.casefold() == name.casefold():
            link.checklist_id = checklist.id
            return checklist
    if link.checklist_id is not None:
        link.check_items.clear()  # the checklist was deleted in Trello: start over
        link.checklist_id = None
    return None


def _create_checklist(ctx: BoardContext, link: TrelloCard, card: Card) -> Checklist:
    known = {checklist.id for checklist in card.checklists}
    data = ctx.api.create_checklist(card.id, ctx.settings["CHECKLIST_NAME"], known)
    link.checklist_id = data["id"]
    ctx.report.created += 1
    return Checklist(data["id"], ctx.settings["CHECKLIST_NAME"], [])


def _drop_stale(
    ctx: BoardContext,
    assignment: Assignment,
    link: TrelloCard,
    checklist: Checklist,
    items: dict[str, CheckItem],
) -> None:
    """Remove items of deleted milestones; forget items deleted in Trello."""
    for row in list(link.check_items):
        item = items.get(row.checkitem_id)
        if row.milestone_id is None:
            if item is not None:
                ctx.api.delete_check_item(checklist.id, item.id)
                checklist.items.remove(item)
                ctx.report.updated += 1
                ctx.report.note(_("Check item removed: %(name)s", name=item.name))
            link.check_items.remove(row)
        elif item is None:
            # The tracker owns which milestones exist: the item comes back.
            ctx.conflict(assignment, "milestone", row.synced_name, "", Side.TRACKER)
            link.check_items.remove(row)


def _attach(
    ctx: BoardContext,
    link: TrelloCard,
    checklist: Checklist,
    milestone: Milestone,
    claimed: set[str],
) -> TrelloCheckItem:
    """Link a milestone to an unclaimed item of its name, or add one."""
    for item in checklist.items:
        if item.id not in claimed and item.name == milestone.title:
            break  # created before a crash: adopt it, no duplicate
    else:
        known = {item.id for item in checklist.items}
        data = ctx.api.add_check_item(
            checklist.id, milestone.title, milestone.done, known
        )
        item = CheckItem(data["id"], milestone.title, milestone.done)
        checklist.items.append(item)
        ctx.report.created += 1
    claimed.add(item.id)
    row = TrelloCheckItem(milestone_id=milestone.id, checkitem_id=item.id)
    link.check_items.append(row)
    return row


def _merge(
    ctx: BoardContext,
    row: TrelloCheckItem,
    milestone: Milestone,
    checklist: Checklist,
    *,
    base: dict[str, object] | None,
    pull: bool,
) -> None:
    """Three-way merge of one item's name (tracker's) and state (Trello's)."""
    item = next(i for i in checklist.items if i.id == row.checkitem_id)
    tracker = {"name": milestone.title, "done": milestone.done}
    trello = {"name": item.name, "done": item.done}
    push: dict[str, object] = {}
    for decision in merge_item(base, tracker, trello):
        name = decision.field
        if decision.conflict:
            owner = ITEM_OWNERS[name]
            label = f"{milestone.title}: {name}"
            ctx.conflict(
                milestone.assignment, label, tracker[name], trello[name], owner
            )
        if decision.action is Action.PULL and pull:
            _pull_item(ctx, milestone, name, trello[name])
        else:
            push[name] = tracker[name]
    if push:
        _push_item(ctx, row, milestone, push)
    after = {"name": milestone.title, "done": milestone.done}
    final = {k: push.get(k, trello[k]) for k in trello}
    row.synced_name = settled_base(after["name"], final["name"])
    row.synced_done = settled_base(after["done"], final["done"])


def _push_item(
    ctx: BoardContext,
    row: TrelloCheckItem,
    milestone: Milestone,
    push: dict[str, object],
) -> None:
    """Rename and tick in one request."""
    body = {"name": push["name"]} if "name" in push else {}
    if "done" in push:
        body["state"] = "complete" if push["done"] else "incomplete"
    ctx.api.update_check_item(row.card.card_id, row.checkitem_id, body)
    ctx.report.updated += 1
    ctx.report.note(_("Check item updated: %(name)s", name=milestone.title))


def _pull_item(
    ctx: BoardContext, milestone: Milestone, name: str, value: object
) -> None:
    if name == "name":
        milestones.update_milestone(
            ctx.session, None, milestone, title=str(value), due_on=milestone.due_on
        )
    else:
        milestones.set_done(ctx.session, None, milestone, bool(value), ctx.now)
    ctx.report.pulled += 1
    ctx.report.note(_("Pulled from Trello: milestone %(name)s", name=milestone.title))


def _pull_new_item(
    ctx: BoardContext, assignment: Assignment, link: TrelloCard, item: CheckItem
) -> None:
    """An item a person added in Trello becomes a milestone."""
    milestone = milestones.add_milestone(
        ctx.session, None, assignment, title=item.name, due_on=None
    )
    if item.done:
        milestones.set_done(ctx.session, None, milestone, True, ctx.now)
    link.check_items.append(
        TrelloCheckItem(
            milestone_id=milestone.id,
            checkitem_id=item.id,
            synced_name=item.name,
            synced_done=item.done,
        )
    )
    ctx.report.pulled += 1
    ctx.report.note(_("Milestone added from Trello: %(name)s", name=item.name))
