"""A board's run as it goes: a savepoint per card, commits on the way, progress.

A first sync of thousands of cards takes half an hour at Trello's rate limit. Work is
committed every few seconds, so a crash or an outage keeps what was done (the next
run finds half-made objects by their marker), and the status page can show how far
the run has come. A card that meets a passing Trello error is rolled back alone and
retried at the next run; the run goes on with the others.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

from sync.transport import TrelloError
from tracker import clock
from tracker.models.trello import TrelloBoard

T = TypeVar("T")
FAILED_IN_A_ROW = 3  # then Trello is down, not flaky: end the board's run
COMMIT_SECONDS = 2.0

# (plan title, cards done, cards in the plan, requests made so far)
Listener = Callable[[str, int, int, int], None]


class LockLost(Exception):
    """Another process took the board while this run committed."""


@dataclass
class Steps:
    """Counts cards, commits on the way and tells a listener how far the run is."""

    session: Session
    plan: str
    total: int
    requests: Callable[[], int]
    commit: bool = False  # a dry run never commits
    relock: Callable[[], bool] = lambda: True
    listener: Listener | None = None
    link_id: int | None = None
    done: int = 0
    failed: list[str] = field(default_factory=list)
    in_a_row: int = 0
    last_commit: float = field(default_factory=time.monotonic)

    def card(self, label: str, action: Callable[[], T]) -> T | None:
        """One card, kept whole or not at all; a passing Trello error skips it."""
        try:
            with self.session.begin_nested():
                result: T | None = action()
        except TrelloError as error:
            self.in_a_row += 1
            if not error.transient or self.in_a_row >= FAILED_IN_A_ROW:
                raise
            self.failed.append(label)
            result = None
        else:
            self.in_a_row = 0
        self.done += 1
        self.checkpoint()
        return result

    def start(self, link_id: int) -> None:
        """The board is open: show the run on the status page."""
        self.link_id = link_id
        now = clock.now()
        self._record(progress_started_at=now, progress_done=0)
        self.checkpoint(force=True)

    def checkpoint(self, *, force: bool = False) -> None:
        """Tell the listener; commit what is done every few seconds."""
        if self.listener is not None:
            self.listener(self.plan, self.done, self.total, self.requests())
        if not self.commit or self.link_id is None:
            return
        if not force and time.monotonic() - self.last_commit < COMMIT_SECONDS:
            return
        self._record(progress_done=self.done)
        self.session.commit()
        self.last_commit = time.monotonic()
        if not self.relock():
            raise LockLost

    def _record(self, **values: object) -> None:
        if not self.commit or self.link_id is None:
            return
        self.session.execute(
            update(TrelloBoard)
            .where(TrelloBoard.id == self.link_id)
            .values(
                progress_total=self.total,
                progress_requests=self.requests(),
                progress_at=clock.now(),
                **values,
            )
        )
