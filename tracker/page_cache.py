"""Whole pages kept per worker while nothing they show can have changed."""

from __future__ import annotations

import re
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Collection, Hashable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

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
from markupsafe import Markup, escape
from sqlalchemy import CompoundSelect, Select
from sqlalchemy.orm import Session

from tracker import clock, page_store, stamps
from tracker.db import Base, get_session
from tracker.i18n import current_language
from tracker.services import activity

LIFETIME_SECONDS = 60
SIZE = 64  # pages per worker, the least recently used dropped first
CSRF = "csrf_token"
# A marker: a random value per render between private-use characters, which
# Jinja leaves unescaped. Nobody can type it into a page in advance.
MARKER = re.compile("\ue000[0-9a-f]{32}\ue000")
T = TypeVar("T")
_lock = threading.Lock()  # threaded servers (the dev server, gthread) share the cache


def _viewer_name() -> str:
    return str(current_user.name) if current_user.is_authenticated else ""


# What a cached page leaves open for each request: the template variable's name ->
# its value for the current reader (escaped unless it is Markup). Add a slot here
# and use the variable in the template; the reader's CSRF token is filled in too.
SLOTS: dict[str, Callable[[], Any]] = {"viewer_name": _viewer_name}


@dataclass(frozen=True)
class CachedPage:
    """A rendered page with a marker where each slot's value goes."""

    stored_at: float
    text: str
    markers: dict[str, str]  # marker -> slot name
    # marker -> (part name, argument) of reader_part()
    parts: dict[str, tuple[str, str]]


def data_version(db: Session) -> Hashable:
    """The data version read with the login (tracker.auth), else read now."""
    return g.data_version if "data_version" in g else activity.data_version(db)


def scoped_version(
    tables: Collection[str],
    scopes: Collection[str],
    linked: Select[Any] | CompoundSelect[Any] | None = None,
    **parameters: Any,
) -> Hashable:
    """The version of a page that shows one assignment's or group's rows (*scopes*,
    and those *linked* selects with *parameters*) of the scoped tables among
    *tables*, and the other *tables* whole: moved by a write there only
    (tracker.stamps.scoped), not by every commit anywhere as data_version() is.
    Pass the same *tables* to render_cached(reads=…), which checks them in the
    tests."""
    found = stamps.scoped(get_session(), tables, scopes, linked, **parameters)
    return ("scoped", found, clock.today())


def audience() -> Hashable:
    """Who a page is rendered for: the reader's role, or the public reader."""
    return current_user.role if current_user.is_authenticated else "public"


def render_cached(
    template: str,
    version: Hashable,
    context: Callable[[], dict[str, Any]],
    *,
    variant: Hashable = None,
    reads: Collection[str] | None = None,
    host_wide: bool = False,
) -> str:
    """*template* as this path, language and role see it at *version*.

    The page is rendered once per key and worker, with the reader's values (SLOTS,
    reader_part()s, the CSRF token) left as markers that each request fills in: the
    same page then costs one pass of replacements instead of the queries and the
    template. *version* must change whenever the page's content can
    (data_version() and the date); the lifetime covers what could change without it
    (an SQLite change without an activity event). Read the version before the
    page's data, so that a page is never stored under a version newer than what it
    shows. *variant* tells apart what one role sees in more than one way (e.g.
    whether the reader may report on an assignment). *reads*: the tables of a
    scoped_version(); under app.testing a page that reads another is refused.
    *host_wide*: for a page that every write changes, share each rendering with the
    host's other workers (tracker.page_store, when PAGE_CACHE_DIR is set), so that a
    version is rendered once per host instead of once per worker. Only for a path
    without a query string, so that the files stay as few as the pages.
    """
    if session.get("_flashes"):  # a message for this reader alone, shown once
        return render_template(template, **context())
    # one page per path, language, role and variant: its newest version only, so
    # that a page of a version gone (every write makes one) holds no memory
    identity = (request.full_path, current_language(), audience(), variant)
    cache: OrderedDict[Hashable, tuple[Hashable, CachedPage]] = (
        current_app.extensions.setdefault("tracker.page_cache", OrderedDict())
    )
    kept = cache.get(identity)
    hit = kept[1] if kept is not None and kept[0] == version else None
    if hit is None or time.monotonic() - hit.stored_at >= LIFETIME_SECONDS:
        shared_as = None
        if host_wide and not request.query_string:
            shared_as = repr(identity)
            hit = _stored(shared_as, repr(version))
        if hit is None:
            if reads is not None and current_app.testing:
                hit = _checked(identity, reads, lambda: _render(template, context))
            else:
                hit = _render(template, context)
            if shared_as is not None:
                page = _payload(hit)
                page_store.save(shared_as, repr(version), page, LIFETIME_SECONDS)
    with _lock:
        cache[identity] = (version, hit)
        cache.move_to_end(identity)
        if len(cache) > SIZE:
            cache.popitem(last=False)
    return fill(hit)


