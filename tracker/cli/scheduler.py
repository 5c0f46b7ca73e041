"""`tracker scheduler`: run the scheduled jobs in their own process."""

from __future__ import annotations

import logging
import signal
import threading
from datetime import UTC, datetime
from typing import Any

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker import scheduler
from tracker.clock import STOCKHOLM


@click.command("scheduler")
@click.option(
    "--poll",
    default=30.0,
    show_default=True,
    help="Seconds between attempts to take over while another scheduler is active.",
)
@click.option(
    "--show", is_flag=True, help="List the jobs and their next run, then exit."
)
@with_appcontext
def scheduler_command(poll: float, show: bool) -> None:
    """Run the scheduled jobs; a second copy stands by until the first stops."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if show:
        _show(app)
        return
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s: %(message)s")
    stop = threading.Event()

    def request_stop(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, request_stop)
    signal.signal(signal.SIGINT, request_stop)
    scheduler.run(app, stop=stop, poll=poll, echo=click.echo)
    click.echo("Scheduler stopped.")


def _show(app: Any) -> None:
    """Print each job with its trigger and next fire time, in Stockholm time."""
    built = scheduler.build_scheduler(app)
    now = datetime.now(UTC)
    click.echo("Times are Europe/Stockholm.")
    for job in built.get_jobs():
        next_run = job.trigger.get_next_fire_time(None, now)
        when = (
            next_run.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M %Z")
            if next_run
            else "never"
        )
        click.echo(f"{job.id:<24} {job.trigger!s:<45} next: {when}")


COMMANDS: list[click.Command] = [scheduler_command]
