"""The built-in staff blog: published digests, a page per post and an Atom feed."""

from __future__ import annotations

from datetime import date

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from tracker import links
from tracker.auth import PUBLIC_READER, public, require_role
from tracker.db import get_session
from tracker.markup import render_markdown
from tracker.models.people import Role
from tracker.services.digest import blog
from tracker.services.programme import burnup

bp = Blueprint("blog", __name__, url_prefix="/blogg")


@bp.get("/")
@require_role(Role.STAFF, PUBLIC_READER)
def index() -> str:
    """The newest posts."""
    return render_template("blog/index.html", posts=blog.list_posts(get_session()))


@bp.get("/feed.atom")
@require_role(Role.STAFF, PUBLIC_READER)
def feed() -> Response:
    """An Atom feed of the newest posts (with a login, or for all: PUBLIC_READ)."""
    base = links.public_url()
    posts = blog.list_posts(get_session(), limit=20)
    entries = [
        {
            "title": post.title,
            "url": f"{base}/blogg/{post.slug}",
            "published": post.published_at.isoformat(timespec="seconds"),
            "updated": (post.updated_at or post.published_at).isoformat(
                timespec="seconds"
            ),
            # a plain str, so the XML template escapes the HTML (type="html");
            # absolute links: a feed reader has no page to resolve them against
            "html": str(render_markdown(post.body, base=base)),
        }
        for post in posts
    ]
    xml = render_template(
        "blog/feed.xml",
        title=_("Monthly digest"),
        author=_("Change programme"),
        base=base,
        entries=entries,
        updated=max(
            (e["updated"] for e in entries), default="1970-01-01T00:00:00+00:00"
        ),
    )
    return Response(xml, mimetype="application/atom+xml")


@bp.get("/stapel/<int:before>/<int:done>/<int:total>.svg")
@public
def bar(before: int, done: int, total: int) -> Response:
    """A progress bar image for the digest: done so far, this month's gain lighter.

    Public and free of data: everything it shows is in its address, so it also
    works in the WordPress copy of the digest.
    """
    widths = blog.bar_widths(before, done, total)
    if widths is None:
        abort(404)
    svg = render_template("blog/bar.svg", widths=widths, done=done, total=total)
    response = Response(svg, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 365 * 24 * 3600
    return response


@bp.get("/kurva/<monday>/<total>/<done>/<milestones>.svg")
@public
def burnup_chart(monday: str, total: str, done: str, milestones: str) -> Response:
    """A plan's burn-up for the digest, drawn from the figures in its address.

    Public and free of data, like the bar: the digest's text holds the same figures.
    """
    try:
        first = date.fromisoformat(monday)
    except ValueError:
        abort(404)
    chart = burnup.chart(burnup.from_address(first, total, done, milestones))
    if chart is None:
        abort(404)
    svg = render_template("blog/burnup.svg", chart=chart)
    response = Response(svg, mimetype="image/svg+xml")
    response.cache_control.public = True
    response.cache_control.max_age = 365 * 24 * 3600
    return response


@bp.get("/<slug>")
@require_role(Role.STAFF, PUBLIC_READER)
def show(slug: str) -> str:
    """One post."""
    post = blog.get_by_slug(get_session(), slug)
    if post is None:
        abort(404)
    html = render_markdown(post.body, base=links.public_url())
    return render_template("blog/show.html", post=post, html=html)
