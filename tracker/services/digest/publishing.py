"""Publishing a digest exactly once per target: the blog, WordPress and e-mail."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, update
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.markup import render_markdown
from tracker.models.digests import (
    Digest,
    DigestState,
    Publication,
    PublicationStatus,
    PublicationTarget,
)
from tracker.models.people import Person
from tracker.services import activity, mail
from tracker.services.digest import blog, wordpress
from tracker.services.digest import drafts as digests
from tracker.services.digest.months import Month
from tracker.services.digest.template import FACTS_END, FACTS_START

CLAIM = timedelta(minutes=5)  # far longer than a WordPress call may take
Checkpoint = Callable[[], None]


@dataclass(frozen=True)
class PublishSettings:
    """What publishing needs from the configuration."""

    public_url: str
    wordpress: wordpress.WordPressSettings | None
    mail_to: tuple[str, ...]
    retry_after: timedelta = timedelta(minutes=10)
    max_retry: timedelta = timedelta(hours=24)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> PublishSettings:
        """Read PUBLIC_URL, [DIGEST] and [WORDPRESS]."""
        digest = config["DIGEST"]
        mail_to = str(digest.get("MAIL_TO", ""))
        return cls(
            public_url=str(config["PUBLIC_URL"]).rstrip("/"),
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


def slug_for(digest: Digest) -> str:
    """The post's address name on every blog: manadsbrev-YYYY-MM."""
    return f"manadsbrev-{digest.period}"


def publish(
    session: Session,
    actor: Person | None,
    digest: Digest,
    *,
    targets: Iterable[PublicationTarget],
    now: datetime,
    settings: PublishSettings,
    checkpoint: Checkpoint,
) -> list[Publication]:
    """Freeze the digest and deliver it to *targets*; safe to run again.

    *checkpoint* is the caller's commit. Each delivery is claimed and committed
    before the remote call and its outcome committed after it, so a crash or a
    second publisher can never send a target twice.
    """
    wanted = list(targets)
    configured = settings.targets()
    for target in wanted:
        if target not in configured:
            raise DomainError(_l("The target %(t)s is not configured.", t=target.value))
    start(session, actor, digest, wanted, now)
    checkpoint()
    for publication in list(digest.publications):
        if publication.target in wanted:
            deliver_one(session, publication, settings, now, checkpoint)
    return list(digest.publications)


def start(
    session: Session,
    actor: Person | None,
    digest: Digest,
    targets: list[PublicationTarget],
    now: datetime,
) -> None:
    """Mark the digest published and add a pending delivery per new target."""
    if digest.state is not DigestState.PUBLISHED:
        digest.state, digest.published_at = DigestState.PUBLISHED, now
        digests.add_version(session, digest, actor, "published")
        activity.record(session, actor, "published", digest, label=digest.title)
    have = {p.target for p in digest.publications}
    for target in targets:
        if target not in have:
            session.add(Publication(digest=digest, target=target, next_attempt_at=now))
    session.flush()


def deliver_one(
    session: Session,
    publication: Publication,
    settings: PublishSettings,
    now: datetime,
    checkpoint: Checkpoint,
) -> None:
    """Claim, send and record one delivery (nothing if someone else has it)."""
    if not claim(session, publication, now):
        return
    checkpoint()  # the claim must be visible to other processes before we send
    try:
        external_id, url = _send(session, publication, settings)
    except (wordpress.WordPressError, DomainError) as error:
        _failed(publication, str(error), now, settings)
    else:
        publication.status = PublicationStatus.PUBLISHED
        publication.external_id, publication.url = external_id, url
        publication.published_at, publication.last_error = now, ""
        publication.claimed_until = publication.next_attempt_at = None
    session.flush()
    checkpoint()


