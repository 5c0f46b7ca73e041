"""Whole pages kept per worker while nothing they show can have changed."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from flask import current_app, g, render_template, request, session
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
        page = render_template(template, **context(), viewer_name=VIEWER_SLOT)
        hit = (time.monotonic(), page.replace(token, CSRF_SLOT))
    with _lock:
        cache[key] = hit
        cache.move_to_end(key)
        if len(cache) > SIZE:
            cache.popitem(last=False)
    return (
        hit[1]
        .replace(VIEWER_SLOT, str(escape(current_user.name)))
        .replace(CSRF_SLOT, generate_csrf())
    )
