"""Applying to open calls, first-come sign-ups with a waitlist, filling vacancies."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from tracker.clock import now
from tracker.errors import DomainError
from tracker.models.applications import Application, ApplicationStatus
from tracker.models.groups import GroupState, RecruitmentMode, WorkingGroup
from tracker.models.people import Competence, Department, Person
from tracker.services import activity, groups
from tracker.services.recruitment import seats

STATUS_LABELS: dict[ApplicationStatus, Any] = {
    ApplicationStatus.SUBMITTED: _l("Submitted"),
    ApplicationStatus.WITHDRAWN: _l("Withdrawn"),
    ApplicationStatus.SELECTED: _l("Selected"),
    ApplicationStatus.NOT_SELECTED: _l("Not selected"),
    ApplicationStatus.WAITLISTED: _l("On the waitlist"),
    ApplicationStatus.MEMBER: _l("Got a seat"),
    ApplicationStatus.INVITED: _l("Invited"),
    ApplicationStatus.ACCEPTED: _l("Accepted"),
    ApplicationStatus.DECLINED: _l("Declined"),
}
EDITABLE = {ApplicationStatus.SUBMITTED}
WITHDRAWABLE = {
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.MEMBER,
}


@dataclass
class ApplicationValues:
    """What an applicant declares: department, competences, experience, motivation."""

    department: Department | None
    competences: Sequence[Competence] = field(default_factory=list)
    former_departments: Sequence[Department] = field(default_factory=list)
    years_experience: int | None = None
    motivation: str = ""


def status_label(status: ApplicationStatus) -> str:
    """The reader's-language name of a status."""
    return str(STATUS_LABELS[status])


def apply(
    session: Session,
    group: WorkingGroup,
    person: Person,
    values: ApplicationValues,
    *,
    today: date,
) -> Application:
    """Apply to an open call (or sign up to a first-come group) before the deadline."""
    _lock(session, group)
    check_open(group, today)
    _check_values(values, motivation_required=_is_open_call(group))
    application = find(session, group, person)
    if application is None:
        application = Application(group=group, person=person)
        session.add(application)
    elif application.status is ApplicationStatus.WITHDRAWN:
        # applying again after withdrawing: the same row, sent anew (one per person)
        application.status = ApplicationStatus.SUBMITTED
        application.decided_at = None
        application.position = None
        application.created_at = now()
    else:
        raise DomainError(_l("You have already applied to this group."))
    _snapshot(application, values)
    _send(session, application, today)
    return application


def update_application(
    session: Session,
    application: Application,
    values: ApplicationValues,
    *,
    today: date,
) -> None:
    """Change a submitted application before the deadline."""
    check_open(application.group, today)
    if application.status not in EDITABLE:
        raise DomainError(_l("This application can no longer be changed."))
    _check_values(values, motivation_required=_is_open_call(application.group))
    _snapshot(application, values)
    session.flush()
    activity.record(
        session,
        application.person,
        "application_changed",
        application,
        group_id=application.group_id,
        label=application.group.name,
    )


def withdraw(session: Session, application: Application, *, today: date) -> None:
    """Withdraw an application; a first-come seat is given to the next in line."""
    if application.status not in WITHDRAWABLE:
        raise DomainError(_l("This application can no longer be withdrawn."))
    group = application.group
    if application.status is ApplicationStatus.SUBMITTED:
        check_open(group, today)
    before = application.status
    application.status = ApplicationStatus.WITHDRAWN
    application.decided_at = now()
    session.flush()
    if before is ApplicationStatus.MEMBER and application.person is not None:
        membership = groups.current_membership(session, group, application.person)
        if membership is not None:
            seats.remove_member(session, application.person, membership, today=today)
    activity.record(
        session,
        application.person,
        "withdrawn",
        application,
        before={"status": before.value},
        after={"status": "withdrawn"},
        group_id=group.id,
        label=group.name,
    )


