"""Scheduled reconciles: every board periodically, webhook-touched boards debounced."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.interval import IntervalTrigger
from flask import Flask
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from sync import runs
from sync.client import configured, make_api
from sync.context import PlanReport, SyncConfig
from tracker import clock
from tracker.db import get_session
from tracker.jobs import job_app
from tracker.models.plans import ActionPlan
from tracker.models.trello import SyncTrigger, TrelloBoard

MAX_WAIT_FACTOR = 6  # a board with a steady stream of events still syncs this often


def register_jobs(scheduler: BaseScheduler, app: Flask) -> None:
    """Add the Trello jobs to the scheduler process (only when Trello is set up)."""
    settings = app.config["TRELLO"]
    if not configured(settings):
        return
    minutes = float(settings["RECONCILE_MINUTES"])
    scheduler.add_job(
        reconcile_all_job,
        IntervalTrigger(minutes=minutes),
        id="trello-reconcile",
        name="Reconcile every Trello board",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(minutes * 60),
    )
    seconds = max(float(settings["DEBOUNCE_SECONDS"]) / 2, 1.0)
    scheduler.add_job(
        reconcile_pending_job,
        IntervalTrigger(seconds=seconds),
        id="trello-webhook-events",
        name="Reconcile Trello boards with webhook events",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=int(seconds * 4) + 1,
    )


def reconcile_all_job() -> None:
    """Reconcile every plan's board; a run without changes reads each board once."""
    app = job_app()
    with app.app_context():
        reports = reconcile_all(get_session(), app.config)
        _log(app, "periodic", reports)


def reconcile_pending_job() -> None:
    """Reconcile the boards whose webhook events have settled (debounce)."""
    app = job_app()
    with app.app_context():
        reports = reconcile_pending(get_session(), app.config, clock.now())
        if reports:
            _log(app, "webhook", reports)


def reconcile_all(session: Session, config: Mapping[str, Any]) -> list[PlanReport]:
    """All plans, idempotent: running it twice changes nothing the second time."""
    if not configured(config["TRELLO"]):
        return []
    sync_config = SyncConfig.from_app(config)
    plans = runs.plans_to_sync(session)
    api = make_api(sync_config.trello)
    return runs.sync_plans(
        session, api, plans, sync_config, trigger=SyncTrigger.SCHEDULE
    )


def reconcile_pending(
    session: Session, config: Mapping[str, Any], now: datetime
) -> list[PlanReport]:
    """Boards quiet for DEBOUNCE_SECONDS since their last event, or waiting too long."""
    if not configured(config["TRELLO"]):
        return []
    debounce = timedelta(seconds=float(config["TRELLO"]["DEBOUNCE_SECONDS"]))
    plans = list(
        session.scalars(
            select(ActionPlan)
            .join(TrelloBoard, TrelloBoard.plan_id == ActionPlan.id)
            .where(
                TrelloBoard.event_first_at.is_not(None),
                TrelloBoard.stopped_at.is_(None),
                or_(
                    TrelloBoard.event_last_at <= now - debounce,
                    TrelloBoard.event_first_at <= now - debounce * MAX_WAIT_FACTOR,
                ),
            )
        )
    )
    if not plans:
        return []  # the common case costs no request at all
    sync_config = SyncConfig.from_app(config)
    api = make_api(sync_config.trello)
    return runs.sync_plans(
        session, api, plans, sync_config, trigger=SyncTrigger.WEBHOOK
    )


def _log(app: Flask, kind: str, reports: list[PlanReport]) -> None:
    for report in reports:
        if report.error:
            app.logger.warning(
                "Trello %s sync of %s: %s", kind, report.plan, report.error
            )
    requests = sum(report.requests for report in reports)
    app.logger.info(
        "Trello %s sync: %d boards, %d requests", kind, len(reports), requests
    )
