"""init-db, demo, serve and create-user."""

from __future__ import annotations

import sys
import threading

import click
from flask import current_app
from flask.cli import with_appcontext
from werkzeug.serving import run_simple

from tracker import demo, links
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.migrations import upgrade_to_head
from tracker.models.people import Role
from tracker.services import people
from tracker.services.programme import stages

DEMO_PASSWORD = "demo"  # noqa: S105 - the documented demo logins


def migrate() -> None:
    """Upgrade the schema and make sure the configured workflow stages exist."""
    upgrade_to_head(current_app.extensions["tracker.engine"])
    session = get_session()
    stages.ensure_stages(session, current_app.config["WORKFLOW_STAGES"])
    session.commit()


@click.command("init-db")
@with_appcontext
def init_db_command() -> None:
    """Create or upgrade the database schema to the newest migration."""
    migrate()
    click.echo("The database is at the newest schema.")


@click.command("demo")
@click.option("--port", default=5000, show_default=True, help="Port to serve on.")
@click.option("--no-serve", is_flag=True, help="Only load the demo data.")
@click.option(
    "--no-scheduler", is_flag=True, help="Serve without the scheduled jobs beside it."
)
@click.option("--reset", is_flag=True, help="Empty the database and load anew.")
@with_appcontext
def demo_command(port: int, no_serve: bool, no_scheduler: bool, reset: bool) -> None:
    """Load the demo programme (idempotently) and serve it on 127.0.0.1."""
    if reset:
        demo.reset(current_app.extensions["tracker.engine"])
    migrate()
    session = get_session()
    try:
        summary = demo.load(
            session,
            password=DEMO_PASSWORD,
            public_url=current_app.config["PUBLIC_URL"] or f"http://127.0.0.1:{port}",
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(summary)
    click.echo("Demo logins (password: demo):")
    for email, role in demo.LOGINS:
        click.echo(f"  {email:<24} {role.value}")
    if not no_serve:
        if not no_scheduler:
            _start_scheduler()
        click.echo(f"Open http://127.0.0.1:{port}/")
        _serve(port)


@click.command("serve")
@click.option("--port", default=5000, show_default=True)
@with_appcontext
def serve_command(port: int) -> None:
    """Serve the app on 127.0.0.1 (for production use gunicorn, see README)."""
    _serve(port)


@click.command("create-user")
@click.argument("email")
@click.option("--name", required=True)
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), default=Role.STAFF.value
)
@with_appcontext
def create_user_command(email: str, name: str, role: str) -> None:
    """Create a login; the password is read from standard input."""
    password = sys.stdin.readline().rstrip("\n")
    session = get_session()
    try:
        people.create_person(
            session,
            None,
            people.PersonValues(name=name, email=email),
            role=Role(role),
            password=password,
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    session.commit()
    click.echo(f"Created {email} ({role}).")


def _start_scheduler() -> None:
    # The demo runs the scheduled jobs beside its server, so that following gives
    # notifications and e-mail (to the outbox) as it does in production.
    from tracker import scheduler

    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stop = threading.Event()
    threading.Thread(
        target=scheduler.run,
        args=(app,),
        kwargs={"stop": stop, "echo": click.echo},
        name="tracker-scheduler",
        daemon=True,
    ).start()


def _serve(port: int) -> None:
    # Flask refuses app.run() inside its own CLI, so start werkzeug's server directly.
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    links.remember_served_url(app, f"http://127.0.0.1:{port}")
    run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False)


COMMANDS = [init_db_command, demo_command, serve_command, create_user_command]
