"""The monthly digest: draft, edit, refresh the facts, hold, schedule, versions."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.errors import DomainError
from tracker.models.digests import Digest, DigestState, DigestVersion
from tracker.models.people import Person
from tracker.services import activity
from tracker.services.digest import template as digest_template
from tracker.services.digest import workdays
from tracker.services.digest.facts import collect_facts
from tracker.services.digest.months import Month


def get_by_period(session: Session, period: str) -> Digest | None:
    """The digest of YYYY-MM, if drafted."""
    return session.scalars(select(Digest).where(Digest.period == period)).first()


def list_digests(session: Session) -> list[Digest]:
    """Every digest, the newest month first."""
    return list(session.scalars(select(Digest).order_by(Digest.period.desc())))


def title_for(month: Month) -> str:
    """The digest's Swedish title."""
    return f"Månadsbrev {month.label}"


def draft_for_month(
    session: Session,
    actor: Person | None,
    month: Month,
    *,
    now: datetime,
    public_url: str,
) -> tuple[Digest, bool]:
    """Draft *month*'s digest; returns the existing one if drafted.

    An early draft (a preview of the month so far) gets its facts completed once
    the month is over, so the scheduled publication never sends half a month.
    """
    existing = get_by_period(session, month.key)
    if existing is not None:
        if (
            existing.facts.get("partial")
            and now >= month.next.start
            and existing.state is not DigestState.PUBLISHED
        ):
            refresh_facts(session, actor, existing, now=now, public_url=public_url)
        return existing, False
    facts = collect_facts(session, month, now=now, public_url=public_url)
    digest = Digest(
        period=month.key,
        title=title_for(month),
        body=_render(session, facts),
        facts=facts,
        facts_at=now,
    )
    if not _insert(session, digest):
        return _existing(session, month.key), False
    add_version(session, digest, actor, "drafted")
    activity.record(session, actor, "drafted", digest, label=digest.title)
    return digest, True


def refresh_facts(
    session: Session,
    actor: Person | None,
    digest: Digest,
    *,
    now: datetime,
    public_url: str,
) -> bool:
    """Rewrite the facts section from the log; returns whether the markers were found.

    Only the text between the markers changes. Without markers the new facts are
    appended, so the communicator's text is never lost. A version is saved only
    when the text changed.
    """
    check_open(digest)
    facts = collect_facts(
        session, Month.parse(digest.period), now=now, public_url=public_url
    )
    section = _facts_section(session, facts)
    body, found = digest_template.splice(digest.body, section)
    digest.facts, digest.facts_at = facts, now
    if body != digest.body:
        digest.body = body
        add_version(session, digest, actor, "refreshed")
        activity.record(session, actor, "refreshed", digest, label=digest.title)
    return found


def facts_untouched(session: Session, digest: Digest) -> bool:
    """Whether the facts section is exactly as drafted (nobody edited it)."""
    try:
        drafted = _facts_section(session, digest.facts)
    except (RuntimeError, KeyError, TypeError):
        return False
    return digest_template.facts_section(digest.body) == drafted


def hold(session: Session, actor: Person | None, digest: Digest) -> None:
    """Keep the digest from being published automatically."""
    check_open(digest)
    if digest.state is DigestState.HELD:
        return
    _set_state(session, actor, digest, DigestState.HELD, publish_at=None)


def release(session: Session, actor: Person | None, digest: Digest) -> None:
    """Undo a hold or a schedule; the digest is back to being edited."""
    check_open(digest)
    if digest.state in (DigestState.HELD, DigestState.SCHEDULED):
        _set_state(session, actor, digest, DigestState.EDITED, publish_at=None)


def schedule(
    session: Session,
    actor: Person | None,
    digest: Digest,
    *,
    at: datetime,
    now: datetime,
) -> None:
    """Approve the digest for publication at *at*."""
    check_open(digest)
    if at < now - timedelta(minutes=5):
        raise DomainError(_l("Choose a time in the future."), field="publish_at")
    month = Month.parse(digest.period)
    if at < month.next.start:
        raise DomainError(
            _l(
                "Choose a time after %(month)s has ended: the facts must cover the "
                "whole month.",
                month=month.label,
            ),
            field="publish_at",
        )
    _set_state(session, actor, digest, DigestState.SCHEDULED, publish_at=at)


