"""Progress reports: the timeline of an assignment."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.assignments import Assignment, ProgressReport
from tracker.models.people import Person
from tracker.services import activity
from tracker.services.programme.assignments import can_report


def add_report(
    session: Session,
    author: Person,
    assignment: Assignment,
    *,
    body: str,
    reported_on: date,
) -> ProgressReport:
    """Add a dated update by a member of one of the assignment's groups."""
    if not can_report(session, author, assignment):
        raise DomainError(
            _l("Only members of the assignment's working groups may report.")
        )
    if not body.strip():
        raise DomainError(_l("Write what has happened."), field="body")
    report = ProgressReport(
        assignment=assignment, author=author, body=body.strip(), reported_on=reported_on
    )
    session.add(report)
    session.flush()
    activity.record(
        session,
        author,
        "reported",
        assignment,
        after={"report_id": report.id},
        plan_id=assignment.plan_id,
        assignment_id=assignment.id,
    )
    return report


def timeline(
    session: Session, assignment: Assignment, limit: int = 100
) -> list[ProgressReport]:
    """The newest reports of an assignment."""
    statement = (
        select(ProgressReport)
        .where(ProgressReport.assignment_id == assignment.id)
        .order_by(ProgressReport.reported_on.desc(), ProgressReport.id.desc())
        .limit(limit)
    )
    return list(session.scalars(statement))
