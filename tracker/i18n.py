"""Language selection and the date filters (Swedish by default, Europe/Stockholm)."""

from __future__ import annotations

from datetime import date, datetime
from functools import lru_cache
from typing import Any

from babel.dates import format_date as babel_format_date
from flask import Flask, current_app, g, has_request_context, session
from flask_babel import (
    Babel,
    format_datetime,
    format_decimal,
    format_percent,
    get_locale,
    get_translations,
)

babel = Babel()


def select_locale() -> str:
    """The language chosen in this session, else the default (Swedish)."""
    languages: list[str] = current_app.config["LANGUAGES"]
    chosen = None
    if has_request_context():
        # the API chooses by Accept-Language (tracker.views.api); pages by session
        chosen = g.get("language") or session.get("lang")
    if chosen in languages:
        return str(chosen)
    return str(current_app.config["BABEL_DEFAULT_LOCALE"])


def date_filter(value: date | datetime | None, style: str = "medium") -> str:
    """Format a date the way the reader's language writes it (e.g. 3 nov. 2026)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return str(format_datetime(value, "short" if style == "short" else "medium"))
    return _day(value, style, str(get_locale()))


@lru_cache(maxsize=4096)
def _day(value: date, style: str, locale: str) -> str:
    # Babel takes ~20 µs a date, and a page shows the same few dates again and again
    return str(babel_format_date(value, style, locale=locale))


def datetime_filter(value: datetime | None) -> str:
    """Format a moment in the configured time zone."""
    return "" if value is None else str(format_datetime(value, "short"))


def percent_filter(share: float | None, decimals: int = 0) -> str:
    """A share (0.205) as a percentage the reader's language writes (20,5 %)."""
    if share is None:
        return ""
    # a no-break space: the number and its sign never wrap apart
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "\u00a0%"
    return str(format_percent(share, pattern))


def decimal_filter(value: float | None, decimals: int = 1) -> str:
    """A number with the reader's decimal sign (Swedish: a comma)."""
    if value is None:
        return ""
    return str(format_decimal(value, "#,##0." + "0" * decimals))


def current_language() -> str:
    """The two-letter code of the page's language, for <html lang>."""
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


def catalog() -> Any:
    """The catalog of the current language, looked up once per request and language."""
    # Flask-Babel finds it through the request context for every string (~7 µs);
    # a page translates a few hundred. Keyed on the locale Flask-Babel keeps for the
    # request (force_locale() swaps it), read straight from its namespace on g.
    globals_ = g._get_current_object()
    babel_state = globals_.__dict__.get("_flask_babel")
    found = globals_.__dict__.get("tracker_catalog")
    if (
        found is not None
        and babel_state is not None
        and found[0] is getattr(babel_state, "babel_locale", None)
    ):
        return found[1]
    locale = get_locale()
    found = g.tracker_catalog = (locale, get_translations())
    return found[1]


def init_i18n(app: Flask) -> None:
    """Set up Flask-Babel and the template filters."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=lambda text: catalog().ugettext(text),
        ngettext=lambda text, plural, n: catalog().ungettext(text, plural, n),
        pgettext=lambda context, text: catalog().upgettext(context, text),
        npgettext=lambda context, text, plural, n: catalog().unpgettext(
            context, text, plural, n
        ),
        newstyle=True,
    )
    app.jinja_env.filters["date"] = date_filter
    app.jinja_env.filters["datetime"] = datetime_filter
    app.jinja_env.filters["percent"] = percent_filter
    app.jinja_env.filters["decimal"] = decimal_filter
    app.jinja_env.globals["current_language"] = current_language