def _render(template: str, context: Callable[[], dict[str, Any]]) -> CachedPage:
    slots = {name: _marker() for name in SLOTS}
    token, token_marker = generate_csrf(), _marker()
    g.page_cache_parts = {}
    try:
        page = render_template(template, **context(), **slots)
        parts: dict[str, tuple[str, str]] = g.page_cache_parts
    finally:
        g.pop("page_cache_parts", None)
    markers = {marker: name for name, marker in slots.items()}
    markers[token_marker] = CSRF
    text = page.replace(token, token_marker)
    return CachedPage(time.monotonic(), text, markers, parts)


def _payload(page: CachedPage) -> dict[str, Any]:
    return {"text": page.text, "markers": page.markers, "parts": page.parts}


def _stored(identity: str, version: str) -> CachedPage | None:
    """The page another worker of this host stored at *version*, if any."""
    found = page_store.load(identity, version, LIFETIME_SECONDS)
    if found is None:
        return None
    age, page = found
    try:
        parts = {marker: (n, arg) for marker, (n, arg) in page["parts"].items()}
        return CachedPage(time.monotonic() - age, page["text"], page["markers"], parts)
    except (KeyError, TypeError, ValueError):
        return None  # not a page of this app's making: rendered afresh


def _checked(key: Hashable, tables: Collection[str], compute: Callable[[], T]) -> T:
    """compute(), refused (AssertionError) if it reads a table not in *tables*."""
    with stamps.Reading() as read:
        value = compute()
    undeclared = (read & Base.metadata.tables.keys()) - set(tables) - {stamps.TABLE}
    if undeclared:
        raise AssertionError(f"{key!r} reads {sorted(undeclared)} as well")
    return value


def _marker() -> str:
    return f"\ue000{secrets.token_hex(16)}\ue000"


def fill(page: CachedPage) -> str:
    """*page* with this request's values in its slots and reader parts."""
    values = {name: str(escape(fill_in())) for name, fill_in in SLOTS.items()}
    values[CSRF] = generate_csrf()

    def value(match: re.Match[str]) -> str:
        if (part := page.parts.get(match[0])) is not None:
            return _part(*part)
        name = page.markers.get(match[0])
        return match[0] if name is None else values[name]

    return MARKER.sub(value, page.text)


def reader_part(name: str, argument: object = "") -> str:
    """The reader's own part *name* of a page, e.g. reader_part("follow", "plan:3").

    While a page is rendered for the cache this is a random marker that every
    request fills in, so one reader's part is never served to another, and no text
    on a page can call a part. The functions that render the parts (as Markup, from
    a Jinja macro) are registered by name in app.extensions["tracker.reader_parts"].
    """
    pending: dict[str, tuple[str, str]] | None = g.get("page_cache_parts")
    if pending is None:
        return _part(name, str(argument))
    marker = _marker()
    pending[marker] = (name, str(argument))
    return marker


def role_part(name: str, argument: object = "") -> str:
    """A part that depends only on who the reader is by role (or on being logged in),
    e.g. the decisions about a plan: rendered into the cached page itself, which is
    kept per role (audience()), so a cache hit costs it nothing. A part registered
    with the tables it reads (app.extensions["tracker.part_tables"]) is also kept
    apart from the page until one of them is written, so a miss of the page after a
    write elsewhere costs it nothing either."""
    text = str(argument)
    tables = current_app.extensions.get("tracker.part_tables", {}).get(name)
    if tables is None:
        return _part(name, text)
    key = ("part", name, text, *_scope(), clock.today())
    return shared_on(tables, key, lambda: _part(name, text))


def _scope() -> tuple[str, Hashable]:
    """(language, audience()) of this request: asked once, as a page may have
    hundreds of kept pieces and parts."""
    if (scope := g.get("page_cache_scope")) is None:
        scope = g.page_cache_scope = (current_language(), audience())
    return cast(tuple[str, Hashable], scope)


def part_target(argument: str, kinds: Collection[str]) -> tuple[str, int] | None:
    """The (kind, id) that a part's "kind:<id>" argument names, for a logged-in
    reader and one of *kinds*; None otherwise (the part then shows nothing)."""
    kind, _sep, raw = argument.partition(":")
    if kind not in kinds or not raw.isdigit() or len(raw) > 9:
        return None
    return (kind, int(raw)) if current_user.is_authenticated else None


def _part(name: str, argument: str) -> str:
    parts: dict[str, Callable[[str], str]] = current_app.extensions[
        "tracker.reader_parts"
    ]
    return parts[name](argument)


