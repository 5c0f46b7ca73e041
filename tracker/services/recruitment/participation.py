"""Who takes part where: departments and competences across the active groups."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from tracker.models.groups import GroupState, Membership, WorkingGroup
from tracker.models.people import Person
from tracker.services import people

LIVING = (GroupState.ACTIVE, GroupState.RECRUITING)


@dataclass(frozen=True)
class DepartmentRow:
    """One department's row of the matrix: members in each living group."""

    name: str | None  # None: members whose department is not known
    cells: list[tuple[str, int]]  # (group, members), in ParticipationMap.groups order
    people: int  # its people in any living group, each counted once

    @property
    def involved(self) -> bool:
        """Whether anyone of the department sits in a living group."""
        return self.people > 0


@dataclass
class ParticipationMap:
    """Departments and competences represented or missing, and people in several.

    The matrix: departments (rows, "no department" last when anyone has none) ×
    living groups (columns), current members in each cell. "Involved" is what the
    data holds: a current member (not left) of an active or recruiting group.
    involved_staff counts distinct staff — active people who are not external
    participants (citizens, partners) — out of staff_total, all active staff.
    """

    groups: list[str] = field(default_factory=list)
    departments: dict[str, list[str]] = field(default_factory=dict)  # name -> groups
    competences: dict[str, list[str]] = field(default_factory=dict)
    missing_departments: list[str] = field(default_factory=list)
    missing_competences: list[str] = field(default_factory=list)
    several: list[tuple[Person, list[str]]] = field(default_factory=list)
    matrix: list[DepartmentRow] = field(default_factory=list)
    group_totals: list[tuple[str, int]] = field(default_factory=list)  # members
    members_total: int = 0  # people in any living group, each counted once
    involved_staff: int = 0
    staff_total: int = 0


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
    group_names = sorted({m.group.name for m in rows})
    return ParticipationMap(
        groups=group_names,
        departments={k: sorted(v) for k, v in sorted(departments.items())},
        competences={k: sorted(v) for k, v in sorted(competences.items())},
        missing_departments=[d for d in all_departments if d not in departments],
        missing_competences=[c for c in all_competences if c not in competences],
        several=sorted(
            ((p, sorted(g)) for p, g in by_person.values() if len(g) > 1),
            key=lambda item: item[0].name,
        ),
        matrix=_matrix(rows, group_names, all_departments),
        group_totals=[
            (name, len({m.person_id for m in rows if m.group.name == name}))
            for name in group_names
        ],
        members_total=len({m.person_id for m in rows}),
        involved_staff=len({m.person_id for m in rows if _is_staff(m.person)}),
        staff_total=session.scalar(
            select(func.count()).select_from(Person).where(*STAFF)
        )
        or 0,
    )


# active people of the organisation, not citizens or partners
STAFF = (Person.active.is_(True), Person.external.is_(False))


def _is_staff(person: Person) -> bool:
    return person.active and not person.external


def _matrix(
    rows: Sequence[Membership], group_names: list[str], departments: list[str]
) -> list[DepartmentRow]:
    """A row per department in the vocabulary, then one for members without one."""
    cells: dict[str | None, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for m in rows:
        department = m.person.department.name if m.person.department else None
        cells[department][m.group.name].add(m.person_id)
    names: list[str | None] = list(departments)
    if None in cells:
        names.append(None)
    return [
        DepartmentRow(
            name=name,
            cells=[(group, len(cells[name][group])) for group in group_names],
            people=len(set().union(*cells[name].values())),
        )
        for name in names
    ]
