"""Reading and writing the CSV files: encoding, BOM, separator and line ends."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from tracker.errors import DomainError
from tracker.services.interchange.cells import quote, unquote

SEPARATORS = (",", ";")
MAX_FILE_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class CsvOptions:
    """How files are written: `;` suits Excel with Swedish settings."""

    separator: str = ","
    bom: bool = True  # Excel reads UTF-8 only with the byte order mark


@dataclass(frozen=True)
class Row:
    """A data row: its row number as a spreadsheet shows it, and its cells."""

    number: int
    cells: dict[str, str]
    width: int  # how many cells the row had: a row must be as wide as the header


def write_csv(
    header: Sequence[str], rows: Sequence[Sequence[str]], options: CsvOptions
) -> bytes:
    """The file's bytes, every cell neutralised against formulas."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=options.separator, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([quote(cell) for cell in row] for row in rows)
    text = buffer.getvalue()
    return (("\ufeff" + text) if options.bom else text).encode("utf-8")


def read_csv(data: bytes, header: Sequence[str]) -> list[Row]:
    """The rows of a file with exactly the columns in *header* (in any order).

    The BOM, `,` or `;` and Windows line ends are all accepted.
    """
    if len(data) > MAX_FILE_BYTES:
        raise DomainError(_l("The file is larger than 20 MB."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DomainError(
            _l("The file is not UTF-8: save it as “CSV UTF-8” in Excel.")
        ) from None
    if "\x00" in text:
        raise DomainError(_l("The file contains NUL characters: it is not a CSV file."))
    first_line = text.split("\n", 1)[0]
    separator = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), delimiter=separator))
    except csv.Error as error:
        raise DomainError(
            _l("The file cannot be read as CSV: %(error)s", error=str(error))
        ) from None
    if not records:
        raise DomainError(_l("The file is empty: it needs at least the header row."))
    names = [name.strip() for name in records[0]]
    _check_header(names, header)
    return [
        Row(number, _cells(names, record), len(record))
        for number, record in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in record)
    ]


def _cells(names: list[str], record: list[str]) -> dict[str, str]:
    padded = record + [""] * (len(names) - len(record))
    return {name: unquote(cell) for name, cell in zip(names, padded, strict=False)}


def _check_header(names: list[str], header: Sequence[str]) -> None:
    missing = [name for name in header if name not in names]
    unknown = [name for name in names if name not in header]
    if missing:
        raise DomainError(_l("Missing column: %(names)s.", names=", ".join(missing)))
    if unknown:
        raise DomainError(_l("Unknown column: %(names)s.", names=", ".join(unknown)))
    if len(set(names)) != len(names):
        raise DomainError(_l("A column name appears twice."))
