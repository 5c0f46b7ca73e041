"""The sync status page's data, and what leadership can do about what it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from math import ceil

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session, selectinload

from sync.context import FIELD_LABELS
from tracker.errors import DomainError
from tracker.models.assignments import Assignment
from tracker.models.people import Person
from tracker.models.plans import ActionPlan
from tracker.models.trello import (
    Side,
    SyncTrigger,
    TrelloBoard,
    TrelloCard,
    TrelloConflict,
    TrelloMatchProposal,
    TrelloSyncRun,
)
from tracker.services import activity

STALE_PROGRESS = timedelta(minutes=5)  # no word from a run for longer: it died
SIDE_LABELS = {Side.TRACKER: _l("The tracker"), Side.TRELLO: _l("Trello")}
TRIGGER_LABELS = {
    SyncTrigger.CLI: _l("Command line"),
    SyncTrigger.SCHEDULE: _l("Schedule"),
    SyncTrigger.WEBHOOK: _l("Webhook"),
}


def field_label(name: str) -> str:
    """A conflict's field in the reader's language ("Milestone title: Done")."""
    subject, _sep, field = name.rpartition(": ")
    text = str(FIELD_LABELS.get(field, field))
    return f"{subject}: {text}" if subject else text


@dataclass(frozen=True)
class ConflictRow:
    """A conflict with its field and winner in words."""

    conflict: TrelloConflict
    field: str
    winner: str


@dataclass(frozen=True)
class RunProgress:
    """How far a running sync of a board has come."""

    done: int
    total: int
    requests: int
    rate: float  # requests a second
    minutes_left: int | None
    percent: int


@dataclass(frozen=True)
class BoardRow:
    """One plan's line: its board and how its last run went."""

    plan: ActionPlan
    link: TrelloBoard | None
    last_run: TrelloSyncRun | None
    trigger: str
    stopped: bool
    failing: bool
    transient: bool  # the last error passes (Trello busy or away): no action needed
    progress: RunProgress | None


@dataclass(frozen=True)
class StatusPage:
    """Everything leadership needs to see about the Trello sync."""

    boards: list[BoardRow]
    conflicts: list[ConflictRow]
    unlinked: list[TrelloCard]
    proposals: list[TrelloMatchProposal]
    proposed: list[Assignment]
    archived: list[TrelloCard]
    off_list: list[TrelloCard]
    cut: list[TrelloCard]
    max_failures: int


def status_page(session: Session, now: datetime, max_failures: int) -> StatusPage:
    """The status page, in a fixed number of queries."""
    links = {link.plan_id: link for link in session.scalars(select(TrelloBoard))}
    last_runs = _last_runs(session)
    plans = session.scalars(select(ActionPlan).order_by(ActionPlan.position))
    rows = [
        _row(plan, links.get(plan.id), last_runs.get(plan.id), now) for plan in plans
    ]
    return StatusPage(
        boards=rows,
        archived=_cards(session, TrelloCard.archived_at.is_not(None)),
        off_list=_cards(session, TrelloCard.off_list_name != ""),
        cut=_cards(session, TrelloCard.desc_cut.is_(True)),
        max_failures=max_failures,
        conflicts=_conflicts(session),
        unlinked=list(
            session.scalars(
                select(TrelloCard)
                .where(TrelloCard.unlinked_at.is_not(None))
                .options(selectinload(TrelloCard.assignment))
            )
        ),
        proposals=list(
            session.scalars(
                select(TrelloMatchProposal)
                .where(TrelloMatchProposal.decided_at.is_(None))
                .options(selectinload(TrelloMatchProposal.assignment))
            )
        ),
        proposed=list(
            session.scalars(select(Assignment).where(Assignment.proposed.is_(True)))
        ),
    )


def _row(
    plan: ActionPlan,
    link: TrelloBoard | None,
    last_run: TrelloSyncRun | None,
    now: datetime,
) -> BoardRow:
    return BoardRow(
        plan=plan,
        link=link,
        last_run=last_run,
        trigger=_trigger(last_run),
        stopped=bool(link and link.stopped_at),
        failing=bool(link and link.last_error and link.error_kind != "transient"),
        transient=bool(link and link.last_error and link.error_kind == "transient"),
        progress=run_progress(link, now) if link else None,
    )


