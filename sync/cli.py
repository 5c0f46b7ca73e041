"""`tracker sync trello [--dry-run] [--plan SLUG]`, `... link` and `... webhooks`."""

from __future__ import annotations

import sys
import time

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext
from flask_babel import format_decimal
from flask_babel import gettext as _

from sync import linking, runs, webhook
from sync.client import TrelloApi, TrelloError, make_api
from sync.context import PlanReport, SyncConfig
from tracker import clock
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.models.trello import SyncTrigger
from tracker.services.programme import plans

sync_group = AppGroup("sync", help="Keep external tools in step with the tracker.")


@sync_group.group("trello", invoke_without_command=True)
@click.option("--dry-run", is_flag=True, help="Only show what would change.")
@click.option("--plan", "plan_slug", help="Only this action plan (its slug).")
@with_appcontext
@click.pass_context
def trello_group(ctx: click.Context, dry_run: bool, plan_slug: str | None) -> None:
    """Reconcile every action plan's Trello board with the tracker, both ways."""
    if ctx.invoked_subcommand is not None:
        return
    config = SyncConfig.from_app(current_app.config)
    api = _api(dry_run=dry_run)
    session = get_session()
    selected = runs.plans_to_sync(session, plan_slug)
    if plan_slug and not selected:
        raise click.ClickException(
            _("No action plan has the slug %(slug)s.", slug=plan_slug)
        )
    trigger = SyncTrigger.CLI
    bar = ProgressLine(api, runs.count_assignments(session, selected))
    reports = runs.sync_plans(
        session,
        api,
        selected,
        config,
        trigger=trigger,
        dry_run=dry_run,
        listener=bar.update,
    )
    bar.finish()
    for report in reports:
        _print_report(report)
    _print_summary(reports, api, dry_run=dry_run)
    if any(report.error for report in reports):
        raise SystemExit(1)


@trello_group.command("link")
@click.argument("plan_slug")
@click.argument("board")
@click.option(
    "--no-prompt", is_flag=True, help="Leave the matches for the status page."
)
def link_command(plan_slug: str, board: str, no_prompt: bool) -> None:
    """Adopt an existing board (id or URL); confirm which card is which assignment."""
    session = get_session()
    plan = plans.get_by_slug(session, plan_slug)
    if plan is None:
        raise click.ClickException(
            _("No action plan has the slug %(slug)s.", slug=plan_slug)
        )
    try:
        result = linking.link_board(session, _api(), plan, board, clock.now())
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(_("The board is linked to %(plan)s.", plan=plan.title))
    click.echo(_("Cards recognised by their marker: %(count)d", count=result.marked))
    for proposal in result.proposals if not no_prompt else []:
        question = _(
            "Is the card %(card)s the assignment %(title)s?",
            card=proposal.card_name,
            title=proposal.assignment.title,
        )
        accepted = click.confirm(question, default=False)
        linking.decide(session, None, proposal, accepted=accepted, now=clock.now())
        session.commit()
    if no_prompt and result.proposals:
        click.echo(
            _(
                "%(count)d proposed matches wait on the sync status page.",
                count=len(result.proposals),
            )
        )
    click.echo(_("Run 'tracker sync trello --plan %(slug)s' to sync.", slug=plan.slug))


@trello_group.command("webhooks")
def webhooks_command() -> None:
    """Register one Trello webhook per linked board (idempotent)."""
    session = get_session()
    callback = webhook.callback_url(current_app.config)
    try:
        created, kept = webhook.register_webhooks(session, _api(), callback)
    except TrelloError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(
        _(
            "Webhooks to %(url)s: %(created)d created, %(kept)d already there.",
            url=callback,
            created=created,
            kept=kept,
        )
    )


class ProgressLine:
    """A progress bar on stderr: cards done, requests, their rate, the time left."""

    WIDTH = 24

    def __init__(self, api: TrelloApi, total: int) -> None:
        self.api, self.total = api, total
        self.started = time.monotonic()
        self.before: dict[str, int] = {}  # cards of the plans already done
        self.shown = 0.0
        self.tty = sys.stderr.isatty()

    def update(self, plan: str, done: int, total: int, _requests: int) -> None:
        """Called after each card; redraws at most a few times a second."""
        self.before[plan] = done
        now = time.monotonic()
        if now - self.shown < (0.2 if self.tty else 10.0) and done < total:
            return
        self.shown = now
        end = "\r" if self.tty else "\n"
        click.echo(self.line(sum(self.before.values()), now) + end, nl=False, err=True)

    def line(self, done: int, now: float) -> str:
        """The bar and its figures."""
        seconds = max(now - self.started, 0.001)
        total = max(self.total, done, 1)
        filled = self.WIDTH * done // total
        left = "?"
        if done:
            minutes = seconds / done * (total - done) / 60
            left = format_decimal(minutes, "#,##0.0")
        return "[{}{}] {}".format(
            "#" * filled,
            "." * (self.WIDTH - filled),
            _(
                "%(done)s of %(total)s cards, %(requests)s requests, "
                "%(rate)s a second, about %(left)s min left",
                done=done,
                total=total,
                requests=self.api.requests_made,
                rate=format_decimal(self.api.requests_made / seconds, "#,##0.0"),
                left=left,
            ),
        )

    def finish(self) -> None:
        """End the bar's line."""
        if self.tty and self.before:
            click.echo("", err=True)


def _api(*, dry_run: bool = False) -> TrelloApi:
    try:
        return make_api(current_app.config["TRELLO"], dry_run=dry_run)
    except TrelloError as error:
        raise click.ClickException(
            _("Trello is not configured: set API_KEY and TOKEN under [TRELLO].")
        ) from error


def _print_report(report: PlanReport) -> None:
    click.echo(report.plan)
    for line in report.changes:
        click.echo(f"  {line}")
    if report.skipped:
        click.echo("  " + _("Skipped: %(reason)s", reason=report.skipped))
    if report.error:
        click.echo("  " + _("Error: %(error)s", error=report.error))


def _print_summary(reports: list[PlanReport], api: TrelloApi, *, dry_run: bool) -> None:
    if dry_run:
        click.echo(_("Dry run: nothing was changed in Trello or in the tracker."))
    click.echo(
        _(
            "Created: %(created)d, updated: %(updated)d, pulled: %(pulled)d, "
            "conflicts: %(conflicts)d, requests made: %(requests)d",
            created=sum(r.created for r in reports),
            updated=sum(r.updated for r in reports),
            pulled=sum(r.pulled for r in reports),
            conflicts=sum(r.conflicts for r in reports),
            requests=api.requests_made,
        )
    )
