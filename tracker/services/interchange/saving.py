"""Export: each table as the rows of its CSV file, in a stable order."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models.assignments import Assignment, Milestone
from tracker.models.groups import Membership, WorkingGroup
from tracker.models.people import Person
from tracker.models.plans import ActionPlan
from tracker.services.interchange import tables
from tracker.services.interchange.cells import write_bool, write_date
from tracker.services.interchange.files import CsvOptions, write_csv

Rows = list[list[str]]


def person_key(person: Person | None) -> str:
    """A person as a cell: the e-mail address, or #id for someone without one."""
    if person is None:
        return ""
    return person.email or f"#{person.id}"


def plan_rows(session: Session) -> Rows:
    """plans.csv."""
    plans = session.scalars(select(ActionPlan).order_by(ActionPlan.slug))
    return [
        [p.slug, p.title, p.goal, person_key(p.owner), str(p.position), p.state.value]
        for p in plans
    ]


def group_rows(session: Session) -> Rows:
    """groups.csv."""
    groups = session.scalars(select(WorkingGroup).order_by(WorkingGroup.slug))
    return [
        [
            g.slug,
            g.name,
            g.purpose,
            write_date(g.starts_on),
            write_date(g.ends_on),
            str(g.seats),
            g.recruitment.value,
            g.state.value,
            write_date(g.signup_deadline),
        ]
        for g in groups
    ]


def assignment_rows(session: Session, plan_id: int | None = None) -> Rows:
    """assignments.csv (of one plan, for its page's download)."""
    statement = (
        select(Assignment)
        .options(selectinload(Assignment.groups), selectinload(Assignment.plan))
        .order_by(Assignment.id)
    )
    if plan_id is not None:
        statement = statement.where(Assignment.plan_id == plan_id)
    return [
        [
            str(a.id),
            a.plan.slug,
            a.title,
            a.description,
            a.stage.name,
            person_key(a.responsible),
            write_date(a.starts_on),
            write_date(a.ends_on),
            a.documents_link,
            a.outcome,
            str(a.position),
            tables.LIST_SEPARATOR.join(sorted(g.slug for g in a.groups)),
        ]
        for a in session.scalars(statement)
    ]


def milestone_rows(session: Session) -> Rows:
    """milestones.csv."""
    milestones = session.scalars(select(Milestone).order_by(Milestone.id))
    return [
        [
            str(m.id),
            str(m.assignment_id),
            m.title,
            write_date(m.due_on),
            write_bool(m.done),
        ]
        for m in milestones
    ]


def membership_rows(session: Session, group_id: int | None = None) -> Rows:
    """memberships.csv (of one group, for its page's download)."""
    statement = (
        select(Membership)
        .options(selectinload(Membership.group))
        .order_by(Membership.id)
    )
    if group_id is not None:
        statement = statement.where(Membership.group_id == group_id)
    return [
        [
            str(m.id),
            m.group.slug,
            person_key(m.person),
            m.role.value,
            write_date(m.joined_on),
            write_date(m.left_on),
        ]
        for m in session.scalars(statement)
    ]


EXPORTERS: dict[str, Callable[[Session], Rows]] = {
    tables.PLANS: plan_rows,
    tables.GROUPS: group_rows,
    tables.ASSIGNMENTS: assignment_rows,
    tables.MILESTONES: milestone_rows,
    tables.MEMBERSHIPS: membership_rows,
}


def export_table(session: Session, name: str, options: CsvOptions) -> bytes:
    """One file of the export (e.g. "plans.csv") as bytes."""
    return write_csv(tables.COLUMNS[name], EXPORTERS[name](session), options)


# the pages' download buttons: Swedish Excel opens `;`-separated UTF-8 with a BOM
PAGE_OPTIONS = CsvOptions(separator=";")


def plan_assignments_csv(session: Session, plan: ActionPlan) -> bytes:
    """A plan's assignments, as assignments.csv (importable as it is)."""
    rows = assignment_rows(session, plan.id)
    return write_csv(tables.COLUMNS[tables.ASSIGNMENTS], rows, PAGE_OPTIONS)


def group_memberships_csv(session: Session, group: WorkingGroup) -> bytes:
    """A group's memberships, past ones included, as memberships.csv."""
    rows = membership_rows(session, group.id)
    return write_csv(tables.COLUMNS[tables.MEMBERSHIPS], rows, PAGE_OPTIONS)


def export_dir(
    session: Session, directory: Path, options: CsvOptions
) -> dict[str, int]:
    """Write every file into *directory*; returns the rows written per file."""
    directory.mkdir(parents=True, exist_ok=True)
    counts = {}
    for name in tables.FILES:
        rows = EXPORTERS[name](session)
        (directory / name).write_bytes(write_csv(tables.COLUMNS[name], rows, options))
        counts[name] = len(rows)
    return counts
