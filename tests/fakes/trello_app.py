"""Helpers for the Trello sync tests: an app pointed at the fake, and a sync run."""

from __future__ import annotations

from typing import Any

from conftest import make_test_app
from fakes.trello import FakeTrello, LoggedRequest
from flask import Flask
from sqlalchemy import Connection

from sync import runs
from sync.client import make_api
from sync.context import PlanReport, SyncConfig
from tracker.db import get_session
from tracker.models.trello import SyncTrigger


def trello_config(fake: FakeTrello, **overrides: Any) -> dict[str, Any]:
    """[TRELLO] for the fake: fast retries, short timeouts."""
    return {
        "API_KEY": fake.key,
        "TOKEN": fake.token,
        "APP_SECRET": fake.secret,
        "API_URL": fake.url,
        "WEBHOOK_CALLBACK_URL": "https://tracker.test/trello/webhook",
        "BACKOFF_SECONDS": 0.01,
        "TIMEOUT": 2,
        "MAX_RETRIES": 2,
    } | overrides


def sync_app(
    db_url: str, connection: Connection, fake: FakeTrello, **trello: Any
) -> Flask:
    """The app with its sessions in the test's transaction, Trello at the fake."""
    app = make_test_app(db_url, TRELLO=trello_config(fake, **trello))
    app.extensions["tracker.sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    return app


def run_sync(
    app: Flask, *, plan: str | None = None, dry_run: bool = False
) -> list[PlanReport]:
    """One `tracker sync trello` run, as the CLI makes it (its own app context)."""
    with app.app_context():
        config = SyncConfig.from_app(app.config)
        session = get_session()
        plans = runs.plans_to_sync(session, plan)
        api = make_api(config.trello, dry_run=dry_run)
        return runs.sync_plans(
            session, api, plans, config, trigger=SyncTrigger.CLI, dry_run=dry_run
        )


def writes(entries: list[LoggedRequest]) -> list[LoggedRequest]:
    """The requests that change something in Trello."""
    return [entry for entry in entries if entry.method != "GET"]
