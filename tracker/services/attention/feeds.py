"""Atom feeds for feed readers with a personal token: the blog and plan activity."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from markupsafe import escape
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.labels import change_list, object_type, verb
from tracker.markup import render_markdown
from tracker.models.activity import ActivityEvent
from tracker.models.plans import ActionPlan
from tracker.services.digest import blog

# application events are for leadership and the applicant alone, never in a feed
PRIVATE_TYPES = ("Application", "SelectionRun")
EPOCH = "1970-01-01T00:00:00+00:00"


@dataclass(frozen=True)
class Entry:
    """One Atom entry; *html* is escaped by the template (content type="html")."""

    id: str
    title: str
    url: str
    published: str
    html: str


@dataclass(frozen=True)
class Feed:
    """An Atom feed's head and entries."""

    id: str
    title: str
    alternate: str
    entries: list[Entry]

    @property
    def updated(self) -> str:
        """When the newest entry came."""
        return max((entry.published for entry in self.entries), default=EPOCH)


def blog_feed(session: Session, *, base_url: str, limit: int = 20) -> Feed:
    """The newest posts of the built-in blog (the monthly digests)."""
    entries = [
        Entry(
            id=f"{base_url}/blogg/{post.slug}",
            title=post.title,
            url=f"{base_url}/blogg/{post.slug}",
            published=post.published_at.isoformat(timespec="seconds"),
            html=str(render_markdown(post.body)),
        )
        for post in blog.list_posts(session, limit=limit)
    ]
    home = f"{base_url}/blogg/"
    return Feed(home, _("Monthly digest"), home, entries)


def plan_feed(
    session: Session, plan: ActionPlan, *, base_url: str, limit: int = 50
) -> Feed:
    """What happened in one action plan, newest first."""
    events = session.scalars(
        select(ActivityEvent)
        .where(
            ActivityEvent.plan_id == plan.id,
            ActivityEvent.object_type.not_in(PRIVATE_TYPES),
        )
        .order_by(ActivityEvent.created_at.desc(), ActivityEvent.id.desc())
        .limit(limit)
    )
    page = f"{base_url}/plans/{plan.slug}"
    entries = [_event_entry(event, page, base_url) for event in events]
    return Feed(page, plan.title, page, entries)


def _event_entry(event: ActivityEvent, page: str, base_url: str) -> Entry:
    url = page
    if event.assignment_id is not None:
        url = f"{base_url}/assignments/{event.assignment_id}"
    # titles are typed by people: escaped, since the reader shows this as HTML
    changes = "".join(
        f"<li>{escape(name)}: {escape(old)} → {escape(new)}</li>"
        for name, old, new in change_list(event.before, event.after)
    )
    return Entry(
        id=f"{page}#event-{event.id}",
        title=sentence(event),
        url=url,
        published=event.created_at.isoformat(timespec="seconds"),
        html=f"<ul>{changes}</ul>" if changes else "",
    )


def sentence(event: ActivityEvent) -> str:
    """“Lena Ledare moved assignment X from A to B”, in the reader's language."""
    words = [
        event.actor_label or _("The system"),
        verb(event.verb),
        object_type(event.object_type),
        event.object_label,
    ]
    text = " ".join(word for word in words if word)
    if event.verb == "moved" and event.before and event.after:
        old, new = event.before.get("stage", "–"), event.after.get("stage", "–")
        text += " " + _("from %(old)s to %(new)s", old=old, new=new)
    return text