def undo_withdrawal(session: Session, application: Application, *, today: date) -> bool:
    """Send a withdrawn application anew, answers intact, until the deadline.

    A first-come seat given onwards stays with its new holder: the applicant
    queues again as a new sign-up would. Returns False when there was nothing
    to undo (the application is not withdrawn, e.g. the same undo posted twice).
    """
    group = application.group
    _lock(session, group)
    session.refresh(application, ["status"])  # a concurrent undo already done
    if application.status is not ApplicationStatus.WITHDRAWN:
        return False
    try:
        check_open(group, today)
    except DomainError as error:
        raise DomainError(
            _l("The withdrawal can no longer be undone: %(reason)s", reason=error)
        ) from error
    application.status = ApplicationStatus.SUBMITTED
    application.decided_at = None
    # sent anew: the same event as applying again
    _send(session, application, today, before={"status": "withdrawn"})
    return True


def _send(
    session: Session,
    application: Application,
    today: date,
    *,
    before: dict[str, str] | None = None,
) -> None:
    """Seat or queue a submitted application (first come), log it, confirm by mail."""
    group = application.group
    if group.recruitment is RecruitmentMode.FIRST_COME:
        _seat_or_waitlist(session, application, today)
    else:
        session.flush()
    activity.record(
        session,
        application.person,
        "applied",
        application,
        before=before,
        after={"status": application.status.value},
        group_id=group.id,
        label=group.name,
    )
    _mail_received(session, application)


def check_open(group: WorkingGroup, today: date) -> None:
    """Raise unless *group* takes applications today."""
    if group.recruitment is RecruitmentMode.INVITED:
        raise DomainError(_l("This group only takes invited members."))
    if group.state is not GroupState.RECRUITING:
        raise DomainError(_l("This group is not taking applications."))
    if group.signup_deadline is not None and today > group.signup_deadline:
        raise DomainError(_l("The deadline for applications has passed."))


def find(session: Session, group: WorkingGroup, person: Person) -> Application | None:
    """The person's application to the group, if any."""
    return session.scalars(
        select(Application).where(
            Application.group_id == group.id, Application.person_id == person.id
        )
    ).one_or_none()


def applications_of(session: Session, person: Person) -> list[Application]:
    """The person's applications, newest first."""
    return list(
        session.scalars(
            select(Application)
            .where(Application.person_id == person.id)
            .options(joinedload(Application.group))  # every row shows its group
            .order_by(Application.created_at.desc(), Application.id.desc())
        )
    )


def applications_to(
    session: Session, group: WorkingGroup, statuses: Sequence[ApplicationStatus] = ()
) -> list[Application]:
    """The group's applications in order of arrival, optionally of some statuses."""
    statement = select(Application).where(Application.group_id == group.id)
    if statuses:
        statement = statement.where(Application.status.in_(list(statuses)))
    return list(
        session.scalars(statement.order_by(Application.position, Application.id))
    )


# Applications a group has received: everything but withdrawals and invitations
RECEIVED = (
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.SELECTED,
    ApplicationStatus.NOT_SELECTED,
    ApplicationStatus.WAITLISTED,
    ApplicationStatus.MEMBER,
)


def received_counts(session: Session, group_ids: Sequence[int]) -> dict[int, int]:
    """How many applications each group has received: the figure everyone may see."""
    rows = session.execute(
        select(Application.group_id, func.count())
        .where(Application.group_id.in_(group_ids), Application.status.in_(RECEIVED))
        .group_by(Application.group_id)
    )
    return {group_id: count for group_id, count in rows}


def waitlist_rank(session: Session, application: Application) -> int:
    """1 for the first on the group's waitlist."""
    return (
        session.scalar(
            select(func.count()).where(
                Application.group_id == application.group_id,
                Application.status == ApplicationStatus.WAITLISTED,
                Application.position <= (application.position or 0),
            )
        )
        or 0
    )


@dataclass(frozen=True)
class MyRow:
    """One of my applications on Mina sidor, with what I may do with it."""

    application: Application
    status: str
    can_edit: bool
    can_withdraw: bool
    can_undo: bool
    invited: bool
    waitlist_rank: int | None


