"""Following plans, assignments and groups: one's own by default, others by choice."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    and_,
    bindparam,
    exists,
    false,
    or_,
    select,
)
from sqlalchemy.orm import Session

from tracker.models.assignments import Assignment
from tracker.models.groups import Membership, WorkingGroup, group_assignments
from tracker.models.notifications import Follow, FollowTarget
from tracker.models.people import Person
from tracker.models.plans import ActionPlan

Target = tuple[FollowTarget, int]


@dataclass(frozen=True)
class FollowState:
    """Whether a person follows something, and whether it is theirs anyway."""

    following: bool
    own: bool


def follow(
    session: Session, person: Person, target: FollowTarget, target_id: int
) -> None:
    """Follow *target*; following twice changes nothing."""
    _set(session, person, target, target_id, active=True)


def unfollow(
    session: Session, person: Person, target: FollowTarget, target_id: int
) -> None:
    """Stop following *target*, one's own assignment or group included."""
    _set(session, person, target, target_id, active=False)


def _set(
    session: Session,
    person: Person,
    target: FollowTarget,
    target_id: int,
    *,
    active: bool,
) -> None:
    row = session.scalar(
        select(Follow).where(
            Follow.person_id == person.id,
            Follow.target == target,
            Follow.target_id == target_id,
        )
    )
    if row is None:
        session.add(
            Follow(
                person_id=person.id, target=target, target_id=target_id, active=active
            )
        )
    else:
        row.active = active
    session.flush()


def state(
    session: Session, person_id: int, target: FollowTarget, target_id: int
) -> FollowState:
    """Whether *person_id* follows *target*, in one query."""
    values = {"person": person_id, "target": target_id, "ids": [target_id]}
    row = session.execute(_state_statement(target), values).one()
    chosen, is_own = row[0], bool(row[1])
    return FollowState(following=is_own if chosen is None else bool(chosen), own=is_own)


@cache
def _state_statement(target: FollowTarget) -> Select[Any, Any]:
    # built once per kind: state() runs on every page with a follow button
    person: BindParameter[int] = bindparam("person")
    choice = (
        select(Follow.active)
        .where(
            Follow.person_id == person,
            Follow.target == target,
            Follow.target_id == bindparam("target"),
        )
        .scalar_subquery()
    )
    own = exists(_own_statement(target, bindparam("ids", expanding=True), person))
    return select(choice, own)


def followers(session: Session, targets: Iterable[Target]) -> dict[Target, set[int]]:
    """Who follows each of *targets*: own ones and chosen ones, less the unfollowed."""
    by_kind: dict[FollowTarget, set[int]] = defaultdict(set)
    for kind, target_id in targets:
        by_kind[kind].add(target_id)
    result: dict[Target, set[int]] = defaultdict(set)
    for kind, ids in by_kind.items():
        for target_id, person_id in session.execute(_own_statement(kind, ids)):
            result[(kind, target_id)].add(person_id)
    for row in session.scalars(select(Follow).where(_targets_clause(by_kind))):
        people = result[(row.target, row.target_id)]
        if row.active:
            people.add(row.person_id)
        else:
            people.discard(row.person_id)
    return {target: people for target, people in result.items() if people}


def followed_by(
    session: Session, person_id: int, own: set[Target] | None = None
) -> set[Target]:
    """Everything *person_id* follows (own things they did not unfollow, and chosen)."""
    targets = set(_own_targets(session, person_id) if own is None else own)
    for row in session.scalars(select(Follow).where(Follow.person_id == person_id)):
        key = (row.target, row.target_id)
        if row.active:
            targets.add(key)
        else:
            targets.discard(key)
    return targets


@dataclass(frozen=True)
class Followed:
    """One thing a person follows, for the list on Notiser."""

    target: FollowTarget
    target_id: int
    title: str
    path: str
    own: bool


