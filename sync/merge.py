"""The three-way merge: tracker, Trello and the value both had at the last sync."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any

from sync.mapping import CardState
from tracker.models.trello import Side

# Fields that go both ways; the owner wins when both sides changed.
OWNERS: dict[str, Side] = {
    "name": Side.TRACKER,
    "desc": Side.TRACKER,
    "due": Side.TRACKER,
    "start": Side.TRACKER,
    "list_id": Side.TRELLO,
}
# Derived from the tracker (archive state, group labels, group members): pushed only.
DERIVED = ("closed", "label_ids", "member_ids")
# A milestone's check item: the tracker names it, Trello ticks it.
ITEM_OWNERS: dict[str, Side] = {"name": Side.TRACKER, "done": Side.TRELLO}
MISSING = object()


class Action(enum.Enum):
    """What to do with one field."""

    PUSH = "push"  # write the tracker's value to Trello
    PULL = "pull"  # write Trello's value to the tracker


@dataclass(frozen=True)
class Decision:
    """The merge's verdict on one field."""

    field: str
    action: Action
    conflict: bool = False


def decide(base: Any, tracker: Any, trello: Any, owner: Side) -> Decision | None:
    """Changed on one side: copy it over. On both: the owner wins, and it is a conflict.

    Returns None when both sides agree. Without a base (never synced) the owner's
    value is taken and nothing counts as a conflict.
    """
    winner = Action.PUSH if owner is Side.TRACKER else Action.PULL
    if tracker == trello:
        return None
    if base is MISSING:
        return Decision("", winner)
    if trello == base:
        return Decision("", Action.PUSH)
    if tracker == base:
        return Decision("", Action.PULL)
    return Decision("", winner, conflict=True)


def merge_card(
    base: CardState | None, tracker: CardState, trello: CardState, *, pull: bool
) -> list[Decision]:
    """Decisions for every field that differs; *pull* False keeps the tracker's."""
    decisions = []
    for name, owner in OWNERS.items():
        old = getattr(base, name) if base is not None else MISSING
        verdict = decide(old, getattr(tracker, name), getattr(trello, name), owner)
        if verdict is None:
            continue
        action = verdict.action if pull else Action.PUSH
        decisions.append(Decision(name, action, verdict.conflict and pull))
    for name in DERIVED:
        if getattr(tracker, name) != getattr(trello, name):
            decisions.append(Decision(name, Action.PUSH))
    return decisions


def merge_item(
    base: dict[str, Any] | None,
    tracker: dict[str, Any],
    trello: dict[str, Any],
) -> list[Decision]:
    """Decisions for a check item's name and state."""
    decisions = []
    for name, owner in ITEM_OWNERS.items():
        old = base[name] if base is not None else MISSING
        verdict = decide(old, tracker[name], trello[name], owner)
        if verdict is not None:
            decisions.append(Decision(name, verdict.action, verdict.conflict))
    return decisions


def settled_base(tracker: Any, trello: Any) -> Any:
    """The value to remember as synced after a run.

    When the sides still differ (a pull Trello won could not be applied, such as a
    card in a list that is no stage), remember the tracker's value: the next run then
    sees Trello's as the change and tries again, and writes nothing meanwhile.
    """
    return trello if trello == tracker else tracker
