"""The fake Trello's routes: Trello's paths, parameters and answers."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fakes.trello_store import ApiError, TrelloStore, new_id

if TYPE_CHECKING:
    from fakes.trello import FakeTrello

FIELDS = {
    "boards": "id name desc descData closed idOrganization pinned url shortUrl "
    "shortLink prefs labelNames dateLastActivity",
    "lists": "id name closed idBoard pos subscribed softLimit",
    "cards": "id badges checkItemStates closed dateLastActivity desc descData due "
    "dueComplete dueReminder email idBoard idChecklists idLabels idList idMembers "
    "idMembersVoted idShort idAttachmentCover labels manualCoverAttachment name pos "
    "shortLink shortUrl start subscribed url isTemplate",
    "checklists": "id name idBoard idCard pos",
    "checkItems": "id name nameData pos state idChecklist due idMember",
    "labels": "id idBoard name color uses",
    "members": "id username fullName initials avatarHash",
}
DEFAULT_MEMBER_FIELDS = "avatarHash,fullName,initials,username"


@dataclass
class Request:
    """A request as a route sees it: the fake, merged parameters, path groups."""

    fake: FakeTrello
    args: dict[str, Any]
    groups: tuple[str, ...]

    @property
    def store(self) -> TrelloStore:
        """The fake's state."""
        return self.fake.store

    def choice(self, name: str, allowed: set[str], default: str) -> str:
        """A parameter with a fixed set of values; others are a 400."""
        value = str(self.args.get(name, default))
        if value not in allowed:
            raise ApiError(400, f"invalid value for {name}")
        return value

    def board(self, ident: str) -> dict[str, Any]:
        """A board the token's member may see."""
        board = self.store.get("boards", ident)
        if self.fake.me["id"] not in self.store.board_members[board["id"]]:
            raise ApiError(401, "unauthorized permission requested")
        return board

    def emit(self, kind: str, board_id: str, **data: Any) -> None:
        """The tracker's own action: its webhook echo carries the token's member."""
        self.fake.emit(kind, self.fake.me["id"], board_id, data)


def pick(obj: dict[str, Any], fields: Any, kind: str, param: str) -> dict[str, Any]:
    """Only the fields asked for (and the id), like Trello's *_fields parameters."""
    known = FIELDS[kind].split()
    if fields in (None, "all"):
        return {k: v for k, v in obj.items() if k in known}
    names = [n for n in str(fields).split(",") if n]
    if any(name not in known for name in names):
        raise ApiError(400, f"invalid value for {param}")
    return {"id": obj["id"], **{name: obj.get(name) for name in names}}


def _filter(items: list[dict[str, Any]], how: str) -> list[dict[str, Any]]:
    if how == "open":
        return [i for i in items if not i["closed"]]
    if how == "closed":
        return [i for i in items if i["closed"]]
    return items if how == "all" else []


def _checklist(req: Request, checklist: dict[str, Any], prefix: str) -> dict[str, Any]:
    out = pick(
        checklist, req.args.get(f"{prefix}fields"), "checklists", f"{prefix}fields"
    )
    if req.choice("checkItems", {"all", "none"}, "all") == "all":
        items = sorted(checklist["checkItems"], key=lambda i: i["pos"])
        param = "checkItem_fields"
        out["checkItems"] = [
            pick(item, req.args.get(param), "checkItems", param) for item in items
        ]
    return out


