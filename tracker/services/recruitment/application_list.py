"""Leadership's application list of an open call as a CSV file; each download logged."""

from __future__ import annotations

from datetime import UTC

from sqlalchemy.orm import Session

from tracker.models.groups import WorkingGroup
from tracker.models.people import Person
from tracker.services import activity
from tracker.services.interchange.cells import write_date
from tracker.services.interchange.files import CsvOptions, write_csv
from tracker.services.recruitment import applications

COLUMNS = (
    "name",
    "email",
    "status",
    "department",
    "competences",
    "years_experience",
    "applied_on",
)
# Swedish Excel opens `;`-separated UTF-8 with a BOM
OPTIONS = CsvOptions(separator=";")


def application_rows(session: Session, group: WorkingGroup) -> list[list[str]]:
    """The applications the group has received, in order of arrival (no motivations:
    they stay in the tracker, where reading one is logged)."""
    rows = []
    for a in applications.applications_to(session, group, applications.RECEIVED):
        person = a.person
        rows.append(
            [
                person.name if person else "",
                (person.email or "") if person else "",
                applications.status_label(a.status),
                a.department,
                ", ".join(a.competences),
                "" if a.years_experience is None else str(a.years_experience),
                write_date(a.created_at.astimezone(UTC).date()),
            ]
        )
    return rows


def download(session: Session, actor: Person, group: WorkingGroup) -> bytes:
    """The list as a file; records who downloaded it (seen only by leadership)."""
    data = write_csv(COLUMNS, application_rows(session, group), OPTIONS)
    activity.record(
        session,
        actor,
        "applications_downloaded",
        group,
        group_id=group.id,
        label=group.name,
    )
    return data
