"""Whole pages kept per worker while nothing they show can have changed."""

from __future__ import annotations

import html
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, cast

from flask import (
    current_app,
    g,
    get_template_attribute,
    render_template,
    request,
    session,
)
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import escape
from sqlalchemy.orm import Session

from tracker.i18n import current_language
from tracker.services import activity

LIFETIME_SECONDS = 60
SIZE = 64  # pages per worker, the least recently used dropped first
# Private-use characters: nothing a person types, and Jinja leaves them unescaped.
VIEWER_SLOT = "\ue000viewer\ue000"
CSRF_SLOT = "\ue000csrf\ue000"
_lock = threading.Lock()  # threaded servers (the dev server, gthread) share the cache
# Other parts of a page that are the reader's own (an unread count, a follow button):
# reader_part() leaves a slot "\ue001name\ue002argument\ue001" in a cached page.
PART_SLOT = re.compile("\ue001([a-z_]+)\ue002([^\ue001]*)\ue001")


def data_version(db: Session) -> Hashable:
    """The data version read with the login (tracker.auth), else read now."""
    return g.data_version if "data_version" in g else activity.data_version(db)


def render_cached(
    template: str, version: Hashable, context: Callable[[], dict[str, Any]]
) -> str:
    """*template* as this path, language and role see it at *version*.

    The page is rendered once per key and worker, with the reader's name and CSRF
    token left as slots that each request fills in: the same page then costs a
    string replacement instead of the queries and the template. *version* must
    change whenever the page's content can (data_version() and the date); the
    lifetime covers what could change without it (an SQLite change without an
    activity event). Read the version before the page's data, so that a page is
    never stored under a version newer than what it shows.
    """
    if session.get("_flashes"):  # a message for this reader alone, shown once
        return render_template(template, **context())
    key = (request.full_path, version, current_language(), current_user.role)
    cache: OrderedDict[Hashable, tuple[float, str]] = current_app.extensions.setdefault(
        "tracker.page_cache", OrderedDict()
    )
    hit = cache.get(key)
    if hit is None or time.monotonic() - hit[0] >= LIFETIME_SECONDS:
        token = generate_csrf()
        g.page_cache_rendering = True
        try:
            page = render_template(template, **context(), viewer_name=VIEWER_SLOT)
        finally:
            g.page_cache_rendering = False
        hit = (time.monotonic(), page.replace(token, CSRF_SLOT))
    with _lock:
        cache[key] = hit
        cache.move_to_end(key)
        if len(cache) > SIZE:
            cache.popitem(last=False)
    page = (
        hit[1]
        .replace(VIEWER_SLOT, str(escape(current_user.name)))
        .replace(CSRF_SLOT, generate_csrf())
    )
    if "\ue001" in page:
        page = PART_SLOT.sub(lambda slot: _part(slot[1], slot[2]), page)
    return page


def reader_part(name: str, argument: object = "") -> str:
    """The reader's own part *name* of a page, e.g. reader_part("follow", "plan:3").

    While a page is rendered for the cache this is a slot that every request fills
    in, so one reader's part is never served to another. The functions that render
    the parts (as Markup, from a Jinja macro) are registered by name in
    app.extensions["tracker.reader_parts"].
    """
    if g.get("page_cache_rendering"):
        # a plain str: Jinja escapes the argument, _part() reads it back
        return f"\ue001{name}\ue002{argument}\ue001"
    return _part(name, str(argument))


def _part(name: str, argument: str) -> str:
    parts: dict[str, Callable[[str], str]] = current_app.extensions[
        "tracker.reader_parts"
    ]
    return parts[name](html.unescape(argument))


def render_macro(template: str, macro: str, **values: Any) -> str:
    """A macro of *template*, rendered: Markup, as a reader part must return."""
    return cast(str, get_template_attribute(template, macro)(**values))
