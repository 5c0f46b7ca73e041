"""What one board's reconcile carries around, and what it reports."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from sync.client import TrelloApi
from sync.mapping import BoardMaps
from sync.snapshot import Board
from tracker.models.assignments import Assignment
from tracker.models.plans import ActionPlan
from tracker.models.trello import Side, TrelloBoard, TrelloConflict

FIELD_LABELS: dict[str, Any] = {
    "name": _l("Title"),
    "desc": _l("Description"),
    "due": _l("End date"),
    "start": _l("Start date"),
    "list_id": _l("Stage"),
    "closed": _l("Archived"),
    "label_ids": _l("Labels"),
    "member_ids": _l("Members"),
    "milestone": _l("Milestone"),
    "done": _l("Done"),
}


def field_names(fields: list[str] | set[str]) -> str:
    """Card fields in the reader's language, for the CLI's lines."""
    return ", ".join(str(FIELD_LABELS.get(name, name)) for name in fields)


class SyncError(Exception):
    """The sync cannot go on with this board; the message is shown to leadership."""


@dataclass
class PlanReport:
    """What a reconcile of one plan's board did (or would do, in a dry run)."""

    plan: str
    created: int = 0
    updated: int = 0
    pulled: int = 0
    conflicts: int = 0
    requests: int = 0
    error: str = ""
    transient: bool = False  # the error passes (429, 5xx, timeouts): never stops
    skipped: str = ""
    changes: list[str] = field(default_factory=list)

    def note(self, line: Any) -> None:
        """Add a line for the CLI's listing of changes."""
        self.changes.append(str(line))


@dataclass
class BoardContext:
    """A board being reconciled: the session, the API, the board as read, the maps."""

    session: Session
    api: TrelloApi
    settings: Mapping[str, Any]
    plan: ActionPlan
    link: TrelloBoard
    board: Board
    maps: BoardMaps
    report: PlanReport
    now: datetime

    def conflict(
        self,
        assignment: Assignment | None,
        name: str,
        tracker_value: Any,
        trello_value: Any,
        winner: Side,
    ) -> None:
        """Record that both sides changed *name*; the owner's value was kept."""
        self.session.add(
            TrelloConflict(
                board_link_id=self.link.id,
                assignment_id=assignment.id if assignment else None,
                field=name,
                tracker_value=_text(tracker_value),
                trello_value=_text(trello_value),
                winner=winner,
                created_at=self.now,
            )
        )
        self.report.conflicts += 1


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    return str(value)[:2000]


@dataclass(frozen=True)
class SyncConfig:
    """The parts of the app's configuration the sync reads."""

    trello: Mapping[str, Any]
    public_url: str
    locale: str

    @classmethod
    def from_app(cls, config: Mapping[str, Any]) -> SyncConfig:
        """Take them from a Flask config."""
        return cls(
            trello=config["TRELLO"],
            public_url=config["PUBLIC_URL"],
            locale=config["BABEL_DEFAULT_LOCALE"],
        )
