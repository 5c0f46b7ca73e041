"""Delivering a published digest to one target, exactly once, and retrying.

Each delivery is claimed in the database before the remote call and its outcome
recorded after it. A WordPress create without an answer leaves the delivery
*uncertain*: nothing creates it again before the settle time has passed and a
look-up has found nothing. A correction makes a post's version older than the
digest's, and the same machinery then updates it in place.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.digests import (
    Digest,
    DigestVersion,
    Publication,
    PublicationStatus,
    PublicationTarget,
)
from tracker.services.digest import targets, wordpress, wordpress_delivery
from tracker.services.digest.targets import slug_for

CLAIM = timedelta(minutes=5)  # far longer than a WordPress call may take
Checkpoint = Callable[[], None]
Status = PublicationStatus


@dataclass(frozen=True)
class PublishSettings:
    """What publishing needs from the configuration."""

    public_url: str
    wordpress: wordpress.WordPressSettings | None
    mail_to: tuple[str, ...]
    retry_after: timedelta = timedelta(minutes=10)
    max_retry: timedelta = timedelta(hours=24)

    @classmethod
    def from_config(
        cls, config: Mapping[str, Any], public_url: str | None = None
    ) -> PublishSettings:
        """Read [DIGEST] and [WORDPRESS]; links use *public_url* (or PUBLIC_URL)."""
        digest = config["DIGEST"]
        mail_to = str(digest.get("MAIL_TO", ""))
        return cls(
            public_url=(public_url or str(config["PUBLIC_URL"])).rstrip("/"),
            wordpress=wordpress.WordPressSettings.from_config(config["WORDPRESS"]),
            mail_to=tuple(a.strip() for a in mail_to.split(",") if a.strip()),
            retry_after=timedelta(minutes=float(digest.get("RETRY_MINUTES", 10))),
            max_retry=timedelta(hours=float(digest.get("MAX_RETRY_HOURS", 24))),
        )

    def targets(self) -> list[PublicationTarget]:
        """Every configured target; the built-in blog always."""
        result = [PublicationTarget.BUILTIN]
        if self.wordpress is not None:
            result.append(PublicationTarget.WORDPRESS)
        if self.mail_to:
            result.append(PublicationTarget.EMAIL)
        return result

    @property
    def claim_time(self) -> timedelta:
        """How long a claim lasts: past any answer and the settle time."""
        settle = self.wordpress.settle_seconds if self.wordpress else 0
        return CLAIM + timedelta(seconds=settle)


@dataclass(frozen=True)
class Attempt:
    """What one try at a delivery came to: sent, failed, or why it did not run."""

    publication: Publication
    ran: bool
    not_before: datetime | None = None  # uncertain: no new try before then


def deliver_one(
    session: Session,
    publication: Publication,
    settings: PublishSettings,
    now: datetime,
    checkpoint: Checkpoint,
) -> Attempt:
    """Claim, send and record one delivery (nothing if it may not run now)."""
    version = current_version(session, publication.digest)
    lapsed = publication.claimed_until if publication.status is Status.SENDING else None
    if not claim(session, publication, now, version, settings.claim_time):
        return Attempt(publication, False, not_before(publication, now))
    if lapsed is not None and publication.target is PublicationTarget.WORDPRESS:
        # its sender died mid-call: that request's outcome is unknown, so late
        # duplicates are looked for as after a timeout
        started = lapsed - settings.claim_time
        publication.uncertain_at = publication.uncertain_at or started
    checkpoint()  # the claim must be visible to other processes before we send
    try:
        sent = targets.send(
            session,
            publication,
            public_url=settings.public_url,
            wordpress_settings=settings.wordpress,
            mail_to=settings.mail_to,
            now=now,
        )
    except wordpress.WordPressError as error:
        if error.uncertain:
            _uncertain(publication, error, now, settings)
        else:
            _failed(publication, str(error), now, settings)
    except DomainError as error:
        _failed(publication, str(error), now, settings)
    else:
        _succeeded(publication, sent, now, version)
    session.flush()
    checkpoint()
    return Attempt(publication, True, not_before(publication, now))


def claim(
    session: Session,
    publication: Publication,
    now: datetime,
    version: int,
    hold: timedelta = CLAIM,
) -> bool:
    """Take the delivery for a while with one conditional UPDATE."""
    result = session.execute(
        update(Publication)
        .where(Publication.id == publication.id, _claimable(now, version))
        .values(
            status=Status.SENDING,
            claimed_until=now + hold,
            attempts=Publication.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(publication)
    return getattr(result, "rowcount", 0) == 1


def _claimable(now: datetime, version: int) -> Any:
    """Pending or failed; a lapsed claim; a settled uncertainty; an old text."""
    return or_(
        Publication.status.in_([Status.PENDING, Status.FAILED]),
        and_(Publication.status == Status.SENDING, Publication.claimed_until < now),
        and_(
            Publication.status == Status.UNCERTAIN, Publication.next_attempt_at <= now
        ),
        and_(
            Publication.status == Status.PUBLISHED,
            Publication.target != PublicationTarget.EMAIL,
            Publication.version < version,
        ),
    )


def current_version(session: Session, digest: Digest) -> int:
    """The number of the digest's newest version."""
    return int(
        session.scalar(
            select(func.max(DigestVersion.number)).where(
                DigestVersion.digest_id == digest.id
            )
        )
        or 0
    )