def get_board(req: Request) -> dict[str, Any]:
    """GET /1/boards/{id} with its nested resources."""
    board = req.board(req.groups[0])
    store, board_id = req.store, board["id"]
    out = pick(board, req.args.get("fields"), "boards", "fields")
    lists = sorted(
        (x for x in store.lists.values() if x["idBoard"] == board_id),
        key=lambda x: x["pos"],
    )
    how = req.choice("lists", {"all", "closed", "none", "open"}, "none")
    if how != "none":
        out["lists"] = [
            pick(x, req.args.get("list_fields"), "lists", "list_fields")
            for x in _filter(lists, how)
        ]
    how = req.choice("cards", {"all", "closed", "none", "open", "visible"}, "none")
    if how != "none":
        out["cards"] = _board_cards(req, board_id, how)
    if req.choice("checklists", {"all", "none"}, "none") == "all":
        card_ids = {c["id"] for c in store.cards_of(board_id)}
        out["checklists"] = [
            _checklist(req, c, "checklist_")
            for c in store.checklists.values()
            if c["idCard"] in card_ids
        ]
    if req.choice("labels", {"all", "none"}, "none") == "all":
        out["labels"] = _labels(req, board_id, "labels_limit", "label_fields")
    how = req.choice("members", {"admins", "all", "none", "normal", "owners"}, "none")
    if how != "none":
        fields = req.args.get("member_fields", DEFAULT_MEMBER_FIELDS)
        out["members"] = [
            pick(store.members[m], fields, "members", "member_fields")
            for m in store.board_members[board_id]
        ]
    return out


def _board_cards(req: Request, board_id: str, how: str) -> list[dict[str, Any]]:
    store = req.store
    cards = store.cards_of(board_id)
    if how == "visible":
        cards = [
            c
            for c in cards
            if not c["closed"] and not store.lists[c["idList"]]["closed"]
        ]
    else:
        cards = _filter(cards, how)
    param = "card_fields"
    return [
        pick(store.card_json(c), req.args.get(param), "cards", param) for c in cards
    ]


def _labels(
    req: Request, board_id: str, limit_param: str, fields_param: str
) -> list[Any]:
    try:
        limit = int(req.args.get(limit_param, 50))
    except ValueError as error:
        raise ApiError(400, f"invalid value for {limit_param}") from error
    if not 0 <= limit <= 1000:
        raise ApiError(400, f"invalid value for {limit_param}")
    labels = [x for x in req.store.labels.values() if x["idBoard"] == board_id]
    fields = req.args.get(fields_param)
    return [pick(x, fields, "labels", fields_param) for x in labels[:limit]]


def board_lists(req: Request) -> list[dict[str, Any]]:
    """GET /1/boards/{id}/lists."""
    board = req.board(req.groups[0])
    lists = [x for x in req.store.lists.values() if x["idBoard"] == board["id"]]
    how = req.choice("filter", {"all", "closed", "none", "open"}, "open")
    lists = sorted(_filter(lists, how), key=lambda x: x["pos"])
    return [pick(x, req.args.get("fields"), "lists", "fields") for x in lists]


def board_labels(req: Request) -> list[Any]:
    """GET /1/boards/{id}/labels."""
    board = req.board(req.groups[0])
    return _labels(req, board["id"], "limit", "fields")


def get_list(req: Request) -> dict[str, Any]:
    """GET /1/lists/{id}."""
    item = req.store.get("lists", req.groups[0])
    req.board(item["idBoard"])
    return pick(item, req.args.get("fields"), "lists", "fields")


def list_cards(req: Request) -> list[dict[str, Any]]:
    """GET /1/lists/{id}/cards."""
    item = req.store.get("lists", req.groups[0])
    req.board(item["idBoard"])
    how = req.choice("filter", {"all", "closed", "none", "open"}, "open")
    cards = [
        c for c in req.store.cards_of(item["idBoard"]) if c["idList"] == item["id"]
    ]
    out = []
    for card in _filter(cards, how):
        data = pick(
            req.store.card_json(card), req.args.get("fields"), "cards", "fields"
        )
        if req.args.get("customFieldItems") == "true":
            data["customFieldItems"] = []
        out.append(data)
    return out


def get_card(req: Request) -> dict[str, Any]:
    """GET /1/cards/{id}."""
    card = req.store.get("cards", req.groups[0])
    req.board(card["idBoard"])
    data = pick(req.store.card_json(card), req.args.get("fields"), "cards", "fields")
    if req.args.get("customFieldItems") == "true":
        data["customFieldItems"] = []
    return data


def card_checklists(req: Request) -> list[dict[str, Any]]:
    """GET /1/cards/{id}/checklists."""
    card = req.store.get("cards", req.groups[0])
    req.board(card["idBoard"])
    return [_checklist(req, req.store.checklists[i], "") for i in card["idChecklists"]]


