"""People, logins and profiles."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.db import contains
from tracker.errors import DomainError
from tracker.models.people import Competence, Department, Person, Role
from tracker.services import activity

MIN_PASSWORD_LENGTH = 8
TermT = TypeVar("TermT", Department, Competence)


@dataclass
class PersonValues:
    """The fields of a person's profile."""

    name: str
    email: str | None = None
    department: Department | None = None
    competences: Sequence[Competence] = field(default_factory=list)
    years_experience: int | None = None
    trello_username: str | None = None
    digest_opt_out: bool = False


def create_person(
    session: Session,
    actor: Person | None,
    values: PersonValues,
    *,
    role: Role = Role.STAFF,
    password: str | None = None,
    external: bool = False,
    consent_on: date | None = None,
    consent_note: str = "",
    publication_consent_on: date | None = None,
) -> Person:
    """Add a person; externals need their consent recorded and get no login."""
    if external and consent_on is None:
        raise DomainError(
            _l("Record the date of the person's consent."), field="consent_on"
        )
    person = Person(
        role=role,
        external=external,
        consent_on=consent_on,
        consent_note=consent_note,
        publication_consent_on=publication_consent_on if external else None,
    )
    _apply(session, person, values)
    if password is not None and not external:
        set_password(person, password)
    session.add(person)
    session.flush()
    activity.record(session, actor, "created", person, after={"name": person.name})
    return person


def update_profile(
    session: Session, actor: Person | None, person: Person, values: PersonValues
) -> None:
    """Change a person's profile."""
    before = _snapshot(person)
    _apply(session, person, values)
    after = _snapshot(person)
    changed = {k for k in after if before[k] != after[k]}
    if changed:
        session.flush()
        activity.record(
            session,
            actor,
            "updated",
            person,
            before={k: before[k] for k in changed},
            after={k: after[k] for k in changed},
        )


def set_role(
    session: Session, actor: Person | None, person: Person, role: Role
) -> None:
    """Give a login another role (admins)."""
    if person.role is not role:
        old = person.role
        person.role = role
        end_all_sessions(person)  # a stolen cookie must not keep the old rights
        activity.record(
            session,
            actor,
            "role_changed",
            person,
            before={"role": old.value},
            after={"role": role.value},
        )


def set_password(person: Person, password: str, *, enforce_length: bool = True) -> None:
    """Hash and store a new password (the demo command alone skips the length rule)."""
    if enforce_length and len(password) < MIN_PASSWORD_LENGTH:
        raise DomainError(
            _l(
                "The password must be at least %(n)d characters.", n=MIN_PASSWORD_LENGTH
            ),
            field="password",
        )
    person.password_hash = generate_password_hash(password)
    person.login_enabled = True  # a password is a login
    end_all_sessions(person)


def end_all_sessions(person: Person) -> None:
    """End every session of *person*: the login id their cookies carry goes stale."""
    person.session_generation = (person.session_generation or 1) + 1


def change_password(person: Person, current: str, new: str) -> None:
    """Change one's own password after checking the current one."""
    if not person.password_hash or not check_password_hash(
        person.password_hash, current
    ):
        raise DomainError(_l("The current password is wrong."), field="current")
    set_password(person, new)


def find_by_email(session: Session, email: str) -> Person | None:
    """The person with this e-mail address (case-insensitive)."""
    return session.scalars(
        select(Person).where(func.lower(Person.email) == email.strip().lower())
    ).first()


def resolve(session: Session, text: str) -> Person:
    """The one active person whose e-mail address or full name is *text*."""
    text = text.strip()
    found = find_by_email(session, text) if "@" in text else None
    if found is None:
        matches = session.scalars(
            select(Person)
            .where(func.lower(Person.name) == text.lower(), Person.active.is_(True))
            .limit(2)
        ).all()
        if len(matches) > 1:
            raise DomainError(
                _l("Several people have that name; use the e-mail address.")
            )
        found = matches[0] if matches else None
    if found is None or not found.active:
        raise DomainError(_l("Nobody with that name or e-mail address was found."))
    return found


def directory(
    session: Session, *, query: str = "", department_id: int | None = None
) -> list[Person]:
    """People for the directory, filtered by name and department."""
    statement = (
        select(Person)
        .where(Person.active.is_(True))
        .options(selectinload(Person.competences))
        .order_by(Person.name)
    )
    if query:
        statement = statement.where(Person.name.ilike(contains(query), escape="\\"))
    if department_id:
        statement = statement.where(Person.department_id == department_id)
    return list(session.scalars(statement))


def list_departments(session: Session) -> list[Department]:
    """The department vocabulary."""
    return list(session.scalars(select(Department).order_by(Department.name)))


def list_competences(session: Session) -> list[Competence]:
    """The competence vocabulary."""
    return list(session.scalars(select(Competence).order_by(Competence.name)))


def add_term(
    session: Session, model: type[Department] | type[Competence], name: str
) -> None:
    """Add a department or competence, refusing duplicates."""
    name = name.strip()
    clash = session.scalar(
        select(model.id).where(func.lower(model.name) == name.lower())
    )
    if clash is not None:
        raise DomainError(_l("This name already exists."), field="name")
    session.add(model(name=name))
    session.flush()


def get_or_create_term(session: Session, model: type[TermT], name: str) -> TermT:
    """Find a vocabulary term by name, creating it when missing."""
    term = session.scalars(select(model).where(model.name == name)).first()
    if term is None:
        term = model(name=name)
        session.add(term)
        session.flush()
    return term


def _apply(session: Session, person: Person, values: PersonValues) -> None:
    email = (values.email or "").strip().lower() or None
    if email is not None:
        clash = session.scalar(
            select(Person.id).where(
                func.lower(Person.email) == email, Person.id != (person.id or -1)
            )
        )
        if clash is not None:
            raise DomainError(
                _l("Another person already has this e-mail address."), field="email"
            )
    if values.years_experience is not None and not 0 <= values.years_experience <= 60:
        raise DomainError(
            _l("Years of experience must be between 0 and 60."),
            field="years_experience",
        )
    person.name = values.name.strip()
    person.email = email
    person.department = values.department
    person.competences = list(values.competences)
    person.years_experience = values.years_experience
    person.trello_username = (values.trello_username or "").strip().lstrip("@") or None
    person.digest_opt_out = values.digest_opt_out


def _snapshot(person: Person) -> dict[str, object]:
    return {
        "name": person.name,
        "email": person.email,
        "department": person.department.name if person.department else None,
        "competences": [c.name for c in person.competences],
        "years_experience": person.years_experience,
        "trello_username": person.trello_username,
        "digest_opt_out": person.digest_opt_out,
    }
