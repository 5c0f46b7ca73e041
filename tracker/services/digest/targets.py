"""Sending one digest to one target: the built-in blog, WordPress or e-mail.

Every target gets the same publishable text (content.py): the blog stores its
markdown, WordPress and the e-mail get its HTML, the e-mail also plain text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from html import escape
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.digests import Digest, Publication, PublicationTarget
from tracker.models.mail import OutboxMessage
from tracker.services import mail
from tracker.services.digest import blog, content, wordpress, wordpress_delivery
from tracker.services.digest.wordpress import WordPressSettings


@dataclass(frozen=True)
class Sent:
    """What a target answered: its id for the post, the address, extra details."""

    external_id: str
    url: str
    details: dict[str, Any] = field(default_factory=dict)


def slug_for(digest: Digest) -> str:
    """The post's address name on every blog: manadsbrev-YYYY-MM."""
    return f"manadsbrev-{digest.period}"


def blog_url(public_url: str, digest: Digest) -> str:
    """The digest's address on the built-in blog."""
    return f"{public_url}/blogg/{slug_for(digest)}"


def send(
    session: Session,
    publication: Publication,
    *,
    public_url: str,
    wordpress_settings: WordPressSettings | None,
    mail_to: tuple[str, ...],
    now: datetime,
) -> Sent:
    """Deliver (or update) the digest at one target."""
    digest = publication.digest
    if publication.target is PublicationTarget.BUILTIN:
        post = blog.put_post(session, digest, slug=slug_for(digest), now=now)
        return Sent(str(post.id), f"{public_url}/blogg/{post.slug}")
    if publication.target is PublicationTarget.WORDPRESS:
        if wordpress_settings is None:
            raise DomainError(_l("WordPress is not configured."))
        return _to_wordpress(publication, wordpress_settings, public_url, now)
    return _to_mail(session, digest, public_url, mail_to)


def _to_wordpress(
    publication: Publication,
    settings: WordPressSettings,
    public_url: str,
    now: datetime,
) -> Sent:
    digest = publication.digest
    html = content.to_html(digest.body, public_url)
    fields = wordpress.post_fields(
        settings,
        slug=slug_for(digest),
        title=digest.title,
        content=html,
        excerpt=content.excerpt(list(digest.facts.get("summary", [])), html),
    )
    known = int(publication.external_id) if publication.external_id else None
    delivered = wordpress_delivery.deliver(
        settings,
        slug=slug_for(digest),
        fields=fields,
        known_id=known,
        uncertain_at=publication.uncertain_at,
        now=now,
    )
    duplicates = wordpress_delivery.merge_duplicates(
        list(publication.details.get("duplicates", [])), delivered.duplicates
    )
    return Sent(str(delivered.post.id), delivered.post.url, {"duplicates": duplicates})


def mail_message(digest: Digest, public_url: str) -> tuple[str, str, str]:
    """The digest e-mail: subject, plain text and HTML, from the same markdown."""
    link = blog_url(public_url, digest)
    html = content.to_html(digest.body, public_url)
    text = f"{content.to_text(html)}\nLäs brevet på bloggen: {link}\n"
    page = (
        '<!DOCTYPE html>\n<html lang="sv"><head><meta charset="utf-8">'
        f"<title>{_escape(digest.title)}</title></head>"
        '<body style="font-family: sans-serif; max-width: 40em; line-height: 1.5">'
        f"<h1>{_escape(digest.title)}</h1>\n{html}\n"
        f'<p><a href="{_escape(link)}">Läs brevet på bloggen</a></p>'
        "</body></html>\n"
    )
    return digest.title, text, page


def _to_mail(
    session: Session, digest: Digest, public_url: str, mail_to: tuple[str, ...]
) -> Sent:
    """One message per address: a bad address never holds up the others."""
    if not mail_to:
        raise DomainError(_l("No e-mail address is configured for the digest."))
    subject, text, html = mail_message(digest, public_url)
    ids = [
        mail.queue(session, to=[address], subject=subject, body=text, html=html).id
        for address in mail_to
    ]
    return Sent(str(ids[0]), "", {"messages": ids})


def mail_messages(session: Session, publication: Publication) -> list[OutboxMessage]:
    """The outbox messages of an e-mail delivery, to show how each one went."""
    ids = [int(i) for i in publication.details.get("messages", [])]
    if not ids:
        return []
    return list(
        session.scalars(
            select(OutboxMessage).where(OutboxMessage.id.in_(ids)).order_by("id")
        )
    )


def watching(publication: Publication, now: datetime) -> bool:
    """Whether late WordPress duplicates are still looked for."""
    since = publication.uncertain_at
    return since is not None and now < since + wordpress_delivery.WATCH


def waiting_until(
    settings: WordPressSettings | None, publication: Publication
) -> datetime | None:
    """When an uncertain WordPress create may be decided by a look-up."""
    if publication.uncertain_at is None:
        return None
    settle = settings.settle_seconds if settings else 120.0
    return publication.uncertain_at + timedelta(seconds=settle)


def _escape(text: str) -> str:
    return escape(text, quote=True)
