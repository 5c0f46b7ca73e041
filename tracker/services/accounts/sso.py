"""Single sign-on: the person whom an identity provider's claims belong to.

The first login links the identity (its "sub") to the person with the same verified
e-mail address, or creates one; later logins find the person by the link alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.people import Person, Role
from tracker.services import people

# With several mapped roles in the claim, the first of these wins
ROLE_ORDER = (Role.ADMIN, Role.LEADERSHIP, Role.COMMUNICATOR)


@dataclass(frozen=True)
class SsoSettings:
    """The [OIDC] keys that decide who someone is here and what they may do."""

    role_claim: str = ""
    role_map: Mapping[str, str] = field(default_factory=dict)
    verified_claim: str = "email_verified"


def person_for_claims(
    session: Session, claims: Mapping[str, Any], settings: SsoSettings
) -> Person:
    """The person the provider vouched for, linked or created; their role updated."""
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject or len(subject) > 255:
        raise DomainError(
            _l("The sign-in service sent an answer that cannot be used."),
            field="invalid",
        )
    person = session.scalars(
        select(Person).where(Person.oidc_subject == subject)
    ).first()
    if person is None:
        person = _link_or_create(session, claims, subject, settings)
    if not person.active or person.external:
        raise _switched_off()
    if settings.role_claim:
        people.set_role(session, None, person, role_from(claims, settings))
    session.flush()
    return person


def role_from(claims: Mapping[str, Any], settings: SsoSettings) -> Role:
    """The highest role the claim's values map to; staff when none does."""
    values = claims.get(settings.role_claim)
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, list):
        return Role.STAFF
    mapped = {
        Role(settings.role_map[value])
        for value in values
        if isinstance(value, str) and value in settings.role_map
    }
    return next((role for role in ROLE_ORDER if role in mapped), Role.STAFF)


def _link_or_create(
    session: Session, claims: Mapping[str, Any], subject: str, settings: SsoSettings
) -> Person:
    email = claims.get("email")
    verified = claims.get(settings.verified_claim) in (True, "true", "True", "1")
    if not isinstance(email, str) or "@" not in email or not verified:
        raise DomainError(
            _l(
                "Your organisation account has no verified e-mail address, so it "
                "cannot be linked to a login here. Ask an administrator."
            ),
            field="unverified",
        )
    person = people.find_by_email(session, email)
    if person is None:
        name = claims.get("name")
        display = name.strip() if isinstance(name, str) and name.strip() else email
        person = people.create_person(
            session, None, people.PersonValues(name=display[:200], email=email)
        )
    elif not person.active:
        raise _switched_off()
    elif person.oidc_subject is not None or person.external:
        # another identity owns this address (or it is a citizen's): never take over
        raise DomainError(
            _l(
                "This e-mail address belongs to another login here. Ask an "
                "administrator."
            ),
            field="refused",
        )
    person.oidc_subject = subject
    person.login_enabled = True
    return person


def _switched_off() -> DomainError:
    return DomainError(
        _l("Your login is switched off. Ask an administrator if you need it."),
        field="refused",
    )
