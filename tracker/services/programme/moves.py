"""Who may move an assignment to which stage on the board."""

from __future__ import annotations

from collections.abc import Collection

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.assignments import Assignment, Stage
from tracker.models.groups import Membership, group_assignments
from tracker.models.people import Person, Role
from tracker.services.programme import stages

LEADERS = (Role.LEADERSHIP, Role.ADMIN)


def own_assignment_ids(session: Session, person: Person) -> set[int]:
    """Open assignments *person* is responsible for or works on through a group."""
    via_groups = (
        select(group_assignments.c.assignment_id)
        .join(Membership, Membership.group_id == group_assignments.c.group_id)
        .where(Membership.person_id == person.id, Membership.left_on.is_(None))
    )
    return set(
        session.scalars(
            select(Assignment.id).where(
                (Assignment.responsible_id == person.id)
                | Assignment.id.in_(via_groups),
                Assignment.closed_at.is_(None),
            )
        )
    )


def reachable_stages(session: Session, person: Person) -> list[Stage]:
    """The stages *person* may move an assignment of their own to."""
    every = stages.list_stages(session)
    if person.role in LEADERS:
        return every
    return [stage for stage in every if stage.open_to_members]


NOT_YOURS = _l(
    "Only leadership, the responsible person and members of the "
    "assignment's working groups may move it."
)


def may_move(session: Session, person: Person, assignment: Assignment) -> bool:
    """Whether *person* may move *assignment* at all (to some stage)."""
    return person.role in LEADERS or assignment.id in own_assignment_ids(
        session, person
    )


def check_move(
    session: Session, person: Person, assignment: Assignment, stage: Stage
) -> None:
    """Raise DomainError saying why *person* may not move *assignment* to *stage*."""
    if person.role in LEADERS:
        return
    if assignment.id not in own_assignment_ids(session, person):
        raise DomainError(NOT_YOURS)
    if not stage.open_to_members and assignment.stage_id != stage.id:
        raise DomainError(
            _l(
                "Leadership moves assignments to “%(stage)s”; ask them, or report "
                "your progress instead.",
                stage=stage.name,
            )
        )


def open_stages_to_members(session: Session, open_ids: Collection[int]) -> None:
    """Let the assignments' own people reach exactly the stages in *open_ids*."""
    for stage in stages.list_stages(session):
        stage.open_to_members = stage.id in open_ids
    session.flush()