def checklist_items(req: Request) -> list[dict[str, Any]]:
    """GET /1/checklists/{id}/checkItems."""
    checklist = req.store.get("checklists", req.groups[0])
    req.board(checklist["idBoard"])
    items = sorted(checklist["checkItems"], key=lambda i: i["pos"])
    return [pick(i, req.args.get("fields"), "checkItems", "fields") for i in items]


def card_empty(req: Request) -> list[Any]:
    """GET /1/cards/{id}/(pluginData|actions|attachments): none in the fake."""
    card = req.store.get("cards", req.groups[0])
    req.board(card["idBoard"])
    return []


def my_boards(req: Request) -> list[dict[str, Any]]:
    """GET /1/members/me/boards."""
    me = req.fake.me["id"]
    how = req.choice("filter", {"all", "closed", "open"}, "all")
    boards = [
        b for b in req.store.boards.values() if me in req.store.board_members[b["id"]]
    ]
    return [
        pick(b, req.args.get("fields"), "boards", "fields")
        for b in _filter(boards, how)
    ]


def me(req: Request) -> dict[str, Any]:
    """GET /1/members/me and /1/tokens/{token}/member."""
    return pick(req.fake.me, req.args.get("fields"), "members", "fields")


def token_webhooks(req: Request) -> list[dict[str, Any]]:
    """GET /1/tokens/{token}/webhooks."""
    return list(req.store.webhooks.values())


def create_webhook(req: Request) -> dict[str, Any]:
    """POST /1/webhooks: Trello first checks the callback answers HEAD with 200."""
    callback, model = req.args.get("callbackURL"), req.args.get("idModel")
    if not callback:
        raise ApiError(400, "invalid value for callbackURL")
    if model not in req.store.boards and model not in req.store.cards:
        raise ApiError(400, "invalid value for idModel")
    for hook in req.store.webhooks.values():
        if hook["callbackURL"] == callback and hook["idModel"] == model:
            raise ApiError(
                400, "A webhook with that callback, model, and token already exists"
            )
    req.fake.check_callback(callback)
    hook = {
        "id": new_id(),
        "description": str(req.args.get("description") or ""),
        "idModel": model,
        "callbackURL": callback,
        "active": True,
        "consecutiveFailures": 0,
        "firstConsecutiveFailDate": None,
    }
    req.store.webhooks[hook["id"]] = hook
    return hook


def webhook(req: Request) -> dict[str, Any]:
    """GET /1/webhooks/{id}."""
    return req.store.get("webhooks", req.groups[0])


def delete_webhook(req: Request) -> dict[str, Any]:
    """DELETE /1/webhooks/{id}."""
    req.store.get("webhooks", req.groups[0])
    del req.store.webhooks[req.groups[0]]
    return {"_value": None}


def create_board(req: Request) -> dict[str, Any]:
    """POST /1/boards."""
    board = req.store.create_board(req.args, req.fake.me["id"])
    req.emit("createBoard", board["id"])
    return board


def update_board(req: Request) -> dict[str, Any]:
    """PUT /1/boards/{id}."""
    board = req.store.update_board(req.board(req.groups[0])["id"], req.args)
    req.emit("updateBoard", board["id"])
    return board


def _writer(
    operation: Callable[[Request], dict[str, Any]], kind: str
) -> Callable[[Request], dict[str, Any]]:
    def handle(req: Request) -> dict[str, Any]:
        result = operation(req)
        board_id = result.get("idBoard") or _board_of(req, result)
        req.emit(kind, board_id, **{kind: {"id": result.get("id")}})
        return result

    return handle


def _board_of(req: Request, result: dict[str, Any]) -> str:
    checklist = req.store.checklists.get(result.get("idChecklist", ""))
    return checklist["idBoard"] if checklist else ""


def _writable(req: Request, kind: str, ident: str) -> dict[str, Any]:
    obj = req.store.get(kind, ident)
    req.board(obj["idBoard"])
    return obj


def _delete_card(req: Request) -> dict[str, Any]:
    card = _writable(req, "cards", req.groups[0])
    req.store.delete_card(card["id"])
    return {"idBoard": card["idBoard"], "limits": {}}


