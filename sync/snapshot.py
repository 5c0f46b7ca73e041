"""A board as one request returns it: lists, cards, checklists, labels, members."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# GET /1/boards/{id} with these nested resources and only the fields the sync reads.
BOARD_QUERY: dict[str, str] = {
    "fields": "name,closed,url",
    "lists": "all",
    "list_fields": "name,closed,pos",
    "cards": "all",
    "card_fields": "name,desc,due,start,idList,idLabels,idMembers,closed,url",
    "checklists": "all",
    "checklist_fields": "name,idCard",
    "checkItem_fields": "name,state,pos",
    "labels": "all",
    "label_fields": "name,color",
    "labels_limit": "1000",
    "members": "all",
    "member_fields": "username",
}


@dataclass
class CheckItem:
    """One item of a checklist."""

    id: str
    name: str
    done: bool


@dataclass
class Checklist:
    """A checklist on a card."""

    id: str
    name: str
    items: list[CheckItem] = field(default_factory=list)


@dataclass
class Card:
    """A card with the fields the sync compares."""

    id: str
    name: str
    desc: str
    due: str | None
    start: str | None
    list_id: str
    label_ids: list[str]
    member_ids: list[str]
    closed: bool
    url: str
    checklists: list[Checklist] = field(default_factory=list)


@dataclass
class TrelloList:
    """A list of a board."""

    id: str
    name: str
    closed: bool


@dataclass
class Label:
    """A label of a board."""

    id: str
    name: str
    color: str | None


@dataclass
class Board:
    """Everything the sync needs to know about one board."""

    id: str
    name: str
    url: str
    closed: bool
    lists: dict[str, TrelloList] = field(default_factory=dict)
    cards: dict[str, Card] = field(default_factory=dict)
    labels: dict[str, Label] = field(default_factory=dict)
    members: dict[str, str] = field(default_factory=dict)  # lower username -> id


def parse_board(data: dict[str, Any]) -> Board:
    """Turn Trello's JSON for a board (with nested resources) into a Board."""
    board = Board(
        id=data["id"],
        name=data.get("name", ""),
        url=data.get("url", ""),
        closed=bool(data.get("closed", False)),
    )
    for item in data.get("lists", []):
        board.lists[item["id"]] = TrelloList(item["id"], item["name"], item["closed"])
    for item in data.get("cards", []):
        board.cards[item["id"]] = parse_card(item)
    for item in data.get("checklists", []):
        card = board.cards.get(item.get("idCard", ""))
        if card is not None:
            card.checklists.append(parse_checklist(item))
    for item in data.get("labels", []):
        board.labels[item["id"]] = Label(
            item["id"], item.get("name", ""), item["color"]
        )
    for item in data.get("members", []):
        board.members[item["username"].lower()] = item["id"]
    return board


def parse_card(item: dict[str, Any]) -> Card:
    """A card from Trello's JSON."""
    return Card(
        id=item["id"],
        name=item.get("name", ""),
        desc=item.get("desc", ""),
        due=item.get("due"),
        start=item.get("start"),
        list_id=item.get("idList", ""),
        label_ids=list(item.get("idLabels", [])),
        member_ids=list(item.get("idMembers", [])),
        closed=bool(item.get("closed", False)),
        url=item.get("url", ""),
    )


def parse_checklist(item: dict[str, Any]) -> Checklist:
    """A checklist from Trello's JSON, its items in board order."""
    items = sorted(item.get("checkItems", []), key=lambda i: i.get("pos", 0))
    return Checklist(
        id=item["id"],
        name=item.get("name", ""),
        items=[CheckItem(i["id"], i["name"], i["state"] == "complete") for i in items],
    )
