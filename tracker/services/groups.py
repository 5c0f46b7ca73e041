"""Working groups: create, edit, change state, manage members."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CompoundSelect,
    String,
    bindparam,
    cast,
    func,
    literal,
    select,
    union_all,
)
from sqlalchemy.orm import Session, selectinload

from tracker.errors import DomainError
from tracker.models.assignments import Assignment
from tracker.models.groups import (
    GroupState,
    MemberRole,
    Membership,
    RecruitmentMode,
    WorkingGroup,
    group_assignments,
)
from tracker.models.people import Person
from tracker.services import activity
from tracker.slugs import unique_slug


@dataclass
class GroupValues:
    """The editable fields of a working group."""

    name: str
    purpose: str = ""
    mandate: str = ""
    ambition: str = ""
    follow_up: str = ""
    starts_on: date | None = None
    ends_on: date | None = None
    seats: int = 8
    recruitment: RecruitmentMode = RecruitmentMode.INVITED
    signup_deadline: date | None = None
    assignments: Sequence[Assignment] = field(default_factory=list)


def create_group(
    session: Session, actor: Person | None, values: GroupValues
) -> WorkingGroup:
    """Start a working group (planned until recruitment or work starts)."""
    _validate(session, values, None)
    group = WorkingGroup(slug=unique_slug(session, WorkingGroup.slug, values.name))
    _apply(group, values)
    session.add(group)
    session.flush()
    log_event(session, actor, "created", group, {}, {"name": group.name})
    return group


def update_group(
    session: Session, actor: Person | None, group: WorkingGroup, values: GroupValues
) -> None:
    """Change a group's fields."""
    _validate(session, values, group.id)
    if values.seats < count_members(session, group):
        raise DomainError(_l("There are more members than seats."), field="seats")
    old_assignments = {a.id for a in group.assignments}
    scalar_values = _scalars(values)
    before, after = activity.changes(group, scalar_values)
    new_assignments = {a.id for a in values.assignments}
    if new_assignments != old_assignments:
        before["assignments"], after["assignments"] = (
            sorted(old_assignments),
            sorted(new_assignments),
        )
        group.assignments = list(values.assignments)
    if after:
        log_event(session, actor, "updated", group, before, after)


def set_state(
    session: Session,
    actor: Person | None,
    group: WorkingGroup,
    state: GroupState,
    now: datetime,
) -> None:
    """Move a group to planned, recruiting, active or closed."""
    if group.state is state:
        return
    needs_deadline = group.recruitment is not RecruitmentMode.INVITED
    if state is GroupState.RECRUITING and needs_deadline and not group.signup_deadline:
        raise DomainError(_l("Set a sign-up deadline before opening recruitment."))
    before = {"state": group.state.value}
    group.state = state
    group.closed_at = now if state is GroupState.CLOSED else None
    log_event(session, actor, "state_changed", group, before, {"state": state.value})


def check_opening(
    recruitment: RecruitmentMode, deadline: date | None, *, today: date
) -> None:
    """Raise unless sign-up of this kind may open now with *deadline*."""
    if recruitment is RecruitmentMode.INVITED:
        raise DomainError(
            _l("This group only takes invited members."), field="recruitment"
        )
    if deadline is None:
        raise DomainError(
            _l("Choose the last day for sign-up."), field="signup_deadline"
        )
    if deadline <= today:
        raise DomainError(
            _l("The sign-up deadline must be a day after today."),
            field="signup_deadline",
        )


def open_signup(
    session: Session,
    actor: Person | None,
    group: WorkingGroup,
    deadline: date | None,
    *,
    today: date,
    now: datetime,
) -> None:
    """Set the sign-up deadline and open recruitment in one step."""
    if group.state is GroupState.RECRUITING:
        raise DomainError(_l("Sign-up is already open."))
    check_opening(group.recruitment, deadline, today=today)
    before, after = activity.changes(group, {"signup_deadline": deadline})
    if after:
        log_event(session, actor, "updated", group, before, after)
    set_state(session, actor, group, GroupState.RECRUITING, now)


def add_member(
    session: Session,
    actor: Person | None,
    group: WorkingGroup,
    person: Person,
    *,
    role: MemberRole = MemberRole.MEMBER,
    today: date,
) -> Membership:
    """Give *person* a seat in *group*."""
    if group.state is GroupState.CLOSED:
        raise DomainError(_l("The working group is closed."))
    if current_membership(session, group, person) is not None:
        raise DomainError(_l("The person is already a member."), field="person")
    if count_members(session, group) >= group.seats:
        raise DomainError(_l("All seats are taken."))
    membership = Membership(group=group, person=person, role=role, joined_on=today)
    session.add(membership)
    log_event(
        session,
        actor,
        "member_added",
        group,
        {},
        {"person": person.name, "role": role.value},
        subject=person,
    )
    return membership


def current_membership(
    session: Session, group: WorkingGroup, person: Person
) -> Membership | None:
    """The person's open membership of the group, if any."""
    return session.scalars(
        select(Membership).where(
            Membership.group_id == group.id,
            Membership.person_id == person.id,
            Membership.left_on.is_(None),
        )
    ).first()


def count_members(session: Session, group: WorkingGroup) -> int:
    """Seats taken now."""
    return (
        session.scalar(
            select(func.count()).where(
                Membership.group_id == group.id, Membership.left_on.is_(None)
            )
        )
        or 0
    )


def lead_standing(session: Session, person: Person, group_id: int) -> tuple[bool, bool]:
    """Whether *person* leads the group now, and whether they ever led it (a closed
    group's leads have left it and may still evaluate it): in one query."""
    led = select(Membership.id).where(
        Membership.group_id == group_id,
        Membership.person_id == person.id,
        Membership.role == MemberRole.LEAD,
    )
    ever, now = session.execute(
        select(led.exists(), led.where(Membership.left_on.is_(None)).exists())
    ).one()
    return bool(now), bool(ever)


