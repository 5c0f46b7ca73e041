"""The one entry point for user markdown: render with markdown, sanitise with nh3."""

from __future__ import annotations

from functools import lru_cache

import markdown
import nh3
from markupsafe import Markup

ALLOWED_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "dd",
    "del",
    "dl",
    "dt",
    "em",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "abbr": {"title"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
}
URL_SCHEMES = {"http", "https", "mailto"}
CACHED_LENGTH = 4000  # characters; longer texts (digests) are rendered each time


def render_markdown(text: str | None) -> Markup:
    """Markdown -> HTML with allow-listed tags only; safe in templates and posts."""
    text = text or ""
    # A pure function of the text, and every call builds a new Markdown parser
    # (about 1 ms): the same goals and descriptions are shown again and again.
    return _render_short(text) if len(text) <= CACHED_LENGTH else _render(text)


@lru_cache(maxsize=1024)
def _render_short(text: str) -> Markup:
    return _render(text)


def _render(text: str) -> Markup:
    html = markdown.markdown(text, extensions=["extra", "sane_lists"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return Markup(cleaned)  # noqa: S704 - nh3 has just sanitised it