def render_macro(template: str, macro: str, **values: Any) -> str:
    """A macro of *template*, rendered: Markup, as a reader part must return."""
    return cast(str, get_template_attribute(template, macro)(**values))


SHARED_SIZE = 2048  # values per worker, the least recently used dropped first
FRAGMENT_SIZE = 4096  # pieces of pages per worker (a plan card is about 1 kB)
# where a kept piece of a page had the reader's CSRF token: each use puts back its own
CSRF_SLOT = "\ue001csrf\ue001"
_NOT_KEPT = object()


def shared(key: Hashable, compute: Callable[[], T]) -> T:
    """A value every reader shares, computed once per worker and *key*.

    For the costly parts of a page that change more rarely than the data version
    (which any commit anywhere moves): *key* must name everything the value depends
    on, e.g. ("burnup", plan id, day, the plan's last relevant event), so that a
    cache miss of the page reuses it until that changes.
    """
    return cast(T, _kept("tracker.shared_values", SHARED_SIZE, key, compute))


def refreshed(key: Hashable, refresh: Callable[[T | None], T]) -> T:
    """The value kept under *key* in this worker, brought up to date by
    refresh(kept), which gets None at first and returns the value to keep: *kept*
    itself while nothing changed, or a new value built on it (e.g. a plan's burn-up
    extended by the events since). *kept* must not be changed in place."""
    cache: OrderedDict[Hashable, Any] = current_app.extensions.setdefault(
        "tracker.shared_values", OrderedDict()
    )
    with _lock:
        kept = cache.get(key)
    value = refresh(kept)
    with _lock:
        cache[key] = value
        cache.move_to_end(key)
        if len(cache) > SHARED_SIZE:
            cache.popitem(last=False)
    return value


def shared_on(tables: Collection[str], key: Hashable, compute: Callable[[], T]) -> T:
    """shared(), kept until one of *tables* is written (tracker.stamps): for a
    value that reads a few tables, so that writes elsewhere leave it be.

    *tables* must name every table *compute* reads; under app.testing a value that
    reads another is refused (AssertionError), so a test of the page finds it. A
    write from outside the app (psql) raises no stamp: the value is kept for
    LIFETIME_SECONDS at most, as a page is.
    """
    names = tuple(sorted(tables))
    full = (key, *tables_key(names))
    if not current_app.testing:
        return shared(full, compute)
    return shared(full, lambda: _checked(key, names, compute))


def tables_key(tables: Collection[str]) -> tuple[Hashable, ...]:
    """Part of a key for what shows *tables*: their change stamps (read once per
    request), and the page cache's lifetime period, as a write from outside the
    app (psql) raises no stamp."""
    names = tuple(sorted(tables))
    stamps.declare(names)  # a page that shows the value reads them too
    now = time.monotonic()
    period = now // LIFETIME_SECONDS if LIFETIME_SECONDS > 0 else now
    return names, stamps.of(get_session(), names, Base.metadata.tables.keys()), period


def fragment(*key: Hashable, caller: Callable[[], str]) -> Markup:
    """A piece of a page kept per worker while its *key* is the same, e.g. a plan's
    card on the overview, keyed on every value the card shows.

    Use it as a call block, ``{% call fragment(row.card_key) %}…{% endcall %}``: the
    body is rendered only when this language and role have not rendered the same key
    before, so a page's cache miss renders only the pieces whose data changed. The
    key must hold every value the body shows (it is a content key, not a version),
    so it never outlives a change.
    """
    full = (*_scope(), *key)
    # a call block's body is Markup (autoescaped)
    return cast(Markup, _kept("tracker.fragments", FRAGMENT_SIZE, full, caller))


def _kept(store: str, size: int, key: Hashable, compute: Callable[[], Any]) -> Any:
    """The value kept under *key* in the worker's *store*, else computed and kept.

    Text is kept with the reader's CSRF token as CSRF_SLOT, and each use gets its
    own token back; text with a reader's part (a marker) is not kept at all.
    """
    cache: OrderedDict[Hashable, Any] = current_app.extensions.setdefault(
        store, OrderedDict()
    )
    with _lock:
        value = cache.get(key, _NOT_KEPT)
        if value is not _NOT_KEPT:
            cache.move_to_end(key)
    if value is _NOT_KEPT:
        value = computed = compute()
        if isinstance(computed, str):
            if "\ue000" in computed:  # a reader's own part: this request only
                return computed
            token = g.get(CSRF)  # Flask-WTF keeps the request's token here once made
            if token and token in computed:
                value = computed.replace(token, CSRF_SLOT)
        with _lock:
            cache[key] = value
            if len(cache) > size:
                cache.popitem(last=False)
    if isinstance(value, str) and CSRF_SLOT in value:
        return value.replace(CSRF_SLOT, generate_csrf())
    return value
