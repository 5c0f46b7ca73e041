"""`tracker digest draft|publish|show`: the monthly digest from the command line."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker import clock
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.models.digests import Digest, PublicationTarget
from tracker.services.digest import drafts as digests
from tracker.services.digest import publishing
from tracker.services.digest.months import Month

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
    now = clock.now()
    try:
        digest, created = digests.draft_for_month(
            session,
            None,
            Month.parse(month),
            now=now,
            public_url=str(current_app.config["PUBLIC_URL"]),
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    verb = "Drafted" if created else "Already drafted:"
    click.echo(f"{verb} {digest.title} ({digest.state.value}).")


@digest_group.command("publish")
@MONTH
@click.option(
    "--target",
    type=click.Choice(["builtin", "wordpress", "email", "all"]),
    default="all",
    show_default=True,
)
@with_appcontext
def publish_command(month: str, target: str) -> None:
    """Publish the month's digest; targets already published are left alone."""
    session = get_session()
    digest = _digest(month)
    settings = publishing.PublishSettings.from_config(current_app.config)
    targets = settings.targets() if target == "all" else [PublicationTarget(target)]
    try:
        results = publishing.publish(
            session,
            None,
            digest,
            targets=targets,
            now=clock.now(),
            settings=settings,
            checkpoint=session.commit,
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    failed = False
    for publication in results:
        detail = publication.url or publication.last_error
        click.echo(
            f"{publication.target.value:<10} {publication.status.value:<10} {detail}"
        )
        failed = failed or publication.status.value == "failed"
    if failed:
        raise click.ClickException(
            "Some targets failed; they are retried with backoff."
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
            f"No digest for {key}; run 'tracker digest draft --month {key}'."
        )
    return digest


COMMANDS: list[click.Command] = [digest_group]