def my_rows(
    session: Session, person: Person, *, today: date | None = None
) -> list[MyRow]:
    """My applications, sign-ups and invitations with their status and actions."""
    from tracker.clock import today as clock_today

    day = today or clock_today()
    return [_my_row(session, a, day) for a in applications_of(session, person)]


def _my_row(session: Session, a: Application, day: date) -> MyRow:
    open_now = _takes_changes(a.group, day)
    return MyRow(
        application=a,
        status=status_label(a.status),
        can_edit=a.status in EDITABLE and open_now,
        can_withdraw=a.status in WITHDRAWABLE
        and (open_now or a.status is not ApplicationStatus.SUBMITTED),
        can_undo=a.status is ApplicationStatus.WITHDRAWN and open_now,
        invited=a.status is ApplicationStatus.INVITED,
        waitlist_rank=waitlist_rank(session, a)
        if a.status is ApplicationStatus.WAITLISTED
        else None,
    )


def signup_state(
    session: Session, group: WorkingGroup, person: Person, *, today: date
) -> tuple[bool, MyRow | None]:
    """Whether *person* may apply to *group* now, and their application if any."""
    application = find(session, group, person)
    open_now = _takes_changes(group, today)
    if application is None:
        return open_now, None
    if application.status is ApplicationStatus.WITHDRAWN:
        return open_now, _my_row(session, application, today)
    return False, _my_row(session, application, today)


def _takes_changes(group: WorkingGroup, day: date) -> bool:
    try:
        check_open(group, day)
    except DomainError:
        return False
    return True


def _lock(session: Session, group: WorkingGroup) -> None:
    # Serialise sign-ups to one group: PostgreSQL locks the row; SQLite's
    # BEGIN IMMEDIATE already holds the database's write lock.
    session.execute(
        select(WorkingGroup.id).where(WorkingGroup.id == group.id).with_for_update()
    )


def _seat_or_waitlist(session: Session, application: Application, today: date) -> None:
    group = application.group
    last = session.scalar(
        select(func.max(Application.position)).where(Application.group_id == group.id)
    )
    application.position = (last or 0) + 1
    session.flush()
    if groups.count_members(session, group) < group.seats and application.person:
        groups.add_member(session, None, group, application.person, today=today)
        application.status = ApplicationStatus.MEMBER
        application.decided_at = now()
    else:
        application.status = ApplicationStatus.WAITLISTED


def _check_values(values: ApplicationValues, *, motivation_required: bool) -> None:
    if values.department is None:
        raise DomainError(_l("Choose your department."), field="department_id")
    if values.years_experience is not None and not 0 <= values.years_experience <= 70:
        raise DomainError(
            _l("Years of experience must be between 0 and 70."),
            field="years_experience",
        )
    if motivation_required and not values.motivation.strip():
        raise DomainError(_l("Write a short motivation."), field="motivation")


def _snapshot(application: Application, values: ApplicationValues) -> None:
    application.department = values.department.name if values.department else ""
    application.former_departments = sorted(
        {d.name for d in values.former_departments} - {application.department}
    )
    application.competences = sorted({c.name for c in values.competences})
    application.years_experience = values.years_experience
    application.motivation = values.motivation.strip()


def _is_open_call(group: WorkingGroup) -> bool:
    return group.recruitment is RecruitmentMode.OPEN_CALL


def _mail_received(session: Session, application: Application) -> None:
    group = application.group
    if application.status is ApplicationStatus.MEMBER:
        body = _("You signed up and have a seat in %(group)s.", group=group.name)
    elif application.status is ApplicationStatus.WAITLISTED:
        body = _(
            "You signed up for %(group)s. All seats are taken, so you are number "
            "%(n)s on the waitlist; you will be told if you move up.",
            group=group.name,
            n=waitlist_rank(session, application),
        )
    else:
        body = _(
            "We have received your application to %(group)s. You can change or "
            "withdraw it under My pages until the deadline.",
            group=group.name,
        )
    subject = _("Your application to %(group)s", group=group.name)
    seats.notify(session, application.person, subject, body, about=application)