def _delete_item(req: Request) -> dict[str, Any]:
    checklist = _writable(req, "checklists", req.groups[0])
    req.store.delete_check_item(checklist["id"], req.groups[1])
    return {"idBoard": checklist["idBoard"], "limits": {}}


def _in_board(req: Request, kind: str, param: str) -> None:
    obj = req.store.ref(kind, req.args.get(param), param)
    req.board(obj.get("idBoard", obj["id"]))


WRITES: list[tuple[str, str, Callable[[Request], dict[str, Any]], str]] = [
    (
        "POST",
        r"lists",
        lambda r: (_in_board(r, "boards", "idBoard"), r.store.create_list(r.args))[1],
        "createList",
    ),
    (
        "PUT",
        r"lists/([^/]+)",
        lambda r: r.store.update_list(_writable(r, "lists", r.groups[0])["id"], r.args),
        "updateList",
    ),
    (
        "POST",
        r"labels",
        lambda r: (_in_board(r, "boards", "idBoard"), r.store.create_label(r.args))[1],
        "createLabel",
    ),
    (
        "PUT",
        r"labels/([^/]+)",
        lambda r: r.store.update_label(
            _writable(r, "labels", r.groups[0])["id"], r.args
        ),
        "updateLabel",
    ),
    (
        "POST",
        r"cards",
        lambda r: (
            _in_board(r, "lists", "idList"),
            r.store.card_json(r.store.create_card(r.args)),
        )[1],
        "createCard",
    ),
    (
        "PUT",
        r"cards/([^/]+)",
        lambda r: r.store.card_json(
            r.store.update_card(_writable(r, "cards", r.groups[0])["id"], r.args)
        ),
        "updateCard",
    ),
    ("DELETE", r"cards/([^/]+)", _delete_card, "deleteCard"),
    (
        "POST",
        r"checklists",
        lambda r: (_in_board(r, "cards", "idCard"), r.store.create_checklist(r.args))[
            1
        ],
        "addChecklistToCard",
    ),
    (
        "POST",
        r"checklists/([^/]+)/checkItems",
        lambda r: r.store.add_check_item(
            _writable(r, "checklists", r.groups[0])["id"], r.args
        ),
        "createCheckItem",
    ),
    (
        "PUT",
        r"cards/([^/]+)/checkItem/([^/]+)",
        lambda r: r.store.update_check_item(
            _writable(r, "cards", r.groups[0])["id"], r.groups[1], r.args
        ),
        "updateCheckItemStateOnCard",
    ),
    (
        "DELETE",
        r"checklists/([^/]+)/checkItems/([^/]+)",
        _delete_item,
        "deleteCheckItem",
    ),
]
READS: list[tuple[str, str, Callable[[Request], Any]]] = [
    ("GET", r"boards/([^/]+)", get_board),
    ("GET", r"boards/([^/]+)/lists", board_lists),
    ("GET", r"boards/([^/]+)/labels", board_labels),
    ("GET", r"lists/([^/]+)", get_list),
    ("GET", r"lists/([^/]+)/cards", list_cards),
    ("GET", r"cards/([^/]+)", get_card),
    ("GET", r"cards/([^/]+)/checklists", card_checklists),
    ("GET", r"checklists/([^/]+)/checkItems", checklist_items),
    ("GET", r"cards/([^/]+)/(?:pluginData|actions|attachments)", card_empty),
    ("GET", r"members/me/boards", my_boards),
    ("GET", r"members/me", me),
    ("GET", r"tokens/[^/]+/member", me),
    ("GET", r"tokens/[^/]+/webhooks", token_webhooks),
    ("POST", r"webhooks", create_webhook),
    ("GET", r"webhooks/([^/]+)", webhook),
    ("DELETE", r"webhooks/([^/]+)", delete_webhook),
    ("POST", r"boards", create_board),
    ("PUT", r"boards/([^/]+)", update_board),
]
ROUTES: list[tuple[str, re.Pattern[str], Callable[[Request], Any]]] = [
    (method, re.compile(rf"^/1/{path}/?$"), handler) for method, path, handler in READS
] + [
    (method, re.compile(rf"^/1/{path}/?$"), _writer(handler, kind))
    for method, path, handler, kind in WRITES
]
