"""What is wrong with an import: every problem with its file, row and column."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

from flask_babel import lazy_gettext as _l

from tracker.errors import DomainError
from tracker.services.interchange.files import Row

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """One wrong cell (or row, or file when row is 0)."""

    file: str
    row: int
    column: str
    message: Any  # a lazy Swedish message

    def __str__(self) -> str:
        if not self.row:
            return str(
                _l("%(file)s: %(message)s", file=self.file, message=self.message)
            )
        if not self.column:
            return str(
                _l(
                    "%(file)s, row %(row)s: %(message)s",
                    file=self.file,
                    row=self.row,
                    message=self.message,
                )
            )
        return str(
            _l(
                "%(file)s, row %(row)s, column %(column)s: %(message)s",
                file=self.file,
                row=self.row,
                column=self.column,
                message=self.message,
            )
        )


class ImportProblems(DomainError):
    """The import changed nothing because of these problems."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(
            _l("The import changed nothing: %(count)s problems.", count=len(problems))
        )
        self.problems = problems


@dataclass
class RowReader:
    """Reads the cells of one row, noting every cell that is wrong."""

    file: str
    row: Row
    problems: list[Problem] = field(default_factory=list)

    def get(self, column: str, parse: Callable[[str], T]) -> T | None:
        """The parsed cell, or None (and a problem) when it is wrong."""
        try:
            return parse(self.row.cells[column])
        except DomainError as error:
            self.fail(column, error.message)
            return None

    def fail(self, column: str, message: Any) -> None:
        """Note a problem with *column* of this row."""
        self.problems.append(Problem(self.file, self.row.number, column, message))
