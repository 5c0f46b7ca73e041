"""Checking every row of every file before anything is changed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import partial
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.models.groups import GroupState, MemberRole, RecruitmentMode
from tracker.models.plans import PlanState
from tracker.services.interchange import tables
from tracker.services.interchange.cells import read_bool, read_date, read_int, read_text
from tracker.services.interchange.context import Known, enum_value, existing_id, slug
from tracker.services.interchange.files import Row
from tracker.services.interchange.problems import Problem, RowReader

TITLE, LONG, LINK = 200, 100_000, 500


@dataclass(frozen=True)
class Record:
    """A checked row: its key (slug or id, None for a new row) and its values."""

    key: Any
    values: dict[str, Any]


Checker = Callable[[RowReader, Known], Record]
Text = partial(read_text, limit=TITLE, required=True)
Long = partial(read_text, limit=LONG, strip=False)


def check_plan(r: RowReader, known: Known) -> Record:
    """A row of plans.csv."""
    return Record(
        r.get("slug", slug),
        {
            "title": r.get("title", Text),
            "goal": r.get("goal", Long),
            "owner": r.get("owner", known.person),
            "position": r.get("position", read_int),
            "state": r.get("state", enum_value(PlanState)),
        },
    )


def check_group(r: RowReader, known: Known) -> Record:
    """A row of groups.csv."""
    values: dict[str, Any] = {
        "name": r.get("name", Text),
        "purpose": r.get("purpose", Long),
        "starts_on": r.get("starts_on", read_date),
        "ends_on": r.get("ends_on", read_date),
        "seats": r.get("seats", partial(read_int, low=1, high=1000)),
        "recruitment": r.get("recruitment", enum_value(RecruitmentMode)),
        "state": r.get("state", enum_value(GroupState)),
        "signup_deadline": r.get("signup_deadline", read_date),
    }
    _check_order(r, values["starts_on"], values["ends_on"])
    return Record(r.get("slug", slug), values)


def check_assignment(r: RowReader, known: Known) -> Record:
    """A row of assignments.csv."""
    values: dict[str, Any] = {
        "plan": r.get("plan", known.plan_slug),
        "title": r.get("title", Text),
        "description": r.get("description", Long),
        "stage": r.get("stage", known.stage),
        "responsible": r.get("responsible", known.person),
        "starts_on": r.get("starts_on", read_date),
        "ends_on": r.get("ends_on", read_date),
        "documents_link": r.get("documents_link", partial(read_text, limit=LINK)),
        "outcome": r.get("outcome", Long),
        "position": r.get("position", read_int),
        "groups": r.get("groups", partial(_group_list, known)),
    }
    _check_order(r, values["starts_on"], values["ends_on"])
    return Record(r.get("id", existing_id(known.assignments)), values)


def check_milestone(r: RowReader, known: Known) -> Record:
    """A row of milestones.csv."""
    assignment_id = r.get("assignment", existing_id(known.assignments))
    if assignment_id is None and r.row.cells["assignment"].strip() == "":
        r.fail("assignment", _l("This cell must not be empty."))
    return Record(
        r.get("id", existing_id(known.milestones)),
        {
            "assignment": known.assignments.get(assignment_id or 0),
            "title": r.get("title", Text),
            "due_on": r.get("due_on", read_date),
            "done": r.get("done", read_bool),
        },
    )


def check_membership(r: RowReader, known: Known) -> Record:
    """A row of memberships.csv."""
    person = r.get("person", known.person)
    if person is None and not r.row.cells["person"].strip():
        r.fail("person", _l("This cell must not be empty."))
    joined_on = r.get("joined_on", read_date)
    if joined_on is None and not r.row.cells["joined_on"].strip():
        r.fail("joined_on", _l("This cell must not be empty."))
    values: dict[str, Any] = {
        "group": r.get("group", known.group_slug),
        "person": person,
        "role": r.get("role", enum_value(MemberRole)),
        "joined_on": joined_on,
        "left_on": r.get("left_on", read_date),
    }
    _check_order(r, joined_on, values["left_on"], column="left_on")
    return Record(r.get("id", existing_id(known.memberships)), values)


CHECKERS: dict[str, Checker] = {
    tables.PLANS: check_plan,
    tables.GROUPS: check_group,
    tables.ASSIGNMENTS: check_assignment,
    tables.MILESTONES: check_milestone,
    tables.MEMBERSHIPS: check_membership,
}
# a second row with the same key would silently overwrite the first
UNIQUE: dict[str, tuple[str, ...]] = {
    tables.PLANS: ("slug", "title"),
    tables.GROUPS: ("slug", "name"),
    tables.ASSIGNMENTS: ("id",),
    tables.MILESTONES: ("id",),
    tables.MEMBERSHIPS: ("id",),
}


def check_file(
    name: str, rows: list[Row], known: Known, problems: list[Problem]
) -> list[Record]:
    """Every row of one file; problems are added to *problems*."""
    records = []
    seen: dict[tuple[str, str], int] = {}
    width = len(tables.COLUMNS[name])
    for row in rows:
        reader = RowReader(name, row, problems)
        if row.width != width:
            reader.fail(
                "",
                _l(
                    "The row has %(cells)s cells; the header has %(columns)s.",
                    cells=row.width,
                    columns=width,
                ),
            )
            continue
        for column in UNIQUE[name]:
            value = row.cells[column].strip().lower()
            if value and (column, value) in seen:
                reader.fail(
                    column,
                    _l(
                        "%(value)s is also on row %(row)s.",
                        value=row.cells[column],
                        row=seen[column, value],
                    ),
                )
            seen.setdefault((column, value), row.number)
        records.append(CHECKERS[name](reader, known))
    return records


def _group_list(known: Known, text: str) -> list[str]:
    return [known.group_slug(part) for part in text.split("|") if part.strip()]


def _check_order(
    r: RowReader, first: date | None, last: date | None, column: str = "ends_on"
) -> None:
    if first and last and last < first:
        r.fail(column, _l("The end date must not be before the start date."))
