"""Domain errors and the HTTP error pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, g, render_template
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.exceptions import HTTPException


class DomainError(Exception):
    """Bad input for a domain operation; the message is shown to the user."""

    def __init__(self, message: Any, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


ERROR_PAGES = (400, 403, 404, 405, 413, 429, 500)
RETRY_AFTER_SECONDS = 30


def register_error_pages(app: Flask) -> None:
    """Render a Swedish page for the HTTP errors users can meet."""

    def render_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return render_template("errors/error.html", code=code, error=error), code

    for code in ERROR_PAGES:
        app.register_error_handler(code, render_error)
    for unreachable in (OperationalError, InterfaceError):
        app.register_error_handler(unreachable, database_unavailable)


def database_unavailable(
    _error: Exception,
) -> tuple[str, int, dict[str, str]]:
    """The database is down or restarting: 503 with a time to try again."""
    # the page must not ask the database who is logged in: it would fail again
    g._login_user = current_app.login_manager.anonymous_user()  # type: ignore[attr-defined]
    page = render_template("errors/error.html", code=503, error=None)
    return page, 503, {"Retry-After": str(RETRY_AFTER_SECONDS)}
