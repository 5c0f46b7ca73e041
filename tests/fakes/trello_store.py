"""The state of the fake Trello: boards, lists, cards, checklists, labels, members.

Objects are kept as the JSON Trello returns, with Trello's field names. Operations
raise ApiError with Trello's plain-text messages.
"""

from __future__ import annotations

import re
import secrets
import string
from datetime import UTC, datetime
from itertools import count
from typing import Any

ID_RE = re.compile(r"^[0-9a-f]{24}$")
COLORS = {"green", "yellow", "orange", "red", "purple", "blue", "sky", "lime"}
COLORS |= {"pink", "black"}
DESC_MAX = 16_384  # a card's description, as documented for PUT /1/cards/{id}
_numbers = count(1)


class ApiError(Exception):
    """An error answer: status and Trello's plain-text body."""

    def __init__(self, status: int, text: str) -> None:
        super().__init__(text)
        self.status, self.text = status, text


def new_id() -> str:
    """A 24-hex id, like Trello's Mongo ObjectIds."""
    return f"{next(_numbers):08x}" + secrets.token_hex(8)


def short_link() -> str:
    """An 8-character shortLink."""
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(8))


def now_iso() -> str:
    """Trello's timestamp format."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + "000Z"


def slug(text: str) -> str:
    """The name part of Trello's URLs."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def as_bool(value: Any) -> bool:
    """Query strings say "true"; JSON bodies say true."""
    if isinstance(value, str):
        return value.lower() == "true"
    return bool(value)


def id_list(value: Any) -> list[str]:
    """A comma-separated string or a JSON array of ids."""
    if value in (None, ""):
        return []
    if isinstance(value, list):
        return [str(v) for v in value]
    return [v for v in str(value).split(",") if v]


