"""The one entry point for user markdown: render with markdown, sanitise with nh3."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from urllib.parse import urljoin

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
_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
CACHED_LENGTH = 4000  # characters; longer texts (digests) are rendered each time


def render_markdown(text: str | None, *, base: str | None = None) -> Markup:
    """Markdown -> HTML with allow-listed tags only; safe in templates and posts.

    With *base*, relative links and images become absolute against it (for
    copies read elsewhere: WordPress, the feed, e-mail).
    """
    text = text or ""
    # A pure function of the text, and every call builds a new Markdown parser
    # (about 1 ms): the same goals and descriptions are shown again and again.
    if len(text) <= CACHED_LENGTH:
        return _render_short(text, base)
    return _render(text, base)


@lru_cache(maxsize=1024)
def _render_short(text: str, base: str | None) -> Markup:
    return _render(text, base)


def _render(text: str, base: str | None) -> Markup:
    html = markdown.markdown(text, extensions=["extra", "sane_lists"])
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_absolute(base) if base else None,
    )
    return Markup(cleaned)  # noqa: S704 - nh3 has just sanitised it


def _absolute(base: str) -> Callable[[str, str, str], str | None]:
    root = base.rstrip("/") + "/"

    def rewrite(tag: str, attribute: str, value: str) -> str | None:
        relative = value and not value.startswith("#") and not _SCHEME.match(value)
        return (
            urljoin(root, value) if attribute in {"href", "src"} and relative else value
        )

    return rewrite
