"""Exactly one WordPress post per digest, however slowly WordPress answers.

The rule: a create whose outcome is unknown is never followed by another create
until a look-up (status=any, context=edit) at least SETTLE_SECONDS after it was
sent has found nothing. A post that still appears twice ("-2", from a request
held up longer than that) is found by its slug prefix, shown on the digest's
page, and moved to the trash once ours is confirmed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from tracker.services.digest import wordpress
from tracker.services.digest.wordpress import Post, WordPressError, WordPressSettings

# How long after an unknown outcome late duplicates are still looked for.
WATCH = timedelta(days=2)


@dataclass
class Delivered:
    """Our post, and the duplicates seen (trashed where WordPress allowed it)."""

    post: Post
    duplicates: list[dict[str, Any]] = field(default_factory=list)


def settled_at(settings: WordPressSettings, uncertain_at: datetime) -> datetime:
    """When a look-up may decide that an unknown create did not happen."""
    return uncertain_at + timedelta(seconds=settings.settle_seconds)


def deliver(
    settings: WordPressSettings,
    *,
    slug: str,
    fields: dict[str, Any],
    known_id: int | None,
    uncertain_at: datetime | None,
    now: datetime,
) -> Delivered:
    """Update our post, adopt the one a lost answer created, or create it."""
    if known_id is not None:
        try:
            post = wordpress.update_post(settings, known_id, fields)
        except WordPressError as error:
            if error.status not in (404, 410):
                raise
            # deleted in WordPress since: find it by slug or make it again
        else:
            return Delivered(post, sweep(settings, slug, post))
    existing = wordpress.find_by_slug(settings, slug)
    if existing is not None:
        post = _brought_up_to_date(settings, existing, fields)
    else:
        if uncertain_at is not None and now < settled_at(settings, uncertain_at):
            raise WordPressError(
                "An earlier request may still create the post",
                code="settling",
                uncertain=True,
                sent_at=uncertain_at,
            )
        post = _create(settings, slug, fields)
    return Delivered(post, sweep(settings, slug, post))


def _create(settings: WordPressSettings, slug: str, fields: dict[str, Any]) -> Post:
    """Create; after an unknown outcome look once at once (it is often there)."""
    try:
        return wordpress.create_post(settings, fields)
    except WordPressError as error:
        if not error.uncertain:
            raise
        try:
            found = wordpress.find_by_slug(settings, slug)
        except WordPressError:
            raise error from None
        if found is None:
            raise
        return _brought_up_to_date(settings, found, fields)


def _brought_up_to_date(
    settings: WordPressSettings, post: Post, fields: dict[str, Any]
) -> Post:
    """The post, updated only if its text differs: a create that arrived late
    carries ours already, and a needless update could be held up in turn."""
    return (
        post if post.has(fields) else wordpress.update_post(settings, post.id, fields)
    )


def sweep(settings: WordPressSettings, slug: str, ours: Post) -> list[dict[str, Any]]:
    """Trash the other posts with our slug or slug-N by the same author."""
    found = []
    posts = wordpress.find_posts(settings, slug)
    author = next((p.author for p in posts if p.id == ours.id), ours.author)
    for post in posts:
        if post.id == ours.id or (author and post.author != author):
            continue
        entry: dict[str, Any] = {
            "id": post.id,
            "slug": post.slug,
            "url": post.url,
            "trashed": False,
            "error": "",
        }
        try:
            wordpress.trash_post(settings, post.id)
        except WordPressError as error:
            entry["error"] = str(error)[:300]
        else:
            entry["trashed"] = True
        found.append(entry)
    return found


def merge_duplicates(
    known: list[dict[str, Any]], new: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Known duplicates updated with the newest outcome of each, by post id."""
    by_id = {int(entry["id"]): entry for entry in known}
    for entry in new:
        by_id[int(entry["id"])] = entry
    return [by_id[key] for key in sorted(by_id)]