class TrelloStore:
    """Everything the fake holds; callers lock around it."""

    def __init__(self) -> None:
        self.boards: dict[str, dict[str, Any]] = {}
        self.lists: dict[str, dict[str, Any]] = {}
        self.cards: dict[str, dict[str, Any]] = {}
        self.checklists: dict[str, dict[str, Any]] = {}
        self.labels: dict[str, dict[str, Any]] = {}
        self.members: dict[str, dict[str, Any]] = {}
        self.board_members: dict[str, list[str]] = {}
        self.webhooks: dict[str, dict[str, Any]] = {}

    # -- lookups ---------------------------------------------------------------

    def get(self, kind: str, ident: str) -> dict[str, Any]:
        """An object by id (or a board/card by shortLink); 400/404 like Trello."""
        table: dict[str, dict[str, Any]] = getattr(self, kind)
        if kind in ("boards", "cards") and not ID_RE.match(ident):
            for obj in table.values():
                if obj["shortLink"] == ident:
                    return obj
        if not ID_RE.match(ident):
            raise ApiError(400, "invalid id")
        if ident not in table:
            raise ApiError(404, "The requested resource was not found.")
        return table[ident]

    def ref(self, kind: str, ident: Any, param: str) -> dict[str, Any]:
        """An object named by a parameter; a bad one is 'invalid value for X'."""
        table: dict[str, dict[str, Any]] = getattr(self, kind)
        if not isinstance(ident, str) or ident not in table:
            raise ApiError(400, f"invalid value for {param}")
        return table[ident]

    def add_member(self, username: str, full_name: str = "") -> dict[str, Any]:
        """A Trello account."""
        member = {
            "id": new_id(),
            "username": username,
            "fullName": full_name or username,
            "initials": username[:2].upper(),
            "avatarHash": None,
        }
        self.members[member["id"]] = member
        return member

    def cards_of(self, board_id: str) -> list[dict[str, Any]]:
        """A board's cards in position order."""
        cards = [c for c in self.cards.values() if c["idBoard"] == board_id]
        return sorted(cards, key=lambda c: (c["idList"], c["pos"]))

    # -- boards, lists, labels -------------------------------------------------

    def create_board(self, args: dict[str, Any], creator: str) -> dict[str, Any]:
        """POST /1/boards."""
        name = str(args.get("name") or "").strip()
        if not name:
            raise ApiError(400, "invalid value for name")
        link = short_link()
        board = {
            "id": new_id(),
            "name": name,
            "desc": str(args.get("desc") or ""),
            "descData": None,
            "closed": False,
            "idOrganization": args.get("idOrganization"),
            "pinned": False,
            "url": f"https://trello.com/b/{link}/{slug(name)}",
            "shortUrl": f"https://trello.com/b/{link}",
            "shortLink": link,
            "prefs": {"permissionLevel": args.get("prefs_permissionLevel", "private")},
            "labelNames": {},
            "dateLastActivity": now_iso(),
        }
        self.boards[board["id"]] = board
        self.board_members[board["id"]] = [creator]
        if as_bool(args.get("defaultLists", True)):
            for list_name in ("To Do", "Doing", "Done"):
                self.create_list({"idBoard": board["id"], "name": list_name})
        if as_bool(args.get("defaultLabels", True)):
            for color in ("green", "yellow", "orange", "red", "purple", "blue"):
                self.create_label({"idBoard": board["id"], "name": "", "color": color})
        return board

    def update_board(self, board_id: str, args: dict[str, Any]) -> dict[str, Any]:
        """PUT /1/boards/{id}."""
        board = self.get("boards", board_id)
        if "name" in args:
            name = str(args["name"] or "").strip()
            if not name:
                raise ApiError(400, "invalid value for name")
            board["name"] = name
        if "desc" in args:
            board["desc"] = str(args["desc"] or "")
        if "closed" in args:
            board["closed"] = as_bool(args["closed"])
        return board

    def create_list(self, args: dict[str, Any]) -> dict[str, Any]:
        """POST /1/lists."""
        board = self.ref("boards", args.get("idBoard"), "idBoard")
        name = str(args.get("name") or "").strip()
        if not name:
            raise ApiError(400, "invalid value for name")
        siblings = [
            x["pos"] for x in self.lists.values() if x["idBoard"] == board["id"]
        ]
        item = {
            "id": new_id(),
            "name": name,
            "closed": False,
            "idBoard": board["id"],
            "pos": _position(args.get("pos", "bottom"), siblings),
            "subscribed": False,
            "softLimit": None,
        }
        self.lists[item["id"]] = item
        return item

    def update_list(self, list_id: str, args: dict[str, Any]) -> dict[str, Any]:
        """PUT /1/lists/{id}."""
        item = self.get("lists", list_id)
        if "name" in args:
            item["name"] = str(args["name"])
        if "closed" in args:
            item["closed"] = as_bool(args["closed"])
        return item

    def create_label(self, args: dict[str, Any]) -> dict[str, Any]:
        """POST /1/labels."""
        board = self.ref("boards", args.get("idBoard"), "idBoard")
        color = args.get("color")
        if color not in COLORS and color not in (None, "null", ""):
            raise ApiError(400, "invalid value for color")
        label = {
            "id": new_id(),
            "idBoard": board["id"],
            "name": str(args.get("name") or ""),
            "color": color if color in COLORS else None,
            "uses": 0,
        }
        self.labels[label["id"]] = label
        return label

    def update_label(self, label_id: str, args: dict[str, Any]) -> dict[str, Any]:
        """PUT /1/labels/{id}."""
        label = self.get("labels", label_id)
        if "name" in args:
            label["name"] = str(args["name"])
        if "color" in args:
            label["color"] = args["color"]
        return label

    # -- cards -----------------------------------------------------------------

    def create_card(self, args: dict[str, Any]) -> dict[str, Any]:
        """POST /1/cards."""
        trello_list = self.ref("lists", args.get("idList"), "idList")
        board_id = trello_list["idBoard"]
        link = short_link()
        siblings = [
            c["pos"] for c in self.cards.values() if c["idList"] == trello_list["id"]
        ]
        number = 1 + sum(1 for c in self.cards.values() if c["idBoard"] == board_id)
        name = str(args.get("name") or "")
        card: dict[str, Any] = {
            "id": new_id(),
            "name": name,
            "desc": "",
            "due": None,
            "start": None,
            "dueComplete": False,
            "dueReminder": None,
            "closed": False,
            "idBoard": board_id,
            "idList": trello_list["id"],
            "idLabels": [],
            "idMembers": [],
            "idMembersVoted": [],
            "idChecklists": [],
            "idShort": number,
            "idAttachmentCover": None,
            "manualCoverAttachment": False,
            "pos": _position(args.get("pos", "bottom"), siblings),
            "shortLink": link,
            "shortUrl": f"https://trello.com/c/{link}",
            "url": f"https://trello.com/c/{link}/{number}-{slug(name)}",
            "subscribed": False,
            "isTemplate": False,
            "email": None,
            "dateLastActivity": now_iso(),
            "checkItemStates": [],
        }
        self._apply_card(card, {k: v for k, v in args.items() if k != "idList"})
        self.cards[card["id"]] = card  # only once every value was valid
        return card

    def update_card(self, card_id: str, args: dict[str, Any]) -> dict[str, Any]:
        """PUT /1/cards/{id}: any number of fields at once."""
        card = self.get("cards", card_id)
        self._apply_card(card, args)
        return card

    def _apply_card(self, card: dict[str, Any], args: dict[str, Any]) -> None:
        board_id = card["idBoard"]
        if "desc" in args and _js_length(str(args["desc"] or "")) > DESC_MAX:
            raise ApiError(400, "invalid value for desc")
        if "idList" in args:
            target = self.ref("lists", args["idList"], "idList")
            if target["idBoard"] != board_id:
                raise ApiError(400, "invalid value for idList")
            card["idList"] = target["id"]
        for name in ("name", "desc"):
            if name in args:
                card[name] = str(args[name] or "")
        for name in ("due", "start"):
            if name in args:
                card[name] = _date(args[name], name)
        for name in ("closed", "dueComplete"):
            if name in args:
                card[name] = as_bool(args[name])
        if "idLabels" in args:
            ids = id_list(args["idLabels"])
            if any(self.labels.get(i, {}).get("idBoard") != board_id for i in ids):
                raise ApiError(400, "invalid value for idLabels")
            card["idLabels"] = list(dict.fromkeys(ids))
        if "idMembers" in args:
            ids = id_list(args["idMembers"])
            if any(i not in self.board_members[board_id] for i in ids):
                raise ApiError(400, "invalid value for idMembers")
            card["idMembers"] = list(dict.fromkeys(ids))
        card["dateLastActivity"] = now_iso()

    def delete_card(self, card_id: str) -> None:
        """DELETE /1/cards/{id}: the card and its checklists are gone."""
        card = self.get("cards", card_id)
        for checklist_id in card["idChecklists"]:
            self.checklists.pop(checklist_id, None)
        del self.cards[card["id"]]

    def card_json(self, card: dict[str, Any]) -> dict[str, Any]:
        """A card with its computed fields (labels, badges)."""
        result = dict(card)
        result["labels"] = [
            self.labels[i] for i in card["idLabels"] if i in self.labels
        ]
        items = [
            item
            for checklist_id in card["idChecklists"]
            for item in self.checklists[checklist_id]["checkItems"]
        ]
        result["badges"] = {
            "checkItems": len(items),
            "checkItemsChecked": sum(1 for i in items if i["state"] == "complete"),
            "comments": 0,
            "attachments": 0,
            "description": bool(card["desc"]),
            "due": card["due"],
            "start": card["start"],
            "dueComplete": card["dueComplete"],
        }
        return result

    # -- checklists ------------------------------------------------------------

    def create_checklist(self, args: dict[str, Any]) -> dict[str, Any]:
        """POST /1/checklists."""
        card = self.ref("cards", args.get("idCard"), "idCard")
        checklist = {
            "id": new_id(),
            "name": str(args.get("name") or "Checklist"),
            "idBoard": card["idBoard"],
            "idCard": card["id"],
            "pos": 16384 * (1 + len(card["idChecklists"])),
            "checkItems": [],
        }
        self.checklists[checklist["id"]] = checklist
        card["idChecklists"].append(checklist["id"])
        return checklist

    def add_check_item(self, checklist_id: str, args: dict[str, Any]) -> dict[str, Any]:
        """POST /1/checklists/{id}/checkItems."""
        checklist = self.get("checklists", checklist_id)
        name = str(args.get("name") or "").strip()
        if not name:
            raise ApiError(400, "invalid value for name")
        siblings = [i["pos"] for i in checklist["checkItems"]]
        item = {
            "id": new_id(),
            "name": name,
            "nameData": None,
            "pos": _position(args.get("pos", "bottom"), siblings),
            "state": "complete" if as_bool(args.get("checked")) else "incomplete",
            "idChecklist": checklist["id"],
            "due": None,
            "idMember": None,
        }
        checklist["checkItems"].append(item)
        return item

    def find_check_item(self, card_id: str, item_id: str) -> dict[str, Any]:
        """A check item of a card."""
        card = self.get("cards", card_id)
        for checklist_id in card["idChecklists"]:
            for item in self.checklists[checklist_id]["checkItems"]:
                if item["id"] == item_id:
                    return item
        raise ApiError(404, "The requested resource was not found.")

    def update_check_item(
        self, card_id: str, item_id: str, args: dict[str, Any]
    ) -> dict[str, Any]:
        """PUT /1/cards/{idCard}/checkItem/{idCheckItem}."""
        item = self.find_check_item(card_id, item_id)
        if "name" in args:
            item["name"] = str(args["name"])
        if "state" in args:
            state = str(args["state"])
            if state not in ("complete", "incomplete", "true", "false"):
                raise ApiError(400, "invalid value for state")
            item["state"] = (
                "complete" if state in ("complete", "true") else "incomplete"
            )
        return item

    def delete_check_item(self, checklist_id: str, item_id: str) -> None:
        """DELETE /1/checklists/{id}/checkItems/{idCheckItem}."""
        checklist = self.get("checklists", checklist_id)
        before = len(checklist["checkItems"])
        checklist["checkItems"] = [
            i for i in checklist["checkItems"] if i["id"] != item_id
        ]
        if len(checklist["checkItems"]) == before:
            raise ApiError(404, "The requested resource was not found.")


def _js_length(text: str) -> int:
    """A string's length as Trello (JavaScript) counts it: UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def _position(value: Any, siblings: list[float]) -> float:
    if value == "top":
        return min(siblings, default=65536) / 2
    if value in (None, "bottom"):
        return max(siblings, default=0) + 65536
    try:
        return float(value)
    except (TypeError, ValueError) as error:
        raise ApiError(400, "invalid value for pos") from error


def _date(value: Any, name: str) -> str | None:
    if value in (None, "", "null"):
        return None
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError as error:
        raise ApiError(400, f"invalid value for {name}") from error
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z")
