"""Domain errors and the HTTP error pages."""

from __future__ import annotations

from typing import Any

from flask import Flask, render_template
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


def register_error_pages(app: Flask) -> None:
    """Render a Swedish page for the HTTP errors users can meet."""

    def render_error(error: HTTPException) -> tuple[str, int]:
        code = error.code or 500
        return render_template("errors/error.html", code=code, error=error), code

    for code in ERROR_PAGES:
        app.register_error_handler(code, render_error)
