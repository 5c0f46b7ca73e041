"""Who takes part where: departments and competences across the active groups."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.models.groups import GroupState, Membership, WorkingGroup
from tracker.models.people import Person
from tracker.services import people

LIVING = (GroupState.ACTIVE, GroupState.RECRUITING)


@dataclass
class ParticipationMap:
    """Departments and competences represented or missing, and people in several."""

    groups: list[str] = field(default_factory=list)
    departments: dict[str, list[str]] = field(default_factory=dict)  # name -> groups
    competences: dict[str, list[str]] = field(default_factory=dict)
    missing_departments: list[str] = field(default_factory=list)
    missing_competences: list[str] = field(default_factory=list)
    several: list[tuple[Person, list[str]]] = field(default_factory=list)


def participation_map(session: Session) -> ParticipationMap:
    """Across active (and recruiting) groups: who and what is represented."""
    rows = session.scalars(
        select(Membership)
        .join(WorkingGroup)
        .where(Membership.left_on.is_(None), WorkingGroup.state.in_(LIVING))
        .options(
            selectinload(Membership.group),
            selectinload(Membership.person).selectinload(Person.competences),
        )
    ).all()
    departments: dict[str, set[str]] = defaultdict(set)
    competences: dict[str, set[str]] = defaultdict(set)
    by_person: dict[int, tuple[Person, set[str]]] = {}
    for m in rows:
        person, group = m.person, m.group.name
        if person.department is not None:
            departments[person.department.name].add(group)
        for competence in person.competences:
            competences[competence.name].add(group)
        by_person.setdefault(person.id, (person, set()))[1].add(group)
    all_departments = [d.name for d in people.list_departments(session)]
    all_competences = [c.name for c in people.list_competences(session)]
    return ParticipationMap(
        groups=sorted({m.group.name for m in rows}),
        departments={k: sorted(v) for k, v in sorted(departments.items())},
        competences={k: sorted(v) for k, v in sorted(competences.items())},
        missing_departments=[d for d in all_departments if d not in departments],
        missing_competences=[c for c in all_competences if c not in competences],
        several=sorted(
            ((p, sorted(g)) for p, g in by_person.values() if len(g) > 1),
            key=lambda item: item[0].name,
        ),
    )
