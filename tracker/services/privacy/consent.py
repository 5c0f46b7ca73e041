"""Whose name may appear in what is published: the digest, the blog, public pages."""

from __future__ import annotations

from typing import Any

from tracker.models.people import Person


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
