"""The only code that talks to Trello: py-trello's client over our paced session."""

from __future__ import annotations

from collections.abc import Mapping
from itertools import count
from typing import Any

from trello import TrelloClient
from trello.exceptions import ResourceUnavailable

from sync.snapshot import BOARD_QUERY, Board, parse_board
from sync.transport import TrelloError, TrelloSession

__all__ = ["DryRunApi", "TrelloApi", "TrelloError", "make_api"]


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
            message = str(error)[:300]
            raise TrelloError(message, getattr(error, "_status", None)) from error

    def board(self, board_id: str) -> Board:
        """The whole board in one request."""
        return parse_board(self.call(f"/boards/{board_id}", params=BOARD_QUERY))

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
        return self.write("/boards", "POST", body)

    def update_board(self, board_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Rename a board."""
        return self.write(f"/boards/{board_id}", "PUT", fields)

    def create_list(self, board_id: str, name: str) -> dict[str, Any]:
        """A list at the right end of the board."""
        return self.write("/lists", "POST", {"idBoard": board_id, "name": name})

    def update_list(self, list_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Rename or reopen a list."""
        return self.write(f"/lists/{list_id}", "PUT", fields)

    def create_label(self, board_id: str, name: str, color: str) -> dict[str, Any]:
        """A label on a board."""
        body = {"idBoard": board_id, "name": name, "color": color}
        return self.write("/labels", "POST", body)

    def update_label(self, label_id: str, name: str) -> dict[str, Any]:
        """Rename a label."""
        return self.write(f"/labels/{label_id}", "PUT", {"name": name})

    def create_card(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """A card with all its fields in one request."""
        return self.write("/cards", "POST", fields)

    def update_card(self, card_id: str, fields: Mapping[str, Any]) -> dict[str, Any]:
        """Change any number of a card's fields in one request."""
        return self.write(f"/cards/{card_id}", "PUT", fields)

    def create_checklist(self, card_id: str, name: str) -> dict[str, Any]:
        """A checklist on a card."""
        return self.write("/checklists", "POST", {"idCard": card_id, "name": name})

    def add_check_item(
        self, checklist_id: str, name: str, done: bool
    ) -> dict[str, Any]:
        """An item at the end of a checklist."""
        body = {"name": name, "checked": done, "pos": "bottom"}
        return self.write(f"/checklists/{checklist_id}/checkItems", "POST", body)

    def update_check_item(
        self, card_id: str, item_id: str, fields: Mapping[str, Any]
    ) -> dict[str, Any]:
        """Rename and/or tick a check item in one request."""
        return self.write(f"/cards/{card_id}/checkItem/{item_id}", "PUT", fields)

    def delete_check_item(self, checklist_id: str, item_id: str) -> None:
        """Remove a check item."""
        self.write(f"/checklists/{checklist_id}/checkItems/{item_id}", "DELETE", None)

    def webhooks(self) -> list[dict[str, Any]]:
        """The token's webhooks."""
        result: list[dict[str, Any]] = self.call(f"/tokens/{self.token}/webhooks")
        return result

    def create_webhook(
        self, board_id: str, callback_url: str, description: str
    ) -> dict[str, Any]:
        """Watch a board; Trello checks the callback with a HEAD first."""
        body = {"idModel": board_id, "callbackURL": callback_url}
        return self.write("/webhooks", "POST", body | {"description": description})

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
