"""Import: read the files in a folder, check every row, then write them all."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.people import Person
from tracker.services.interchange import tables
from tracker.services.interchange.applying import Summary, Writer
from tracker.services.interchange.checking import Record, check_file
from tracker.services.interchange.context import Known
from tracker.services.interchange.files import Row, read_csv
from tracker.services.interchange.problems import ImportProblems, Problem

__all__ = ["ImportProblems", "Summary", "import_dir", "import_files"]


def import_dir(
    session: Session, directory: Path, *, actor: Person | None, now: datetime
) -> Summary:
    """Import the export files found in *directory* (flushes; the caller commits,
    or rolls back for a dry run). Raises ImportProblems and changes nothing when
    any row is wrong."""
    found = {
        name: directory / name for name in tables.FILES if (directory / name).is_file()
    }
    if not found:
        raise DomainError(
            _l(
                "%(directory)s holds none of %(names)s.",
                directory=str(directory),
                names=", ".join(tables.FILES),
            )
        )
    return import_files(
        session,
        {name: path.read_bytes() for name, path in found.items()},
        actor=actor,
        now=now,
    )


def import_files(
    session: Session, files: dict[str, bytes], *, actor: Person | None, now: datetime
) -> Summary:
    """Import files given as bytes by name (e.g. {"plans.csv": b"..."})."""
    problems: list[Problem] = []
    rows = _read_all(files, problems)
    known = Known.load(session)
    known.new_plans = _keys(rows.get(tables.PLANS, []), "slug")
    known.new_groups = _keys(rows.get(tables.GROUPS, []), "slug")
    records = {
        name: check_file(name, rows[name], known, problems)
        for name in tables.FILES
        if name in rows
    }
    _check_unique_names(known, records, problems)
    if problems:
        raise ImportProblems(problems)
    writer = Writer(session, known, actor, now)
    for name, file_records in records.items():
        write = writer.writers()[name]
        for record in file_records:
            write(record)
    session.flush()
    return writer.summary


def _read_all(files: dict[str, bytes], problems: list[Problem]) -> dict[str, list[Row]]:
    rows = {}
    for name, data in files.items():
        if name not in tables.COLUMNS:
            problems.append(Problem(name, 0, "", _l("Unknown file name.")))
            continue
        try:
            rows[name] = read_csv(data, tables.COLUMNS[name])
        except DomainError as error:
            problems.append(Problem(name, 0, "", error.message))
    return rows


def _keys(rows: list[Row], column: str) -> set[str]:
    return {row.cells[column].strip() for row in rows}


def _check_unique_names(
    known: Known, records: dict[str, list[Record]], problems: list[Problem]
) -> None:
    # titles and names are unique in the database: a file row must not take the
    # title of a plan (or group) the files leave as it is
    for name, column, existing in (
        (tables.PLANS, "title", {slug: p.title for slug, p in known.plans.items()}),
        (tables.GROUPS, "name", {slug: g.name for slug, g in known.groups.items()}),
    ):
        final = dict(existing)
        final.update({r.key: r.values[column] for r in records.get(name, []) if r.key})
        owners: dict[str, str] = {}
        for slug, title in final.items():
            if title in owners:
                problems.append(
                    Problem(
                        name,
                        0,
                        column,
                        _l(
                            "%(slug)s and %(other)s would share %(column)s %(value)s",
                            slug=slug,
                            other=owners[title],
                            column=column,
                            value=title,
                        ),
                    )
                )
            owners[title] = slug
