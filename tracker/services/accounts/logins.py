"""The admins' logins: new ones with an invitation, people already in the register,
switching a login off and on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, or_, select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.accounts import LoginSession
from tracker.models.people import Person, Role
from tracker.services import activity, people
from tracker.services.accounts.links import LinkSettings, invite


@dataclass(frozen=True)
class LoginRow:
    """A login on the admins' list, with what can be done to it."""

    person: Person
    status: Any  # a lazy Swedish text
    can_invite: bool


@dataclass(frozen=True)
class Candidate:
    """Someone in the register who may be the person a new login is meant for."""

    person: Person
    offer: bool  # may be given the login
    note: Any


def list_logins(session: Session) -> list[LoginRow]:
    """Every login, switched-off ones included, by name."""
    statement = select(Person).where(Person.login_enabled.is_(True))
    return [
        _row(p) for p in session.scalars(statement.order_by(Person.name, Person.id))
    ]


def _row(person: Person) -> LoginRow:
    waiting = person.password_hash is None and person.oidc_subject is None
    if not person.active:
        status = _l("Switched off")
    elif waiting:
        status = _l("Invited, has not chosen a password yet")
    elif person.password_hash is None:
        status = _l("Active, organisation account")
    else:
        status = _l("Active")
    return LoginRow(person, status, can_invite=person.active)


def candidates(session: Session, name: str, email: str | None) -> list[Candidate]:
    """People already in the register with this name or e-mail address."""
    conditions = [func.lower(Person.name) == name.strip().lower()]
    if email and email.strip():
        conditions.append(func.lower(Person.email) == email.strip().lower())
    statement = select(Person).where(or_(*conditions)).order_by(Person.name, Person.id)
    return [_candidate(p) for p in session.scalars(statement.limit(10))]


def _candidate(person: Person) -> Candidate:
    if person.external:
        return Candidate(person, False, _l("external participant: gets no login"))
    if person.login_enabled:
        return Candidate(person, False, _l("already has a login"))
    if not person.active:
        return Candidate(person, False, _l("no longer active"))
    return Candidate(person, True, "")


def create_login(
    session: Session,
    actor: Person,
    values: people.PersonValues,
    role: Role,
    settings: LinkSettings,
) -> Person:
    """Add a person with a login and send their invitation."""
    if not (values.email or "").strip():
        raise DomainError(
            _l("A login needs an e-mail address for its invitation."), field="email"
        )
    person = people.create_person(session, actor, values, role=role)
    person.login_enabled = True
    invite(session, person, settings)
    return person


def grant_login(
    session: Session, actor: Person, person: Person, role: Role, settings: LinkSettings
) -> None:
    """Give a person already in the register a login, and send their invitation."""
    candidate = _candidate(person)
    if not candidate.offer or not person.email:
        raise DomainError(
            _l(
                "%(name)s cannot get a login: %(why)s.",
                name=person.name,
                why=str(candidate.note or _l("no e-mail address")),
            )
        )
    person.login_enabled = True
    people.set_role(session, actor, person, role)
    activity.record(session, actor, "login_granted", person)
    invite(session, person, settings)


def send_invitation(session: Session, person: Person, settings: LinkSettings) -> None:
    """Send a login's invitation again (a new link; the old one still works)."""
    if not person.has_login:
        raise DomainError(_l("This login is switched off."))
    invite(session, person, settings)


def switch_off(session: Session, actor: Person, person: Person) -> None:
    """Switch a login off: it cannot log in and every session of it ends at once."""
    if person.id == actor.id:
        raise DomainError(_l("You cannot switch off your own login."))
    if person.active:
        person.active = False
        people.end_all_sessions(person)
        session.execute(delete(LoginSession).where(LoginSession.person_id == person.id))
        activity.record(session, actor, "login_switched_off", person)


def switch_on(session: Session, actor: Person, person: Person) -> None:
    """Let a switched-off login log in again (with a new session)."""
    if not person.active:
        person.active = True
        activity.record(session, actor, "login_switched_on", person)