def listing(session: Session, person_id: int) -> list[Followed]:
    """What *person_id* follows, plans first, then assignments, then groups."""
    own = _own_targets(session, person_id)
    targets = followed_by(session, person_id, own)
    ids = {kind: [i for k, i in targets if k is kind] for kind in FollowTarget}
    rows: list[tuple[FollowTarget, int, str, str]] = []
    plans = select(ActionPlan.id, ActionPlan.title, ActionPlan.slug)
    for i, title, slug in session.execute(
        plans.where(ActionPlan.id.in_(ids[FollowTarget.PLAN]))
    ):
        rows.append((FollowTarget.PLAN, i, title, f"/plans/{slug}"))
    work = select(Assignment.id, Assignment.title)
    for i, title in session.execute(
        work.where(Assignment.id.in_(ids[FollowTarget.ASSIGNMENT]))
    ):
        rows.append((FollowTarget.ASSIGNMENT, i, title, f"/assignments/{i}"))
    groups = select(WorkingGroup.id, WorkingGroup.name, WorkingGroup.slug)
    for i, name, slug in session.execute(
        groups.where(WorkingGroup.id.in_(ids[FollowTarget.GROUP]))
    ):
        rows.append((FollowTarget.GROUP, i, name, f"/groups/{slug}"))
    order = list(FollowTarget)
    rows.sort(key=lambda row: (order.index(row[0]), row[2].lower()))
    return [Followed(k, i, title, path, (k, i) in own) for k, i, title, path in rows]


def _own_targets(session: Session, person_id: int) -> set[Target]:
    targets: set[Target] = set()
    for kind in FollowTarget:
        targets |= {(kind, i) for i in session.scalars(_own_ids(kind, person_id))}
    return targets


def _targets_clause(by_kind: dict[FollowTarget, set[int]]) -> ColumnElement[bool]:
    clauses = [
        and_(Follow.target == kind, Follow.target_id.in_(sorted(ids)))
        for kind, ids in by_kind.items()
    ]
    return or_(false(), *clauses)


def _own_statement(
    kind: FollowTarget,
    ids: Collection[int] | BindParameter[Any],
    person_id: int | BindParameter[Any] | None = None,
) -> Select[Any, Any]:
    """(target id, person id) of the people to whom each target belongs."""
    statement: Select[Any, Any]
    if kind is FollowTarget.PLAN:
        statement = select(ActionPlan.id, ActionPlan.owner_id).where(
            ActionPlan.id.in_(ids), ActionPlan.owner_id.is_not(None)
        )
        column = ActionPlan.owner_id
    elif kind is FollowTarget.GROUP:
        statement = select(Membership.group_id, Membership.person_id).where(
            Membership.group_id.in_(ids), Membership.left_on.is_(None)
        )
        column = Membership.person_id
    else:
        return _own_assignments(ids, person_id)
    if person_id is not None:
        statement = statement.where(column == person_id)
    return statement


def _own_assignments(
    ids: Collection[int] | BindParameter[Any],
    person_id: int | BindParameter[Any] | None,
) -> Select[Any, Any]:
    responsible = select(Assignment.id, Assignment.responsible_id).where(
        Assignment.id.in_(ids), Assignment.responsible_id.is_not(None)
    )
    members = (
        select(group_assignments.c.assignment_id, Membership.person_id)
        .join(Membership, Membership.group_id == group_assignments.c.group_id)
        .where(group_assignments.c.assignment_id.in_(ids), Membership.left_on.is_(None))
    )
    if person_id is not None:
        responsible = responsible.where(Assignment.responsible_id == person_id)
        members = members.where(Membership.person_id == person_id)
    union = responsible.union(members).subquery()
    return select(union.c[0], union.c[1])


def _own_ids(kind: FollowTarget, person_id: int) -> Select[int]:
    """The ids of every *kind* that belongs to *person_id*."""
    if kind is FollowTarget.PLAN:
        return select(ActionPlan.id).where(ActionPlan.owner_id == person_id)
    if kind is FollowTarget.GROUP:
        return select(Membership.group_id).where(
            Membership.person_id == person_id, Membership.left_on.is_(None)
        )
    via_groups = (
        select(group_assignments.c.assignment_id)
        .join(Membership, Membership.group_id == group_assignments.c.group_id)
        .where(Membership.person_id == person_id, Membership.left_on.is_(None))
    )
    return select(Assignment.id).where(
        or_(Assignment.responsible_id == person_id, Assignment.id.in_(via_groups))
    )


def exists_target(session: Session, target: FollowTarget, target_id: int) -> bool:
    """Whether the plan, assignment or group exists."""
    model = {
        FollowTarget.PLAN: ActionPlan,
        FollowTarget.ASSIGNMENT: Assignment,
        FollowTarget.GROUP: WorkingGroup,
    }[target]
    return session.get(model, target_id) is not None
