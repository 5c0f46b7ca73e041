"""The sync status page's data, and what leadership can do about what it shows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
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
class BoardRow:
    """One plan's line: its board and how its last run went."""

    plan: ActionPlan
    link: TrelloBoard | None
    last_run: TrelloSyncRun | None
    trigger: str
    stopped: bool
    failing: bool


@dataclass(frozen=True)
class StatusPage:
    """Everything leadership needs to see about the Trello sync."""

    boards: list[BoardRow]
    conflicts: list[ConflictRow]
    unlinked: list[TrelloCard]
    proposals: list[TrelloMatchProposal]
    proposed: list[Assignment]


def status_page(session: Session) -> StatusPage:
    """The status page, in a fixed number of queries."""
    links = {link.plan_id: link for link in session.scalars(select(TrelloBoard))}
    last_runs = _last_runs(session)
    plans = session.scalars(select(ActionPlan).order_by(ActionPlan.position))
    rows = [
        BoardRow(
            plan=plan,
            link=links.get(plan.id),
            last_run=last_runs.get(plan.id),
            trigger=_trigger(last_runs.get(plan.id)),
            stopped=bool(plan.id in links and links[plan.id].stopped_at),
            failing=bool(plan.id in links and links[plan.id].failures),
        )
        for plan in plans
    ]
    return StatusPage(
        boards=rows,
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
