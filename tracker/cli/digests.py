"""`tracker digest draft|publish|show`: the monthly digest from the command line.

Messages are in the interface's language (Swedish by default); every refusal
exits non-zero.
"""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_babel import gettext as _

from tracker import clock
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.labels import label
from tracker.models.digests import Digest, PublicationStatus, PublicationTarget
from tracker.services.digest import deliveries, publishing
from tracker.services.digest import drafts as digests
from tracker.services.digest.deliveries import Attempt
from tracker.services.digest.months import Month
from tracker.views.digest.page import wait_message

MONTH = click.option("--month", required=True, help="The month, as YYYY-MM.")


@click.group("digest")
def digest_group() -> None:
    """Draft, publish and show the monthly digest."""


@digest_group.command("draft")
@MONTH
@with_appcontext
def draft_command(month: str) -> None:
    """Draft the month's digest from the activity log (nothing if drafted)."""
    session = get_session()
    try:
        digest, created = digests.draft_for_month(
            session,
            None,
            Month.parse(month),
            now=clock.now(),
            public_url=str(current_app.config["PUBLIC_URL"]),
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    state = label(digest.state)
    if created:
        click.echo(_("Drafted %(title)s (%(state)s).", title=digest.title, state=state))
    else:
        click.echo(
            _(
                "Already drafted: %(title)s (%(state)s).",
                title=digest.title,
                state=state,
            )
        )


@digest_group.command("publish")
@MONTH
@click.option(
    "--target",
    type=click.Choice(["builtin", "wordpress", "email", "all"]),
    default="all",
    show_default=True,
)
@click.option(
    "--freeze-early",
    is_flag=True,
    help="Publish a month that has not ended: its facts stop today.",
)
@with_appcontext
def publish_command(month: str, target: str, freeze_early: bool) -> None:
    """Publish the month's digest; targets already published are left alone."""
    session = get_session()
    digest = _digest(month)
    settings = deliveries.PublishSettings.from_config(current_app.config)
    targets = settings.targets() if target == "all" else [PublicationTarget(target)]
    try:
        attempts = publishing.publish(
            session,
            None,
            digest,
            targets=targets,
            now=clock.now(),
            settings=settings,
            checkpoint=session.commit,
            freeze_early=freeze_early,
        )
    except DomainError as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    session.commit()
    _report(attempts)


def _report(attempts: list[Attempt]) -> None:
    """One line per target; non-zero exit unless every one is published."""
    unfinished = False
    for attempt in attempts:
        publication = attempt.publication
        detail = publication.url or publication.last_error
        click.echo(
            f"{publication.target.value:<10} {label(publication.status):<12} {detail}"
        )
        unfinished = unfinished or publication.status is not PublicationStatus.PUBLISHED
    waiting = [a.not_before for a in attempts if a.not_before is not None]
    if waiting:
        raise click.ClickException(wait_message(max(waiting)))
    if unfinished:
        raise click.ClickException(
            _("Some targets failed; they are retried with backoff.")
        )


@digest_group.command("show")
@MONTH
@with_appcontext
def show_command(month: str) -> None:
    """Print the month's digest as markdown."""
    click.echo(_digest(month).body, nl=False)


def _digest(month: str) -> Digest:
    try:
        key = Month.parse(month).key
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    digest = digests.get_by_period(get_session(), key)
    if digest is None:
        raise click.ClickException(
            _(
                "No digest for %(month)s; run 'tracker digest draft --month "
                "%(month)s'.",
                month=key,
            )
        )
    return digest


COMMANDS: list[click.Command] = [digest_group]
