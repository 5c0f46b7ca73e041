"""Invitations: leadership asks named people; they accept (a seat) or decline."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from tracker.clock import now
from tracker.errors import DomainError
from tracker.models.applications import Application, ApplicationStatus
from tracker.models.groups import GroupState, Membership, WorkingGroup
from tracker.models.people import Competence, Person
from tracker.services import activity, groups
from tracker.services.recruitment import applications, seats


def invite(
    session: Session,
    actor: Person | None,
    group: WorkingGroup,
    person: Person,
    *,
    message: str = "",
) -> Application:
    """Invite *person* to *group* and tell them by e-mail."""
    if group.state is GroupState.CLOSED:
        raise DomainError(_l("The working group is closed."))
    if applications.find(session, group, person) is not None:
        raise DomainError(_l("The person has already applied or been invited."))
    if groups.current_membership(session, group, person) is not None:
        raise DomainError(_l("The person is already a member."), field="person")
    invitation = Application(
        group=group,
        person=person,
        status=ApplicationStatus.INVITED,
        department=person.department.name if person.department else "",
        competences=sorted(c.name for c in person.competences),
        years_experience=person.years_experience,
        motivation=message.strip(),
    )
    session.add(invitation)
    session.flush()
    activity.record(
        session,
        actor,
        "invited",
        invitation,
        after={"person": person.name},
        group_id=group.id,
        label=group.name,
    )
    seats.notify(
        session,
        person,
        _("Invitation to %(group)s", group=group.name),
        _(
            "You are invited to join %(group)s. Accept or decline under My pages.",
            group=group.name,
        )
        + ("\n\n" + message.strip() if message.strip() else ""),
        about=invitation,
    )
    return invitation


def answer(
    session: Session, invitation: Application, *, accept: bool, today: date
) -> None:
    """Accept (take a seat) or decline an invitation."""
    if invitation.status is not ApplicationStatus.INVITED or invitation.person is None:
        raise DomainError(_l("This invitation has already been answered."))
    if accept:
        groups.add_member(
            session, invitation.person, invitation.group, invitation.person, today=today
        )
    invitation.status = (
        ApplicationStatus.ACCEPTED if accept else ApplicationStatus.DECLINED
    )
    invitation.decided_at = now()
    session.flush()
    activity.record(
        session,
        invitation.person,
        "invitation_accepted" if accept else "invitation_declined",
        invitation,
        group_id=invitation.group_id,
        label=invitation.group.name,
    )


def find_invitees(
    session: Session,
    group: WorkingGroup,
    *,
    department_id: int | None = None,
    competence_id: int | None = None,
    limit: int = 50,
) -> list[Person]:
    """Active people of a department and with a competence who could be invited:
    not members, not already applied or invited. Nobody without a filter."""
    if department_id is None and competence_id is None:
        return []
    asked = select(Application.person_id).where(
        Application.group_id == group.id, Application.person_id.is_not(None)
    )
    seated = select(Membership.person_id).where(
        Membership.group_id == group.id, Membership.left_on.is_(None)
    )
    statement = (
        select(Person)
        .where(
            Person.active.is_(True), Person.id.not_in(asked), Person.id.not_in(seated)
        )
        .options(selectinload(Person.competences), selectinload(Person.department))
        .order_by(Person.name)
        .limit(limit)
    )
    if department_id is not None:
        statement = statement.where(Person.department_id == department_id)
    if competence_id is not None:
        statement = statement.where(
            Person.competences.any(Competence.id == competence_id)
        )
    return list(session.scalars(statement))