def claim(session: Session, publication: Publication, now: datetime) -> bool:
    """Take the delivery for a few minutes with one conditional UPDATE."""
    result = session.execute(
        update(Publication)
        .where(
            Publication.id == publication.id,
            or_(
                Publication.status.in_(
                    [PublicationStatus.PENDING, PublicationStatus.FAILED]
                ),
                and_(
                    Publication.status == PublicationStatus.SENDING,
                    Publication.claimed_until < now,
                ),
            ),
        )
        .values(
            status=PublicationStatus.SENDING,
            claimed_until=now + CLAIM,
            attempts=Publication.attempts + 1,
        )
        .execution_options(synchronize_session=False)
    )
    session.refresh(publication)
    return getattr(result, "rowcount", 0) == 1


def due(session: Session, now: datetime) -> list[Publication]:
    """Deliveries that failed or were cut off and whose next attempt has come."""
    return list(
        session.scalars(
            select(Publication)
            .where(
                or_(
                    and_(
                        Publication.status.in_(
                            [PublicationStatus.PENDING, PublicationStatus.FAILED]
                        ),
                        or_(
                            Publication.next_attempt_at.is_(None),
                            Publication.next_attempt_at <= now,
                        ),
                    ),
                    and_(
                        Publication.status == PublicationStatus.SENDING,
                        Publication.claimed_until < now,
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
    publications = due(session, now)
    for publication in publications:
        deliver_one(session, publication, settings, now, checkpoint)
    return len(publications)


def publish_scheduled(
    session: Session, settings: PublishSettings, now: datetime, checkpoint: Checkpoint
) -> list[Digest]:
    """Publish the scheduled digests whose time has come."""
    ready = list(
        session.scalars(
            select(Digest).where(
                Digest.state == DigestState.SCHEDULED, Digest.publish_at <= now
            )
        )
    )
    for digest in ready:
        publish(
            session,
            None,
            digest,
            targets=settings.targets(),
            now=now,
            settings=settings,
            checkpoint=checkpoint,
        )
    return ready


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


def backoff(attempts: int, settings: PublishSettings) -> timedelta:
    """Wait twice as long after every failure, up to the maximum."""
    exponent = min(max(attempts - 1, 0), 16)
    return min(settings.retry_after * (1 << exponent), settings.max_retry)


def plain_text(markdown: str) -> str:
    """The digest for e-mail: markdown minus markers, images as their text."""
    text = markdown.replace(FACTS_START, "").replace(FACTS_END, "")
    text = re.sub(r"!\[([^\]]*)\]\([^)]*\)", r"\1", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def _failed(
    publication: Publication, message: str, now: datetime, settings: PublishSettings
) -> None:
    publication.status = PublicationStatus.FAILED
    publication.last_error = message[:2000]
    publication.claimed_until = None
    publication.next_attempt_at = now + backoff(publication.attempts, settings)


def _send(
    session: Session, publication: Publication, settings: PublishSettings
) -> tuple[str, str]:
    """Deliver to the target; returns the external id and address."""
    digest = publication.digest
    if publication.target is PublicationTarget.BUILTIN:
        post = blog.add_post(session, digest, slug=slug_for(digest))
        return str(post.id), f"{settings.public_url}/blogg/{post.slug}"
    if publication.target is PublicationTarget.WORDPRESS:
        if settings.wordpress is None:
            raise DomainError(_l("WordPress is not configured."))
        wp_post = wordpress.publish_post(
            settings.wordpress,
            slug=slug_for(digest),
            title=digest.title,
            content=str(render_markdown(digest.body)),
        )
        return str(wp_post.id), wp_post.url
    return _to_mail(session, digest, settings)


def _to_mail(
    session: Session, digest: Digest, settings: PublishSettings
) -> tuple[str, str]:
    if not settings.mail_to:
        raise DomainError(_l("No e-mail address is configured for the digest."))
    blog = f"{settings.public_url}/blogg/{slug_for(digest)}"
    message = mail.queue(
        session,
        to=list(settings.mail_to),
        subject=digest.title,
        body=f"{plain_text(digest.body)}\nLäs brevet på bloggen: {blog}\n",
    )
    return str(message.id), ""