def versions(session: Session, digest: Digest) -> list[DigestVersion]:
    """The digest's saved versions, the newest first."""
    return list(
        session.scalars(
            select(DigestVersion)
            .where(DigestVersion.digest_id == digest.id)
            .order_by(DigestVersion.number.desc())
        )
    )


def get_version(session: Session, digest: Digest, number: int) -> DigestVersion | None:
    """One saved version."""
    return session.scalars(
        select(DigestVersion).where(
            DigestVersion.digest_id == digest.id, DigestVersion.number == number
        )
    ).first()


def restore_version(
    session: Session, actor: Person | None, digest: Digest, version: DigestVersion
) -> None:
    """Make an older version the current text (itself saved as a new version)."""
    check_open(digest)
    digest.title, digest.body = version.title, version.body
    if digest.state is DigestState.DRAFT:
        digest.state = DigestState.EDITED
    add_version(session, digest, actor, "restored")
    activity.record(
        session, actor, "restored", digest, after={"version": version.number}
    )


def automatic_publish_at(month: Month, digest_config: dict[str, Any]) -> datetime:
    """When the digest of *month* goes out by itself (in automatic mode)."""
    after = month.next
    day = workdays.working_day_of_month(
        after.year, after.month, int(digest_config["PUBLISH_AFTER_WEEKDAYS"])
    )
    return datetime.combine(
        day, time(int(digest_config["PUBLISH_HOUR"])), tzinfo=STOCKHOLM
    )


def _render(session: Session, facts: dict[str, Any]) -> str:
    """The admins' template; the packaged one if theirs fails, so drafts never do."""
    try:
        return digest_template.render(digest_template.current_template(session), facts)
    except DomainError:
        return digest_template.render(digest_template.default_template(), facts)


def _insert(session: Session, digest: Digest) -> bool:
    """Add *digest*; False if another drafter added the month first."""
    try:
        with session.begin_nested():
            session.add(digest)
            session.flush()
    except IntegrityError:
        return False
    return True


def _existing(session: Session, period: str) -> Digest:
    digest = get_by_period(session, period)
    if digest is None:  # pragma: no cover - the unique constraint said it exists
        raise RuntimeError(f"digest {period} vanished")
    return digest


def _facts_section(session: Session, facts: dict[str, Any]) -> str:
    """The facts part of the admins' template, else of the packaged one."""
    for text in (
        digest_template.current_template(session),
        digest_template.default_template(),
    ):
        try:
            section = digest_template.facts_section(digest_template.render(text, facts))
        except DomainError:
            continue
        if section is not None:
            return section
    raise RuntimeError("the packaged digest template has no facts markers")


def check_open(digest: Digest) -> None:
    """Refuse to change a published digest other than by a correction."""
    if digest.state is DigestState.PUBLISHED:
        raise DomainError(_l("The digest has been published and cannot be changed."))


def _set_state(
    session: Session,
    actor: Person | None,
    digest: Digest,
    state: DigestState,
    *,
    publish_at: datetime | None,
) -> None:
    before = {"state": digest.state.value}
    digest.state, digest.publish_at = state, publish_at
    after: dict[str, Any] = {"state": state.value}
    if publish_at is not None:
        after["publish_at"] = publish_at
    activity.record(session, actor, "state_changed", digest, before=before, after=after)


def newest_version(session: Session, digest: Digest) -> DigestVersion | None:
    """The digest's newest saved version."""
    return session.scalars(
        select(DigestVersion)
        .where(DigestVersion.digest_id == digest.id)
        .order_by(DigestVersion.number.desc())
        .limit(1)
    ).first()


def add_version(
    session: Session, digest: Digest, actor: Person | None, reason: str
) -> DigestVersion:
    """Save the digest's current text as a new version."""
    number = (
        session.scalar(
            select(func.max(DigestVersion.number)).where(
                DigestVersion.digest_id == digest.id
            )
        )
        or 0
    ) + 1
    version = DigestVersion(
        digest_id=digest.id,
        number=number,
        reason=reason,
        title=digest.title,
        body=digest.body,
        author_id=actor.id if actor is not None else None,
    )
    session.add(version)
    session.flush()
    return version
