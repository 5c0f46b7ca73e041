"""Whose name may appear in what is published: the digest, the blog, public pages."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from tracker.clock import today
from tracker.errors import DomainError
from tracker.models.people import Person
from tracker.services import activity


def may_publish_name(person: Person) -> bool:
    """Staff unless they opted out in their profile; external participants only
    with a consent to publication that leadership recorded."""
    if person.digest_opt_out:
        return False
    if person.external:
        return person.publication_consent_on is not None
    return True


def explain(person: Person) -> dict[str, Any]:
    """The person's publication choice, for their export."""
    return {
        "may_be_named": may_publish_name(person),
        "external_participant": person.external,
        "left_out_by_own_choice": person.digest_opt_out,
        "publication_consent_on": person.publication_consent_on.isoformat()
        if person.publication_consent_on
        else None,
    }


def record_publication_consent(
    session: Session, actor: Person | None, person: Person, given_on: date | None
) -> None:
    """Record (a date) or withdraw (None) an external participant's consent."""
    if not person.external:
        raise DomainError(
            _l("Staff choose this themselves in their profile."), field="consent"
        )
    if given_on is not None and given_on > today():
        raise DomainError(_l("The date cannot be in the future."), field="given_on")
    before, after = activity.changes(person, {"publication_consent_on": given_on})
    if after:
        activity.record(session, actor, "updated", person, before=before, after=after)
