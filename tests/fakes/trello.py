"""A fake Trello: a real HTTP server on 127.0.0.1, faithful to Trello's REST API.

Paths, nested resources (?lists=open&cards=all&card_fields=...&checklists=all),
field selection, plain-text errors, 400/401/404/429, key and token on every call,
the token's rate limit with x-rate-limit-* headers, webhooks (HEAD check of the
callback, HMAC-SHA1 signed POSTs) and a request counter. Faults on demand: 5xx,
429 bursts, slow answers and dropped connections after the write was made.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from fakes.trello_faults import FaultInjection
from fakes.trello_routes import ROUTES, Request
from fakes.trello_store import ApiError, TrelloStore, new_id, now_iso

KEY = "0471642aefef5fa1fa76530ce1ba4c85"
SECRET = "a9d8e7f6c5b4a3928170fedcba987654a9d8e7f6c5b4a3928170fedcba987654"


@dataclass
class Delivery:
    """A webhook POST Trello made (or, when not live, would have made)."""

    callback_url: str
    body: bytes
    signature: str
    action: dict[str, Any] = field(default_factory=dict)


@dataclass
class LoggedRequest:
    """One request the fake received."""

    method: str
    path: str
    params: dict[str, str]
    at: float
    status: int = 0
    args: dict[str, Any] = field(default_factory=dict)  # query and body, no key/token


class FakeTrello(FaultInjection):
    """The server, its state and the knobs tests turn."""

    def __init__(
        self, *, rate_limit: int = 100, interval_ms: int = 10_000, live: bool = False
    ) -> None:
        # A token of its own: pacing state is kept per token, and ports get reused.
        self.key, self.token, self.secret = KEY, secrets.token_hex(32), SECRET
        self.store = TrelloStore()
        self.lock = threading.RLock()
        self.me = self.store.add_member("tracker-bot", "Tracker")
        self.person_id = self.store.add_member("person", "A Person")["id"]
        self.rate_limit, self.interval_ms = rate_limit, interval_ms
        self.live = live  # deliver webhooks over HTTP; else queue them
        self.log: list[LoggedRequest] = []
        FaultInjection.__init__(self)
        self.deliveries: list[Delivery] = []
        self._window: deque[float] = deque()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self.server.daemon_threads = True
        self.thread = threading.Thread(
            target=self.server.serve_forever, args=(0.05,), daemon=True
        )

    # -- lifecycle ---------------------------------------------------------------

    def __enter__(self) -> FakeTrello:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    @property
    def url(self) -> str:
        """The API base, to put in TRELLO.API_URL."""
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}/1"

    @property
    def request_count(self) -> int:
        """Requests received, errors and 429s included."""
        return len(self.log)

    def requests_since(self, mark: int) -> list[LoggedRequest]:
        """Requests received after request_count was *mark*."""
        return self.log[mark:]

    # -- rate limit ------------------------------------------------------------

    def admit(self) -> tuple[bool, dict[str, str]]:
        """Count the request in the token's window; False when over the limit."""
        with self.lock:
            now = time.monotonic()
            while self._window and now - self._window[0] >= self.interval_ms / 1000:
                self._window.popleft()
            allowed = len(self._window) < self.rate_limit
            if allowed:
                self._window.append(now)
            remaining = max(self.rate_limit - len(self._window), 0)
        headers = {
            "x-rate-limit-api-token-interval-ms": str(self.interval_ms),
            "x-rate-limit-api-token-max": str(self.rate_limit),
            "x-rate-limit-api-token-remaining": str(remaining),
            "x-rate-limit-api-key-interval-ms": "10000",
            "x-rate-limit-api-key-max": "300",
            "x-rate-limit-api-key-remaining": "299",
        }
        return allowed, headers

    def max_in_any_window(self, seconds: float) -> int:
        """The most requests received within any *seconds* (for pacing tests)."""
        times = [entry.at for entry in self.log]
        best, start = 0, 0
        for end, moment in enumerate(times):
            while moment - times[start] >= seconds:
                start += 1
            best = max(best, end - start + 1)
        return best

    # -- webhooks --------------------------------------------------------------

    def signature(self, body: bytes, callback_url: str) -> str:
        """Trello's X-Trello-Webhook: base64(HMAC-SHA1(secret, body + callback))."""
        digest = hmac.new(
            self.secret.encode(), body + callback_url.encode(), hashlib.sha1
        ).digest()
        return base64.b64encode(digest).decode()

    def check_callback(self, url: str) -> None:
        """Trello's HEAD check when a webhook is created."""
        try:
            status = requests.head(url, timeout=5).status_code
        except requests.RequestException as error:
            raise ApiError(
                400, f"URL ({url}) did not return 200 status code"
            ) from error
        if status != 200:
            raise ApiError(
                400, f"URL ({url}) did not return 200 status code, got {status}"
            )

    def emit(self, kind: str, actor: str, board_id: str, data: dict[str, Any]) -> None:
        """Record an action and send it to the webhooks watching the board."""
        board = self.store.boards.get(board_id)
        if board is None:
            return
        member = self.store.members[actor]
        action = {
            "id": new_id(),
            "idMemberCreator": actor,
            "type": kind,
            "date": now_iso(),
            "data": {"board": {"id": board_id, "name": board["name"]}, **data},
            "memberCreator": {"id": actor, "username": member["username"]},
        }
        for hook in list(self.store.webhooks.values()):
            if hook["idModel"] == board_id and hook["active"]:
                payload = {"action": action, "model": board, "webhook": hook}
                body = json.dumps(payload).encode()
                url = hook["callbackURL"]
                delivery = Delivery(url, body, self.signature(body, url), action)
                self.deliveries.append(delivery)
                if self.live:
                    threading.Thread(
                        target=_post, args=(delivery,), daemon=True
                    ).start()

    def watch(self, board_id: str, callback_url: str) -> None:
        """A webhook registered earlier (skips the HEAD check)."""
        with self.lock:
            hook_id = new_id()
            self.store.webhooks[hook_id] = {
                "id": hook_id,
                "description": "tracker",
                "idModel": board_id,
                "callbackURL": callback_url,
                "active": True,
            }

    # -- what people do in Trello (not API requests of the tracker) ------------

    def add_person(self, username: str, board_id: str | None = None) -> str:
        """A Trello account, optionally a member of a board; returns its id."""
        with self.lock:
            member = self.store.add_member(username)
            if board_id:
                self.store.board_members[board_id].append(member["id"])
            return str(member["id"])

    def person(
        self, change: Callable[[TrelloStore], Any], kind: str, board_id: str
    ) -> Any:
        """Apply a change as a person in Trello's UI would, with its webhook event."""
        with self.lock:
            result = change(self.store)
            self.emit(kind, self.person_id, board_id, {})
            return result

    def update_card(self, card_id: str, **fields: Any) -> dict[str, Any]:
        """A person edits a card (move it: idList=...)."""
        board_id = self.store.cards[card_id]["idBoard"]
        return dict(
            self.person(
                lambda s: s.update_card(card_id, fields), "updateCard", board_id
            )
        )

    def add_card(self, list_id: str, name: str, desc: str = "") -> dict[str, Any]:
        """A person adds a card to a list."""
        board_id = self.store.lists[list_id]["idBoard"]
        args = {"idList": list_id, "name": name, "desc": desc}
        return dict(self.person(lambda s: s.create_card(args), "createCard", board_id))

    def delete_card(self, card_id: str) -> None:
        """A person deletes a card."""
        board_id = self.store.cards[card_id]["idBoard"]
        self.person(lambda s: s.delete_card(card_id), "deleteCard", board_id)

    def tick(self, card_id: str, item_id: str, done: bool = True) -> None:
        """A person ticks (or unticks) a check item."""
        board_id = self.store.cards[card_id]["idBoard"]
        state = {"state": "complete" if done else "incomplete"}
        self.person(
            lambda s: s.update_check_item(card_id, item_id, state),
            "updateCheckItemStateOnCard",
            board_id,
        )

    def make_board(self, name: str, lists: list[str]) -> dict[str, Any]:
        """A board people made by hand, shared with the tracker's member."""
        with self.lock:
            board = self.store.create_board(
                {"name": name, "defaultLists": False, "defaultLabels": False},
                self.person_id,
            )
            self.store.board_members[board["id"]].append(self.me["id"])
            for list_name in lists:
                self.store.create_list({"idBoard": board["id"], "name": list_name})
            return board

    def board_by_name(self, name: str) -> dict[str, Any]:
        """A board by its name."""
        return self.boards_named(name)[0]

    def boards_named(self, name: str) -> list[dict[str, Any]]:
        """Every board with that name (the sync must never make two)."""
        return [b for b in self.store.boards.values() if b["name"] == name]

    def cards(
        self, board_id: str, *, include_closed: bool = True
    ) -> list[dict[str, Any]]:
        """A board's cards as Trello has them."""
        cards = self.store.cards_of(board_id)
        return [c for c in cards if include_closed or not c["closed"]]

    def list_named(self, board_id: str, name: str) -> dict[str, Any]:
        """A board's list by name."""
        return next(
            x
            for x in self.store.lists.values()
            if x["idBoard"] == board_id and x["name"] == name
        )

    def check_items(self, card_id: str) -> list[dict[str, Any]]:
        """All check items of a card."""
        card = self.store.cards[card_id]
        return [
            item
            for checklist_id in card["idChecklists"]
            for item in self.store.checklists[checklist_id]["checkItems"]
        ]