def due(session: Session, now: datetime) -> list[Publication]:
    """Deliveries whose next attempt has come, and posts a correction made old."""
    newest = (
        select(func.max(DigestVersion.number))
        .where(DigestVersion.digest_id == Publication.digest_id)
        .scalar_subquery()
    )
    ready = or_(
        Publication.next_attempt_at.is_(None), Publication.next_attempt_at <= now
    )
    return list(
        session.scalars(
            select(Publication)
            .where(
                or_(
                    and_(
                        Publication.status.in_(
                            [Status.PENDING, Status.FAILED, Status.UNCERTAIN]
                        ),
                        ready,
                    ),
                    and_(
                        Publication.status == Status.SENDING,
                        Publication.claimed_until < now,
                    ),
                    and_(
                        Publication.status == Status.PUBLISHED,
                        Publication.target != PublicationTarget.EMAIL,
                        Publication.version < newest,
                    ),
                )
            )
            .order_by(Publication.id)
        )
    )


def retry_due(
    session: Session, settings: PublishSettings, now: datetime, checkpoint: Checkpoint
) -> int:
    """Try every due delivery again; returns how many were attempted."""
    attempts = [
        deliver_one(session, publication, settings, now, checkpoint)
        for publication in due(session, now)
    ]
    return sum(attempt.ran for attempt in attempts)


def sweep_duplicates(
    session: Session, settings: PublishSettings, now: datetime, checkpoint: Checkpoint
) -> int:
    """Look again for late WordPress duplicates after an unknown outcome."""
    if settings.wordpress is None:
        return 0
    found = 0
    for publication in session.scalars(
        select(Publication).where(
            Publication.target == PublicationTarget.WORDPRESS,
            Publication.status == Status.PUBLISHED,
            Publication.uncertain_at.is_not(None),
        )
    ):
        if not targets.watching(publication, now) or not publication.external_id:
            continue
        found += _sweep_one(publication, settings.wordpress)
        checkpoint()
    return found


def _sweep_one(publication: Publication, settings: wordpress.WordPressSettings) -> int:
    ours = wordpress.Post(int(publication.external_id), publication.url, "")
    try:
        new = wordpress_delivery.sweep(settings, slug_for(publication.digest), ours)
    except wordpress.WordPressError:
        return 0  # the next tick looks again
    known = list(publication.details.get("duplicates", []))
    publication.details = {
        **publication.details,
        "duplicates": wordpress_delivery.merge_duplicates(known, new),
    }
    return len(new)


def backoff(attempts: int, settings: PublishSettings) -> timedelta:
    """Wait twice as long after every failure, up to the maximum."""
    exponent = min(max(attempts - 1, 0), 16)
    return min(settings.retry_after * (1 << exponent), settings.max_retry)


def not_before(publication: Publication, now: datetime) -> datetime | None:
    """When an uncertain delivery may be tried again (None: now)."""
    if publication.status is Status.UNCERTAIN and publication.next_attempt_at:
        return (
            publication.next_attempt_at if publication.next_attempt_at > now else None
        )
    return None


def _succeeded(
    publication: Publication, sent: targets.Sent, now: datetime, version: int
) -> None:
    publication.status = Status.PUBLISHED
    publication.external_id, publication.url = sent.external_id, sent.url
    publication.details = {**publication.details, **sent.details}
    publication.published_at = publication.published_at or now
    publication.last_error, publication.version = "", version
    publication.claimed_until = publication.next_attempt_at = None


def _uncertain(
    publication: Publication,
    error: wordpress.WordPressError,
    now: datetime,
    settings: PublishSettings,
) -> None:
    """No answer: WordPress may still create the post; look, do not create, later."""
    sent_at = error.sent_at or now
    if error.code != "settling":
        publication.uncertain_at = max(sent_at, publication.uncertain_at or sent_at)
    settle = targets.waiting_until(settings.wordpress, publication) or now
    publication.status = Status.UNCERTAIN
    publication.last_error = str(error)[:2000]
    publication.claimed_until = None
    # the look-up that may decide comes no sooner; the tick's own pace is the backoff
    publication.next_attempt_at = max(settle, now)


def _failed(
    publication: Publication, message: str, now: datetime, settings: PublishSettings
) -> None:
    publication.status = Status.FAILED
    publication.last_error = message[:2000]
    publication.claimed_until = None
    publication.next_attempt_at = now + backoff(publication.attempts, settings)
