"""`tracker export csv DIR` and `tracker import csv DIR [--dry-run]`."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from tracker import clock
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.services import interchange

FOLDER = click.Path(file_okay=False, path_type=Path)


@click.group("export")
def export_group() -> None:
    """Export data to files."""


@export_group.command("csv")
@click.argument("directory", type=FOLDER)
@click.option(
    "--separator",
    type=click.Choice([",", ";"]),
    default=",",
    show_default=True,
    help="Column separator; ';' suits Excel with Swedish settings.",
)
@click.option("--no-bom", is_flag=True, help="Leave out the UTF-8 byte order mark.")
@with_appcontext
def export_csv_command(directory: Path, separator: str, no_bom: bool) -> None:
    """Write plans, groups, assignments, milestones and memberships as CSV files."""
    options = interchange.CsvOptions(separator=separator, bom=not no_bom)
    counts = interchange.export_dir(get_session(), directory, options)
    for name, rows in counts.items():
        click.echo(f"{directory / name}: {rows} rows")


@click.group("import")
def import_group() -> None:
    """Import data from files."""


@import_group.command("csv")
@click.argument(
    "directory", type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--dry-run", is_flag=True, help="Check and count, but change nothing.")
@with_appcontext
def import_csv_command(directory: Path, dry_run: bool) -> None:
    """Import the CSV files of an export; nothing changes if any row is wrong."""
    session = get_session()
    try:
        summary = interchange.import_dir(
            session, directory, actor=None, now=clock.now()
        )
    except interchange.ImportProblems as error:
        session.rollback()
        for problem in error.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException(str(error)) from error
    except DomainError as error:
        session.rollback()
        raise click.ClickException(str(error)) from error
    if dry_run:
        session.rollback()
    else:
        session.commit()
    for label, counts in (
        ("created", summary.created),
        ("updated", summary.updated),
        ("unchanged", summary.unchanged),
    ):
        for name, count in counts.items():
            click.echo(f"{name}: {count} {label}")
    click.echo("Dry run: nothing was changed." if dry_run else "Imported.")


COMMANDS: list[click.Command] = [export_group, import_group]
