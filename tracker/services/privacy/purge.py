"""Personal data: blank old applications, and everything about a person as JSON."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models.activity import ActivityEvent
from tracker.models.applications import Application, ApplicationStatus
from tracker.models.people import Person
from tracker.services import activity, groups

# Outcomes whose details are blanked after the retention time (members keep theirs)
PURGED = (
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.WITHDRAWN,
    ApplicationStatus.DECLINED,
)


def purge(session: Session, *, now: datetime, retention_months: int) -> int:
    """Blank non-selected applicants' details decided long enough ago; count them."""
    cutoff = now - timedelta(days=round(retention_months * 30.44))
    old = session.scalars(
        select(Application).where(
            Application.status.in_(PURGED),
            Application.decided_at < cutoff,
            Application.anonymised_at.is_(None),
        )
    ).all()
    for application in old:
        # the row stays for statistics (group, outcome, department); nothing personal
        application.person_id = None
        application.competences = []
        application.years_experience = None
        application.motivation = ""
        application.anonymised_at = now
    if old:
        activity.record(
            session,
            None,
            "applications_anonymised",
            old[0],
            after={"count": len(old)},
            label=str(len(old)),  # shown after the verb; a number reads in any language
        )
    return len(old)


def export(session: Session, person: Person) -> dict[str, Any]:
    """Everything the tracker holds about *person*, as JSON-ready data."""
    applications = session.scalars(
        select(Application).where(Application.person_id == person.id)
    ).all()
    events = session.scalars(
        select(ActivityEvent)
        .where(ActivityEvent.actor_id == person.id)
        .order_by(ActivityEvent.created_at)
    ).all()
    return {
        "person": {
            "name": person.name,
            "email": person.email,
            "department": person.department.name if person.department else None,
            "competences": [c.name for c in person.competences],
            "years_experience": person.years_experience,
            "role": person.role.value,
            "trello_username": person.trello_username,
            "created_at": person.created_at.isoformat(),
        },
        "memberships": [
            {"group": m.group.name, "role": m.role.value, "joined_on": str(m.joined_on)}
            for m in groups.groups_of(session, person)
        ],
        "applications": [_application(a) for a in applications],
        "activity": [
            {
                "at": e.created_at.isoformat(),
                "verb": e.verb,
                "object": e.object_label,
            }
            for e in events
        ],
    }


def _application(a: Application) -> dict[str, Any]:
    return {
        "group": a.group.name,
        "status": a.status.value,
        "department": a.department,
        "competences": a.competences,
        "years_experience": a.years_experience,
        "motivation": a.motivation,
        "created_at": a.created_at.isoformat(),
        "decided_at": a.decided_at.isoformat() if a.decided_at else None,
    }