def run_progress(link: TrelloBoard, now: datetime) -> RunProgress | None:
    """A running sync's progress; None when none runs (or it died long ago)."""
    started, seen = link.progress_started_at, link.progress_at
    if started is None or seen is None or now - seen > STALE_PROGRESS:
        return None
    seconds = max((seen - started).total_seconds(), 0.001)
    done, total = link.progress_done, link.progress_total
    left = None
    if done:
        left = ceil(seconds / done * max(total - done, 0) / 60)
    return RunProgress(
        done=done,
        total=total,
        requests=link.progress_requests,
        rate=link.progress_requests / seconds,
        minutes_left=left,
        percent=int(100 * done / total) if total else 0,
    )


def _cards(session: Session, condition: ColumnElement[bool]) -> list[TrelloCard]:
    return list(
        session.scalars(
            select(TrelloCard)
            .where(condition, TrelloCard.unlinked_at.is_(None))
            .options(selectinload(TrelloCard.assignment))
            .order_by(TrelloCard.id)
            .limit(500)
        )
    )


def _conflicts(session: Session) -> list[ConflictRow]:
    statement = (
        select(TrelloConflict)
        .where(TrelloConflict.dismissed_at.is_(None))
        .options(selectinload(TrelloConflict.assignment))
        .order_by(TrelloConflict.created_at.desc())
        .limit(200)
    )
    return [
        ConflictRow(c, field_label(c.field), str(SIDE_LABELS[c.winner]))
        for c in session.scalars(statement)
    ]


def _trigger(run: TrelloSyncRun | None) -> str:
    return str(TRIGGER_LABELS[run.trigger]) if run else ""


def _last_runs(session: Session) -> dict[int, TrelloSyncRun]:
    runs: dict[int, TrelloSyncRun] = {}
    statement = select(TrelloSyncRun).order_by(
        TrelloSyncRun.started_at.desc(), TrelloSyncRun.id.desc()
    )
    for run in session.scalars(statement.limit(500)):
        runs.setdefault(run.plan_id, run)
    return runs


def resume_board(session: Session, link: TrelloBoard) -> None:
    """Let a stopped board sync again."""
    if link.stopped_at is None:
        raise DomainError(_l("The board's sync is not stopped."))
    link.stopped_at, link.failures = None, 0


def request_sync(session: Session, link: TrelloBoard, now: datetime) -> None:
    """Ask the scheduler to reconcile the board soon, as a webhook event would."""
    session.execute(
        update(TrelloBoard)
        .where(TrelloBoard.id == link.id)
        .values(event_first_at=now, event_last_at=now)
    )


def request_sync_all(session: Session, now: datetime) -> int:
    """Ask for a reconcile of every board that is not stopped; returns how many."""
    result = session.execute(
        update(TrelloBoard)
        .where(TrelloBoard.stopped_at.is_(None))
        .values(event_first_at=now, event_last_at=now)
    )
    return int(getattr(result, "rowcount", 0) or 0)


def restore_card(
    session: Session, actor: Person | None, card: TrelloCard, now: datetime
) -> None:
    """Take a card archived in Trello back onto the board at the next sync."""
    if card.archived_at is None:
        raise DomainError(_l("The card is not archived in Trello."))
    card.archived_at = None
    # The archived state counts as seen: the tracker's "not ended" now wins.
    card.synced = {**(card.synced or {}), "closed": True}
    activity.record(
        session,
        actor,
        "updated",
        card.assignment,
        before={"trello_card_archived": True},
        after={"trello_card_archived": False},
        plan_id=card.assignment.plan_id,
        assignment_id=card.assignment_id,
    )
    session.execute(
        update(TrelloBoard)
        .where(TrelloBoard.id == card.board_link_id)
        .values(event_first_at=now, event_last_at=now)
    )
    session.flush()


def dismiss_conflict(conflict: TrelloConflict, now: datetime) -> None:
    """Leadership has seen the conflict."""
    if conflict.dismissed_at is not None:
        raise DomainError(_l("The conflict has already been dismissed."))
    conflict.dismissed_at = now


def recreate_card(session: Session, actor: Person | None, card: TrelloCard) -> None:
    """Forget a card deleted in Trello, so the next sync makes a new one."""
    if card.unlinked_at is None:
        raise DomainError(_l("The card is still linked."))
    assignment = card.assignment
    session.delete(card)
    activity.record(
        session,
        actor,
        "updated",
        assignment,
        before={"trello_card_unlinked": True},
        after={"trello_card_unlinked": False},
        plan_id=assignment.plan_id,
        assignment_id=assignment.id,
    )
    session.flush()
