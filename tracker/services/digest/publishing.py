"""Publishing a digest: freeze it, then deliver it to the blog, WordPress and
e-mail (deliveries.py does each one exactly once); the automatic publication."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.digests import (
    Digest,
    DigestState,
    Publication,
    PublicationTarget,
)
from tracker.models.people import Person
from tracker.services import activity
from tracker.services.digest import drafts as digests
from tracker.services.digest import freezing
from tracker.services.digest.deliveries import (
    Attempt,
    Checkpoint,
    PublishSettings,
    deliver_one,
)
from tracker.services.digest.months import Month


def publish(
    session: Session,
    actor: Person | None,
    digest: Digest,
    *,
    targets: Iterable[PublicationTarget],
    now: datetime,
    settings: PublishSettings,
    checkpoint: Checkpoint,
    freeze_early: bool = False,
) -> list[Attempt]:
    """Freeze the digest and deliver it to *targets*; safe to run again.

    *checkpoint* is the caller's commit. A month that has not ended is published
    only with *freeze_early*: its facts stop at *now*.
    """
    wanted = list(targets)
    configured = settings.targets()
    for target in wanted:
        if target not in configured:
            raise DomainError(_l("The target %(t)s is not configured.", t=target.value))
    freezing.check_may_publish(digest, now, freeze_early=freeze_early)
    start(session, actor, digest, wanted, now, settings)
    checkpoint()
    return [
        deliver_one(session, publication, settings, now, checkpoint)
        for publication in list(digest.publications)
        if publication.target in wanted
    ]


def start(
    session: Session,
    actor: Person | None,
    digest: Digest,
    wanted: list[PublicationTarget],
    now: datetime,
    settings: PublishSettings,
) -> None:
    """Freeze the facts, mark the digest published, add a delivery per new target."""
    if digest.state is not DigestState.PUBLISHED:
        freezing.freeze(session, actor, digest, now=now, public_url=settings.public_url)
        digest.state, digest.published_at = DigestState.PUBLISHED, now
        digests.add_version(session, digest, actor, "published")
        activity.record(session, actor, "published", digest, label=digest.title)
    have = {p.target for p in digest.publications}
    for target in wanted:
        if target not in have:
            session.add(Publication(digest=digest, target=target, next_attempt_at=now))
    session.flush()


def publish_scheduled(
    session: Session, settings: PublishSettings, now: datetime, checkpoint: Checkpoint
) -> list[Digest]:
    """Publish the scheduled digests whose time has come (ended months only)."""
    ready = list(
        session.scalars(
            select(Digest).where(
                Digest.state == DigestState.SCHEDULED, Digest.publish_at <= now
            )
        )
    )
    published = []
    for digest in ready:
        if not freezing.month_ended(digest, now):
            continue  # the scheduler never freezes a month early
        publish(
            session,
            None,
            digest,
            targets=settings.targets(),
            now=now,
            settings=settings,
            checkpoint=checkpoint,
        )
        published.append(digest)
    return published


def publish_month(
    session: Session,
    month: Month,
    *,
    mode: str,
    now: datetime,
    settings: PublishSettings,
    checkpoint: Checkpoint,
) -> str:
    """The automatic publication of *month*'s digest; returns what happened."""
    if now < month.next.start:
        return "the month has not ended"
    digest, _ = digests.draft_for_month(
        session, None, month, now=now, public_url=settings.public_url
    )
    checkpoint()  # never lose the draft, whatever happens below
    if digest.state is DigestState.PUBLISHED:
        return "already published"
    if digest.state is DigestState.HELD:
        return "held by a communicator"
    if digest.state is DigestState.SCHEDULED:
        return "scheduled by a communicator"  # publish_scheduled sends it on time
    if mode == "review":
        return "waiting for review"
    publish(
        session,
        None,
        digest,
        targets=settings.targets(),
        now=now,
        settings=settings,
        checkpoint=checkpoint,
    )
    return "published"
