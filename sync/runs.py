"""Sync runs: per board, recorded; lasting failures counted, then the board stops."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from sync import structure
from sync.client import TrelloApi, TrelloError
from sync.context import PlanReport, SyncConfig, SyncError
from sync.progress import Listener, LockLost, Steps
from sync.reconcile import reconcile_plan
from tracker import clock
from tracker.errors import DomainError
from tracker.models.assignments import Assignment
from tracker.models.plans import ActionPlan, PlanState
from tracker.models.trello import SyncTrigger, TrelloBoard, TrelloSyncRun

LOCK_SPACE = 0x5472  # "Tr": the advisory-lock namespace of the Trello sync
KEEP_RUNS_DAYS = 30


def plans_to_sync(session: Session, slug: str | None = None) -> list[ActionPlan]:
    """Active plans, plus closed ones that already have a board; or just *slug*."""
    statement = select(ActionPlan).order_by(ActionPlan.position, ActionPlan.id)
    if slug is not None:
        return list(session.scalars(statement.where(ActionPlan.slug == slug)))
    linked = select(TrelloBoard.plan_id)
    return list(
        session.scalars(
            statement.where(
                or_(ActionPlan.state == PlanState.ACTIVE, ActionPlan.id.in_(linked))
            )
        )
    )


def count_assignments(session: Session, plans: Iterable[ActionPlan]) -> int:
    """How many assignments (cards) the plans have, for a progress bar."""
    ids = [plan.id for plan in plans]
    if not ids:
        return 0
    return int(
        session.scalar(
            select(func.count(Assignment.id)).where(Assignment.plan_id.in_(ids))
        )
        or 0
    )


def sync_plans(
    session: Session,
    api: TrelloApi,
    plans: Iterable[ActionPlan],
    config: SyncConfig,
    *,
    trigger: SyncTrigger,
    dry_run: bool = False,
    listener: Listener | None = None,
) -> list[PlanReport]:
    """Reconcile each plan's board, committing as it goes (unless dry)."""
    cache: list[list[dict[str, Any]]] = []

    def my_boards() -> list[dict[str, Any]]:
        if not cache:
            cache.append(api.my_boards())
        return cache[0]

    reports = [
        sync_plan(session, api, plan, config, trigger, dry_run, my_boards, listener)
        for plan in list(plans)
    ]
    if not dry_run:
        cutoff = clock.now() - timedelta(days=KEEP_RUNS_DAYS)
        session.execute(delete(TrelloSyncRun).where(TrelloSyncRun.started_at < cutoff))
        session.commit()
    return reports


def sync_plan(
    session: Session,
    api: TrelloApi,
    plan: ActionPlan,
    config: SyncConfig,
    trigger: SyncTrigger,
    dry_run: bool,
    my_boards: structure.BoardsLoader,
    listener: Listener | None = None,
) -> PlanReport:
    """One board: cards committed as they are done; an error keeps what was done."""
    report = PlanReport(plan.title)
    before, started, plan_id = api.requests_made, clock.now(), plan.id
    link = structure.board_link(session, plan)
    if link is not None and link.stopped_at is not None:
        report.skipped = _("Stopped after repeated failures.")
        report.error = link.last_error
        return report
    if not dry_run and not _try_lock(session, plan.id):
        report.skipped = _("Another sync of this board is running.")
        return report
    steps = Steps(
        session,
        plan.title,
        0,
        lambda: api.requests_made - before,
        commit=not dry_run,
        relock=lambda: _try_lock(session, plan_id),
        listener=listener,
    )
    try:
        with force_locale(config.locale):
            reconcile_plan(
                session,
                api,
                plan,
                settings=config.trello,
                public_url=config.public_url,
                report=report,
                now=started,
                my_boards=my_boards,
                steps=steps,
            )
    except LockLost:
        session.rollback()
        report.skipped = _("Another sync of this board is running.")
        return report
    except TrelloError as error:
        # What was flushed matches what Trello has (a failed card rolled back to its
        # savepoint), so it is kept: the next run goes on from there.
        report.error, report.transient = str(error), error.transient
    except (SyncError, DomainError) as error:
        session.rollback()
        report.error = str(error)
    if steps.failed and not report.error:
        report.error = _(
            "%(count)d cards could not be synced because Trello did not answer; "
            "the next run tries them again.",
            count=len(steps.failed),
        )
        report.transient = True
    report.requests = api.requests_made - before
    if dry_run:
        session.rollback()
    else:
        _finish(session, plan_id, report, trigger, started, config)
    return report


def _finish(
    session: Session,
    plan_id: int,
    report: PlanReport,
    trigger: SyncTrigger,
    started: datetime,
    config: SyncConfig,
) -> None:
    """Record the run and the board's health, clear handled webhook events, commit."""
    session.add(
        TrelloSyncRun(
            plan_id=plan_id,
            trigger=trigger,
            started_at=started,
            finished_at=clock.now(),
            requests=report.requests,
            created=report.created,
            updated=report.updated,
            pulled=report.pulled,
            conflicts=report.conflicts,
            error=report.error[:2000],
        )
    )
    link = session.scalars(
        select(TrelloBoard).where(TrelloBoard.plan_id == plan_id)
    ).one_or_none()
    if link is not None:
        max_failures = int(config.trello["MAX_FAILURES"])
        _update_health(session, link, report, started, max_failures)
    session.commit()


def _update_health(
    session: Session,
    link: TrelloBoard,
    report: PlanReport,
    started: datetime,
    max_failures: int,
) -> None:
    link.progress_started_at = link.progress_at = None  # the run is over
    if report.error and report.transient:
        # Trello was busy or away: retried at the next run, never a reason to stop.
        link.last_error, link.error_kind = report.error[:2000], "transient"
    elif report.error:
        link.failures += 1
        link.last_error, link.error_kind = report.error[:2000], "lasting"
        if link.failures >= max_failures:
            link.stopped_at = clock.now()
    else:
        link.failures, link.last_error, link.error_kind = 0, "", ""
    # Events that arrived after the run started still need a run; the periodic
    # reconcile retries failures, so a failed run clears its events as well.
    session.execute(
        update(TrelloBoard)
        .where(
            TrelloBoard.id == link.id,
            or_(
                TrelloBoard.event_last_at.is_(None),
                TrelloBoard.event_last_at <= started,
            ),
        )
        .values(event_first_at=None, event_last_at=None)
    )


def _try_lock(session: Session, plan_id: int) -> bool:
    """Only one process reconciles a board at a time (PostgreSQL advisory lock).

    SQLite takes its write lock at BEGIN (see tracker.db), which serialises runs.
    """
    if session.get_bind().dialect.name != "postgresql":
        return True
    return bool(
        session.scalar(select(func.pg_try_advisory_xact_lock(LOCK_SPACE, plan_id)))
    )
