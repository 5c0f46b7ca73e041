"""Whose data a purge blanks, and what a person's export gathers."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from tracker.models.activity import ActivityEvent
from tracker.models.applications import Application
from tracker.models.people import Person


@dataclass(frozen=True)
class Purged:
    """The applications a purge anonymises, read before anything is blanked."""

    now: datetime
    applications: frozenset[int]
    people: frozenset[int]  # their applicants
    groups: frozenset[int]  # the groups they applied to
    events: frozenset[int]  # activity events about them
    words: tuple[str, ...]  # the applicants' names and addresses, longest first
    # application id -> (the applicant's address, the group's name), for e-mail
    mailboxes: dict[int, tuple[str, str]]

    @classmethod
    def of(
        cls, session: Session, applications: Sequence[Application], now: datetime
    ) -> Purged:
        """Everything a purge of *applications* needs to know up front."""
        ids = frozenset(a.id for a in applications)
        people = [a.person for a in applications if a.person is not None]
        words = {w for p in people for w in (p.name, p.email) if w and len(w) > 2}
        return cls(
            now=now,
            applications=ids,
            people=frozenset(p.id for p in people),
            groups=frozenset(a.group_id for a in applications),
            events=frozenset(_events_about(session, ids)),
            words=tuple(sorted(words, key=len, reverse=True)),
            mailboxes={
                a.id: (a.person.email, a.group.name)
                for a in applications
                if a.person is not None and a.person.email
            },
        )


@dataclass(frozen=True)
class Mine:
    """A person's own applications and the events about them, for their export."""

    applications: frozenset[int]
    events: frozenset[int]

    @classmethod
    def of(cls, session: Session, person: Person) -> Mine:
        """What belongs to *person* besides the rows that name them."""
        ids = frozenset(
            session.scalars(
                select(Application.id).where(Application.person_id == person.id)
            )
        )
        about = or_(
            ActivityEvent.subject_id == person.id,
            ActivityEvent.id.in_(list(_events_about(session, ids))),
        )
        events = frozenset(session.scalars(select(ActivityEvent.id).where(about)))
        return cls(applications=ids, events=events)


def _events_about(session: Session, application_ids: frozenset[int]) -> list[int]:
    if not application_ids:
        return []
    return list(
        session.scalars(
            select(ActivityEvent.id).where(
                ActivityEvent.object_type == "Application",
                ActivityEvent.object_id.in_(list(application_ids)),
            )
        )
    )
