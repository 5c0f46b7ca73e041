"""The only code that talks to Trello: py-trello's client over our paced session."""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from itertools import count
from typing import Any

from flask_babel import gettext as _
from trello import TrelloClient
from trello.exceptions import ResourceUnavailable

from sync.description import MARKER_RE
from sync.snapshot import BOARD_QUERY, Board, parse_board
from sync.transport import TrelloError, TrelloSession

__all__ = ["DryRunApi", "TrelloApi", "TrelloError", "make_api"]

Finder = Callable[[], dict[str, Any] | None]


def marked_assignment(desc: str) -> int | None:
    """The last assignment marker in a text (a card we created ends with it)."""
    found = MARKER_RE.findall(desc or "")
    return int(found[-1]) if found else None


class TrelloApi:
    """The Trello calls the sync makes, each one request."""

    def __init__(self, key: str, token: str, session: TrelloSession) -> None:
        # Without an OAuth token secret py-trello sends api_secret as `token`.
        self.client = TrelloClient(api_key=key, api_secret=token, http_service=session)
        self.session = session
        self.token = token

    @property
    def requests_made(self) -> int:
        """HTTP requests sent so far, retries included."""
        return self.session.requests_made

    def call(
        self,
        path: str,
        method: str = "GET",
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        """One request through py-trello; Trello's refusals become TrelloError."""
        try:
            return self.client.fetch_json(
                path,
                http_method=method,
                query_params=dict(params or {}),
                post_args=dict(body) if body is not None else None,
            )
        except ResourceUnavailable as error:
            status = getattr(error, "_status", None)
            transient = status is not None and (status == 429 or status >= 500)
            raise TrelloError(
                str(error)[:300],
                status,
                transient=transient,
                unknown=transient and method == "POST" and status != 429,
            ) from error
        except ValueError as error:  # not JSON: a proxy's page, a cut answer
            raise TrelloError(f"{method} {path}: {_('malformed answer')}") from error

    def board(self, board_id: str) -> Board:
        """The whole board in one request."""
        data = self.call(f"/boards/{board_id}", params=BOARD_QUERY)
        try:
            return parse_board(data)
        except (KeyError, TypeError, AttributeError) as error:
            raise TrelloError(f"GET /boards: {_('malformed answer')}") from error

    def create(
        self, path: str, body: Mapping[str, Any], find: Finder
    ) -> dict[str, Any]:
        """A POST whose answer was lost is looked for before it is sent again.

        Trello has no idempotency keys; *find* re-reads where the object would be and
        recognises it (by its marker or name), so a retry never makes a duplicate.
        """
        attempts = self.session.max_retries + 1
        for attempt in range(attempts):
            try:
                return self.write(path, "POST", body)
            except TrelloError as error:
                if not error.unknown or attempt + 1 >= attempts:
                    raise
            # A slow Trello may still be making the object: give it as long as we
            # waited for the answer before looking, so a late write is found.
            self.session.wait_backoff(attempt, None)
            self.session.sleep(self.session.timeout)
            found = find()
            if found is not None:
                return found
        raise AssertionError("unreachable")  # pragma: no cover

    def my_boards(self) -> list[dict[str, Any]]:
        """The token member's open boards, with their descriptions."""
        params = {"filter": "open", "fields": "name,desc,url,closed"}
        result: list[dict[str, Any]] = self.call("/members/me/boards", params=params)
        return result

    def token_member(self) -> dict[str, Any]:
        """The Trello member the token belongs to."""
        result: dict[str, Any] = self.call(
            f"/tokens/{self.token}/member", params={"fields": "id,username"}
        )
        return result

    def create_board(self, name: str, desc: str) -> dict[str, Any]:
        """A new empty board: no default lists or labels."""
        body = {"name": name, "desc": desc, "defaultLists": False}
        body |= {"defaultLabels": False, "prefs_permissionLevel": "private"}

        def find() -> dict[str, Any] | None:
            return next((b for b in self.my_boards() if b.get("desc") == desc), None)

        return self.create("/boards", body, find)

    def update_board(self, board_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Rename a board."""
        return self.write(f"/boards/{board_id}", "PUT", fields)

    def create_list(
        self, board_id: str, name: str, known: Collection[str] = ()
    ) -> dict[str, Any]:
        """A list at the right end of the board; *known*: the lists read before."""

        def find() -> dict[str, Any] | None:
            params = {"filter": "all", "fields": "name,closed"}
            found = self.call(f"/boards/{board_id}/lists", params=params)
            return _new_named(found, known, name)

        return self.create("/lists", {"idBoard": board_id, "name": name}, find)

    def update_list(self, list_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Rename or reopen a list."""
        return self.write(f"/lists/{list_id}", "PUT", fields)

    def create_label(
        self, board_id: str, name: str, color: str, known: Collection[str] = ()
    ) -> dict[str, Any]:
        """A label on a board; *known*: the labels read before."""

        def find() -> dict[str, Any] | None:
            params = {"fields": "name,color", "limit": "1000"}
            found = self.call(f"/boards/{board_id}/labels", params=params)
            return _new_named(found, known, name)

        body = {"idBoard": board_id, "name": name, "color": color}
        return self.create("/labels", body, find)

    def update_label(self, label_id: str, name: str) -> dict[str, Any]:
        """Rename a label."""
        return self.write(f"/labels/{label_id}", "PUT", {"name": name})

    def create_card(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """A card with all its fields in one request; found again by its marker."""
        wanted = marked_assignment(str(fields.get("desc", "")))

        def find() -> dict[str, Any] | None:
            params = {"filter": "all", "fields": BOARD_QUERY["card_fields"]}
            found = self.call(f"/lists/{fields['idList']}/cards", params=params)
            return next(
                (c for c in found if marked_assignment(c.get("desc", "")) == wanted),
                None,
            )

        if wanted is None:
            return self.write("/cards", "POST", fields)
        return self.create("/cards", fields, find)

    def update_card(self, card_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Change any number of a card's fields in one request."""
        return self.write(f"/cards/{card_id}", "PUT", fields)

    def create_checklist(
        self, card_id: str, name: str, known: Collection[str] = ()
    ) -> dict[str, Any]:
        """A checklist on a card; *known*: the card's checklists read before."""

        def find() -> dict[str, Any] | None:
            params = {"fields": "name", "checkItems": "none"}
            found = self.call(f"/cards/{card_id}/checklists", params=params)
            return _new_named(found, known, name)

        body = {"idCard": card_id, "name": name}
        return self.create("/checklists", body, find)

    def add_check_item(
        self, checklist_id: str, name: str, done: bool, known: Collection[str] = ()
    ) -> dict[str, Any]:
        """An item at the end of a checklist; *known*: its items read before."""

        def find() -> dict[str, Any] | None:
            params = {"fields": "name,state"}
            path = f"/checklists/{checklist_id}/checkItems"
            return _new_named(self.call(path, params=params), known, name)

        body = {"name": name, "checked": done, "pos": "bottom"}
        return self.create(f"/checklists/{checklist_id}/checkItems", body, find)

    def update_check_item(
        self, card_id: str, item_id: str, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Rename and/or tick a check item in one request."""
        return self.write(f"/cards/{card_id}/checkItem/{item_id}", "PUT", fields)

    def delete_check_item(self, checklist_id: str, item_id: str) -> None:
        """Remove a check item; one already gone (a retried delete) is fine."""
        path = f"/checklists/{checklist_id}/checkItems/{item_id}"
        try:
            self.write(path, "DELETE", None)
        except TrelloError as error:
            if error.status != 404:
                raise

    def webhooks(self) -> list[dict[str, Any]]:
        """The token's webhooks."""
        result: list[dict[str, Any]] = self.call(f"/tokens/{self.token}/webhooks")
        return result

    def create_webhook(
        self, board_id: str, callback_url: str, description: str
    ) -> dict[str, Any]:
        """Watch a board; Trello checks the callback with a HEAD first."""
        body = {"idModel": board_id, "callbackURL": callback_url}

        def find() -> dict[str, Any] | None:
            return next(
                (
                    hook
                    for hook in self.webhooks()
                    if (hook.get("idModel"), hook.get("callbackURL"))
                    == (board_id, callback_url)
                ),
                None,
            )

        return self.create("/webhooks", body | {"description": description}, find)

    def write(
        self, path: str, method: str, body: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """A request that changes something in Trello."""
        result: dict[str, Any] = self.call(path, method, body=body)
        return result


class DryRunApi(TrelloApi):
    """Reads for real, records writes instead of sending them."""

    def __init__(self, key: str, token: str, session: TrelloSession) -> None:
        super().__init__(key, token, session)
        self.writes: list[str] = []
        self._ids = count(1)

    def write(
        self, path: str, method: str, body: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        """Remember the write and answer with an invented object."""
        self.writes.append(f"{method} {path}")
        fake_id = f"dryrun{next(self._ids):018d}"
        return {"id": fake_id, "url": "", "checkItems": [], **(body or {})}


def _new_named(found: Any, known: Collection[str], name: str) -> dict[str, Any] | None:
    """The object named *name* that was not there before."""
    if not isinstance(found, list):
        raise TrelloError(_("malformed answer"))
    for item in found:
        if item.get("id") not in known and item.get("name") == name:
            return dict(item)
    return None


def configured(settings: Mapping[str, Any]) -> bool:
    """Whether there is a Trello key and token to sync with."""
    return bool(settings.get("API_KEY") and settings.get("TOKEN"))


def make_api(config: Mapping[str, Any], *, dry_run: bool = False) -> TrelloApi:
    """Build the API from the [TRELLO] section of the configuration."""
    if not config.get("API_KEY") or not config.get("TOKEN"):
        raise TrelloError("TRELLO API_KEY and TOKEN are not configured")
    session = TrelloSession(
        config["API_URL"],
        token=config["TOKEN"],
        timeout=float(config.get("TIMEOUT", 10)),
        max_retries=int(config.get("MAX_RETRIES", 5)),
        backoff=float(config.get("BACKOFF_SECONDS", 0.5)),
        rate_limit=int(config.get("RATE_LIMIT", 100)),
    )
    api_class = DryRunApi if dry_run else TrelloApi
    return api_class(config["API_KEY"], config["TOKEN"], session)