def current_members(session: Session, group: WorkingGroup) -> list[Membership]:
    """Open memberships, leads first."""
    statement = (
        select(Membership)
        .where(Membership.group_id == group.id, Membership.left_on.is_(None))
        .options(selectinload(Membership.person))
        .order_by(Membership.role, Membership.joined_on, Membership.id)
    )
    return list(session.scalars(statement))


def list_groups(session: Session) -> list[WorkingGroup]:
    """All groups, the living ones first."""
    order = {GroupState.RECRUITING: 0, GroupState.ACTIVE: 1, GroupState.PLANNED: 2}
    groups = session.scalars(select(WorkingGroup).order_by(WorkingGroup.name)).all()
    return sorted(groups, key=lambda group: order.get(group.state, 3))


@dataclass(frozen=True)
class GroupRow:
    """A line of the group list: the group, its seats taken and its assignments."""

    group: WorkingGroup
    taken: int
    assignments: list[Assignment]

    @property
    def plans(self) -> list[str]:
        """The titles of the plans its assignments belong to, once each."""
        return list(dict.fromkeys(a.plan.title for a in self.assignments))


def list_rows(session: Session) -> list[GroupRow]:
    """The group list with seats taken and assignments, in three queries."""
    found = list_groups(session)
    if found:  # loads assignments and their plans for all groups at once
        session.scalars(
            select(WorkingGroup)
            .where(WorkingGroup.id.in_([g.id for g in found]))
            .options(
                selectinload(WorkingGroup.assignments).selectinload(Assignment.plan)
            )
        ).all()
    taken = dict(
        session.execute(
            select(Membership.group_id, func.count())
            .where(Membership.left_on.is_(None))
            .group_by(Membership.group_id)
        ).all()
    )
    return [
        GroupRow(g, int(taken.get(g.id, 0)), sorted(g.assignments, key=_title))
        for g in found
    ]


def _title(assignment: Assignment) -> str:
    return assignment.title.casefold()


def recruiting(session: Session) -> list[WorkingGroup]:
    """Groups recruiting now, the nearest deadline first."""
    statement = (
        select(WorkingGroup)
        .where(WorkingGroup.state == GroupState.RECRUITING)
        .order_by(WorkingGroup.signup_deadline.is_(None), WorkingGroup.signup_deadline)
    )
    return list(session.scalars(statement))


def groups_of(session: Session, person: Person) -> list[Membership]:
    """The person's current memberships with their groups."""
    statement = (
        select(Membership)
        .where(Membership.person_id == person.id, Membership.left_on.is_(None))
        .options(selectinload(Membership.group))
        .order_by(Membership.joined_on.desc())
    )
    return list(session.scalars(statement))


def _page_scopes() -> CompoundSelect[tuple[str]]:
    group_id = select(WorkingGroup.id).where(WorkingGroup.slug == bindparam("slug"))
    return union_all(
        select(literal("group:") + cast(group_id.scalar_subquery(), String)),
        select(
            literal("assignment:") + cast(group_assignments.c.assignment_id, String)
        ).where(group_assignments.c.group_id.in_(group_id)),
    )


# The scopes of the page of the group with the parameter "slug" (tracker.stamps): its
# own, and each of its assignments' (the page shows their titles). Built once: a
# statement made anew for each request costs more than its query.
PAGE_SCOPES = _page_scopes()


def get_by_slug(session: Session, slug: str) -> WorkingGroup | None:
    """The group with *slug*, if any."""
    return session.scalars(
        select(WorkingGroup).where(WorkingGroup.slug == slug)
    ).one_or_none()


def _validate(session: Session, values: GroupValues, current_id: int | None) -> None:
    if values.seats < 1:
        raise DomainError(_l("A group needs at least one seat."), field="seats")
    if values.starts_on and values.ends_on and values.ends_on < values.starts_on:
        raise DomainError(
            _l("The end date must not be before the start date."), field="ends_on"
        )
    clash = session.scalar(
        select(WorkingGroup.id).where(
            func.lower(WorkingGroup.name) == values.name.strip().lower(),
            WorkingGroup.id != (current_id or -1),
        )
    )
    if clash is not None:
        raise DomainError(
            _l("A working group with this name already exists."), field="name"
        )


def _scalars(values: GroupValues) -> dict[str, Any]:
    return {
        "name": values.name.strip(),
        "purpose": values.purpose,
        "mandate": values.mandate,
        "ambition": values.ambition,
        "follow_up": values.follow_up,
        "starts_on": values.starts_on,
        "ends_on": values.ends_on,
        "seats": values.seats,
        "recruitment": values.recruitment,
        "signup_deadline": values.signup_deadline,
    }


def _apply(group: WorkingGroup, values: GroupValues) -> None:
    for name, value in _scalars(values).items():
        setattr(group, name, value)
    group.assignments = list(values.assignments)


def log_event(
    session: Session,
    actor: Person | None,
    verb: str,
    group: WorkingGroup,
    before: dict[str, Any],
    after: dict[str, Any],
    *,
    subject: Person | None = None,
) -> None:
    """Record a change to *group* in the activity log, under its plan if it has one."""
    session.flush()
    plan_ids = {a.plan_id for a in group.assignments}
    activity.record(
        session,
        actor,
        verb,
        group,
        before=before or None,
        after=after or None,
        group_id=group.id,
        plan_id=plan_ids.pop() if len(plan_ids) == 1 else None,
        subject=subject,
    )
