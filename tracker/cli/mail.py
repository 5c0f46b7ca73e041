"""`tracker mail send`: deliver the outbox now."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker.db import get_session
from tracker.services import mail


@click.group("mail")
def mail_group() -> None:
    """Outgoing e-mail."""


@mail_group.command("send")
@with_appcontext
def send_command() -> None:
    """Send the queued messages over SMTP (the scheduler does this every minute)."""
    smtp = current_app.config["SMTP"]
    if not smtp["HOST"]:
        raise click.ClickException(
            "[SMTP] HOST is not set; see the outbox page instead."
        )
    session = get_session()
    sent = mail.deliver_pending(session, smtp)
    session.commit()
    click.echo(f"Sent {sent} message(s).")


COMMANDS: list[click.Command] = [mail_group]
