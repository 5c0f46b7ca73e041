"""Freed seats: ending a membership, and who moves up (the waitlist or the
replacement order of the confirmed selection). Applications, groups' views and the
selection all use this module; it uses only models, activity, groups and mail.
"""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.clock import now
from tracker.errors import DomainError
from tracker.models.applications import Application, ApplicationStatus, SelectionRun
from tracker.models.groups import Membership, RecruitmentMode, WorkingGroup
from tracker.models.people import Person
from tracker.services import activity, groups, mail


def remove_member(
    session: Session, actor: Person | None, membership: Membership, *, today: date
) -> None:
    """End a membership (the row stays for history) and give the seat onwards."""
    if membership.left_on is not None:
        raise DomainError(_l("The person has already left the group."))
    membership.left_on = today
    groups.log_event(
        session,
        actor,
        "member_left",
        membership.group,
        {"person": membership.person.name},
        {},
        subject=membership.person,
    )
    fill_vacancy(session, actor, membership.group, today=today)


def fill_vacancy(
    session: Session, actor: Person | None, group: WorkingGroup, *, today: date
) -> Application | None:
    """Give a freed seat to the first waitlisted or the next replacement."""
    if groups.count_members(session, group) >= group.seats:
        return None
    if group.recruitment is RecruitmentMode.FIRST_COME:
        nxt = _first_waitlisted(session, group)
    elif group.recruitment is RecruitmentMode.OPEN_CALL:
        nxt = _next_replacement(session, group)
    else:
        return None
    if nxt is None or nxt.person is None:
        return None
    groups.add_member(session, actor, group, nxt.person, today=today)
    before = nxt.status
    nxt.status = (
        ApplicationStatus.MEMBER
        if group.recruitment is RecruitmentMode.FIRST_COME
        else ApplicationStatus.SELECTED
    )
    nxt.decided_at = now()
    activity.record(
        session,
        actor,
        "moved_up",
        nxt,
        before={"status": before.value},
        after={"status": nxt.status.value},
        group_id=group.id,
        label=group.name,
    )
    notify(
        session,
        nxt.person,
        _("You have a seat in %(group)s", group=group.name),
        _(
            "A seat became free in %(group)s and it is yours. Welcome!",
            group=group.name,
        ),
        about=nxt,
    )
    return nxt


def replacement_order(session: Session, group: WorkingGroup) -> list[int]:
    """Application ids in the confirmed replacement order (empty before confirming)."""
    run = session.scalars(
        select(SelectionRun)
        .where(
            SelectionRun.group_id == group.id, SelectionRun.confirmed_at.is_not(None)
        )
        .order_by(SelectionRun.id.desc())
    ).first()
    return list(run.proposal["replacement_order"]) if run else []


def notify(
    session: Session,
    person: Person | None,
    subject: str,
    body: str,
    *,
    about: Application | None = None,
) -> None:
    """Queue an e-mail to *person* about *about* when they have an address."""
    if person is not None and person.email:
        session.flush()  # the application's id
        mail.queue(
            session,
            to=[person.email],
            subject=subject,
            body=body,
            person_id=person.id,
            application_id=about.id if about is not None else None,
        )


def _first_waitlisted(session: Session, group: WorkingGroup) -> Application | None:
    return session.scalars(
        select(Application)
        .where(
            Application.group_id == group.id,
            Application.status == ApplicationStatus.WAITLISTED,
        )
        .order_by(Application.position, Application.id)
    ).first()


def _next_replacement(session: Session, group: WorkingGroup) -> Application | None:
    for application_id in replacement_order(session, group):
        application = session.get(Application, application_id)
        if (
            application is not None
            and application.status is ApplicationStatus.NOT_SELECTED
            and application.person is not None
            and application.person.active
            and groups.current_membership(session, group, application.person) is None
        ):
            return application
    return None
