"""Commands of recruitment: a selection proposal as JSON, the privacy purge."""

from __future__ import annotations

import json
import secrets

import click
from flask import current_app
from flask.cli import with_appcontext

from tracker import clock
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.models.applications import SelectionRun
from tracker.services import groups, privacy
from tracker.services.selection import report as selection_report
from tracker.services.selection import runs as selection_runs
from tracker.services.selection.proposal import band_labels, band_of, propose


@click.command("select")
@click.argument("group_slug")
@click.option("--seed", type=int, default=None, help="Seed of the draw (random).")
@click.option("--json", "as_json", is_flag=True, help="Print the proposal as JSON.")
@with_appcontext
def select_command(group_slug: str, seed: int | None, as_json: bool) -> None:
    """Print a selection proposal for an open call, without confirming anything."""
    session = get_session()
    group = groups.get_by_slug(session, group_slug)
    if group is None:
        raise click.ClickException(f"No group with the slug {group_slug!r}.")
    draw_seed = secrets.randbelow(1_000_000) if seed is None else seed
    try:
        run = selection_runs.run_selection(
            session,
            None,
            group,
            selection_runs.Choices(seed=draw_seed),
            current_app.config["RECRUITMENT"],
        )
    except DomainError as error:
        raise click.ClickException(str(error)) from error
    data = _report(run)
    session.rollback()  # nothing is stored: this is only a proposal
    if as_json:
        click.echo(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        click.echo(f"Seed {data['seed']}: selected {data['selected']}")


def _report(run: SelectionRun) -> dict[str, object]:
    candidates, criteria = selection_runs.decode_inputs(run.inputs)
    labels = band_labels(criteria.bands)
    again = propose(candidates, criteria, run.seed)
    return {
        "group": run.group.slug,
        "seed": run.seed,
        "applicants": [
            {
                "id": c.id,
                "department": c.department,
                "former_departments": sorted(c.former),
                "competences": sorted(c.competences),
                "experience_band": None
                if (band := band_of(c.years, criteria.bands)) is None
                else labels[band],
            }
            for c in candidates
        ],
        "selected": list(again.selected),
        "coverage": [
            {
                "kind": str(row.kind),
                "name": row.name,
                "applicants": row.applicants,
                "selected": row.selected,
            }
            for row in selection_report.coverage(run)
        ],
        "probabilities": {str(k): round(v, 6) for k, v in again.probabilities.items()},
        "breadth": again.breadth.as_dict(),
        "upper_bound": again.upper_bound.as_dict(),
        "proven_optimal": again.optimal,
        "replacement_order": list(again.replacement_order),
    }


@click.group("privacy")
def privacy_group() -> None:
    """Personal data of applicants."""


@privacy_group.command("purge")
@with_appcontext
def purge_command() -> None:
    """Anonymise old applications and blank old e-mail bodies, as nightly."""
    session = get_session()
    months = int(current_app.config["RECRUITMENT"]["RETENTION_MONTHS"])
    count = privacy.purge(session, now=clock.now(), retention_months=months)
    days = int(current_app.config["PRIVACY"]["MAIL_RETENTION_DAYS"])
    mails = privacy.expire_mail_bodies(session, now=clock.now(), days=days)
    session.commit()
    click.echo(f"Anonymised {count} applications and {mails} e-mail bodies.")


COMMANDS: list[click.Command] = [select_command, privacy_group]
