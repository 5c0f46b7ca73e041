"""When a digest may be published, and its facts brought up to that moment."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.digests import Digest, DigestState
from tracker.models.people import Person
from tracker.services.digest import drafts
from tracker.services.digest.months import Month, swedish_date


def month_ended(digest: Digest, now: datetime) -> bool:
    """Whether the digest's month is over (in Stockholm)."""
    return now >= Month.parse(digest.period).next.start


def check_may_publish(digest: Digest, now: datetime, *, freeze_early: bool) -> None:
    """Refuse a month still running unless the caller chose to freeze it early."""
    if digest.state is DigestState.PUBLISHED or month_ended(digest, now):
        return
    if not freeze_early:
        month = Month.parse(digest.period)
        raise DomainError(
            _l(
                "%(month)s has not ended. Publishing now freezes the facts as of "
                "today, before the month is over, and they are never completed. "
                "Choose that explicitly, or publish from %(first)s.",
                month=month.label,
                first=swedish_date(month.next.first_day),
            )
        )


def freeze(
    session: Session,
    actor: Person | None,
    digest: Digest,
    *,
    now: datetime,
    public_url: str,
) -> None:
    """Facts as of publication where nobody edited them; partial ones completed.

    An early draft of an ended month gets the whole month. Facts nobody edited
    are refreshed, so open calls show their state when the digest goes out.
    Facts a communicator edited are theirs: left exactly as previewed.
    """
    partial = bool(digest.facts.get("partial"))
    if (partial and month_ended(digest, now)) or drafts.facts_untouched(
        session, digest
    ):
        drafts.refresh_facts(session, actor, digest, now=now, public_url=public_url)