def _post(delivery: Delivery) -> None:
    headers = {
        "X-Trello-Webhook": delivery.signature,
        "Content-Type": "application/json",
    }
    # Trello retries later; the periodic reconcile covers a lost event anyway.
    with contextlib.suppress(requests.RequestException):
        requests.post(
            delivery.callback_url, data=delivery.body, headers=headers, timeout=5
        )


def _handler(fake: FakeTrello) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # one segment per answer: no delayed-ACK stalls
        wbufsize = -1

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def do_GET(self) -> None:
            self.serve("GET")

        def do_POST(self) -> None:
            self.serve("POST")

        def do_PUT(self) -> None:
            self.serve("PUT")

        def do_DELETE(self) -> None:
            self.serve("DELETE")

        def serve(self, method: str) -> None:
            parts = urlsplit(self.path)
            params = dict(parse_qsl(parts.query, keep_blank_values=True))
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            entry = LoggedRequest(method, parts.path, params, time.monotonic())
            with fake.lock:
                fake.log.append(entry)
            fault = fake.take_fault(method, parts.path)
            if fault is not None and fault.kind == "delay":
                time.sleep(fault.seconds)
            if fault is not None and fault.kind == "status":
                text = "Rate limit exceeded" if fault.status == 429 else "Server error"
                if fault.status == 429:
                    error = {"error": "API_TOKEN_LIMIT_EXCEEDED", "message": text}
                    extra = (
                        {"Retry-After": fault.retry_after} if fault.retry_after else {}
                    )
                    return self.answer(
                        entry, 429, json.dumps(error), "application/json", extra
                    )
                return self.answer(entry, fault.status, text, "text/plain", {})
            allowed, headers = fake.admit()
            if not allowed:
                error = {
                    "error": "API_TOKEN_LIMIT_EXCEEDED",
                    "message": "Rate limit exceeded",
                }
                return self.answer(
                    entry, 429, json.dumps(error), "application/json", headers
                )
            try:
                result = self.dispatch(method, parts.path, params, body, entry)
            except ApiError as error:
                return self.answer(
                    entry, error.status, error.text, "text/plain", headers
                )
            if fault is not None and fault.kind == "garble":
                return self.answer(entry, 200, "<html>", "text/html", headers)
            if fault is not None and fault.kind == "drop":
                entry.status = -1
                self.close_connection = True
                self.connection.close()  # the write happened; the answer never comes
                return None
            return self.answer(
                entry, 200, json.dumps(result), "application/json", headers
            )

        def dispatch(
            self,
            method: str,
            path: str,
            params: dict[str, str],
            body: bytes,
            entry: LoggedRequest,
        ) -> Any:
            args = dict(params)
            args.update(_body(body, self.headers.get("Content-Type", "")))
            _authenticate(fake, args)
            entry.args = dict(args)
            for route_method, pattern, handler in ROUTES:
                match = pattern.match(path)
                if route_method == method and match:
                    with fake.lock:
                        return handler(Request(fake, args, match.groups()))
            raise ApiError(404, f"Cannot {method} {path}")

        def answer(
            self,
            entry: LoggedRequest,
            status: int,
            text: str,
            content_type: str,
            headers: dict[str, str],
        ) -> None:
            entry.status = status
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", f"{content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

    return Handler


def _body(raw: bytes, content_type: str) -> dict[str, Any]:
    if not raw:
        return {}
    if content_type.startswith("application/json"):
        data = json.loads(raw)
        return data if isinstance(data, dict) else {}
    return dict(parse_qsl(raw.decode(), keep_blank_values=True))


def _authenticate(fake: FakeTrello, args: dict[str, Any]) -> None:
    """Trello wants the key and the token on every call."""
    key = args.pop("key", None)
    token = args.pop("token", None)
    if key != fake.key:
        raise ApiError(401, "invalid key")
    if token is None:
        raise ApiError(401, "unauthorized permission requested")
    if token != fake.token:
        raise ApiError(401, "invalid token")
