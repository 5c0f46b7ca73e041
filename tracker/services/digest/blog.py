"""The built-in staff blog where published digests appear."""

from __future__ import annotations

from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.db import utcnow
from tracker.errors import DomainError
from tracker.models.digests import BlogPost, Digest
from tracker.services.digest import content


def list_posts(session: Session, *, limit: int = 50) -> list[BlogPost]:
    """The newest posts first."""
    return list(
        session.scalars(
            select(BlogPost)
            .order_by(BlogPost.published_at.desc(), BlogPost.id.desc())
            .limit(limit)
        )
    )


def get_by_slug(session: Session, slug: str) -> BlogPost | None:
    """The post at /blogg/<slug>, if any."""
    return session.scalars(select(BlogPost).where(BlogPost.slug == slug)).first()


def put_post(session: Session, digest: Digest, *, slug: str, now: datetime) -> BlogPost:
    """The digest's post on the built-in blog: created once, then corrected."""
    body = content.publishable(digest.body)
    existing = session.scalars(
        select(BlogPost).where(BlogPost.digest_id == digest.id)
    ).first()
    if existing is not None:
        if (existing.title, existing.body) != (digest.title, body):
            existing.title, existing.body, existing.updated_at = digest.title, body, now
            session.flush()
        return existing
    post = BlogPost(
        digest_id=digest.id,
        slug=slug,
        title=digest.title,
        body=body,
        published_at=digest.published_at or utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(post)
            session.flush()
    except IntegrityError as error:
        raise DomainError(
            _l("A blog post with the address %(slug)s exists.", slug=post.slug)
        ) from error
    return post


def add_post(session: Session, digest: Digest, *, slug: str) -> BlogPost:
    """The digest's post, created once (for callers without a clock)."""
    return put_post(session, digest, slug=slug, now=utcnow())


BAR_WIDTH = 300


def bar_widths(before: int, done: int, total: int) -> tuple[int, int] | None:
    """Pixel widths of the earlier and the new part of a bar; None if absurd."""
    if not 0 <= before <= done <= total <= 100_000:
        return None
    if total == 0:
        return 0, 0
    earlier = round(BAR_WIDTH * before / total)
    return earlier, round(BAR_WIDTH * done / total) - earlier
