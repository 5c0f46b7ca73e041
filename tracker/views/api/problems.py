"""Errors as application/problem+json (RFC 9457), in Swedish or English."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask, Response, current_app, json, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

PREFIX = "/api/v1"
PROBLEM_TYPE = "about:blank"
MEDIA_TYPE = "application/problem+json"


def titles() -> dict[int, str]:
    """A short title per status, in the reader's language."""
    return {
        400: _("Bad request"),
        401: _("Not authenticated"),
        403: _("Not allowed"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        409: _("Conflict"),
        413: _("Too large"),
        415: _("Unsupported media type"),
        422: _("Invalid input"),
        429: _("Too many requests"),
        500: _("Internal error"),
        503: _("Service unavailable"),
    }


def problem(
    status: int,
    detail: str,
    *,
    errors: Any = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """A problem+json response."""
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE,
        "title": titles().get(status, str(status)),
        "status": status,
        "detail": detail,
    }
    if errors:
        body["errors"] = errors
    response = Response(
        json.dumps(body, ensure_ascii=False), status, mimetype=MEDIA_TYPE
    )
    response.headers.update(headers or {})
    return response


def from_http_exception(error: HTTPException) -> Response:
    """An HTTP error raised in (or on the way to) the API, as a problem."""
    status = error.code or 500
    data = getattr(error, "data", None) or {}
    errors = data.get("messages") if isinstance(data, dict) else None
    detail = _default_detail(status) if errors or not _own(error) else error.description
    response = problem(status, str(detail), errors=errors)
    if status == 405 and (allowed := getattr(error, "valid_methods", None)):
        response.headers["Allow"] = ", ".join(sorted(allowed))
    return response


def _own(error: HTTPException) -> bool:
    # our own abort(…, description=…) carry a translated text; werkzeug's defaults
    # are English, so those get the translated default instead
    return bool(error.description) and error.description != type(error).description


def _default_detail(status: int) -> str:
    details: dict[int, str] = {
        400: _("The request could not be understood."),
        401: _("Send a valid API token: Authorization: Bearer <token>."),
        403: _("Your role or token does not allow this."),
        404: _("There is nothing at this address."),
        405: _("This address does not take that method."),
        422: _("Some values are missing or wrong; see errors."),
    }
    return details.get(status) or titles().get(status, str(status))


def init_problems(app: Flask) -> None:
    """Answer errors under /api/v1 as problems, and elsewhere as before (HTML).

    The app's error pages (by code, and the database-outage page) are wrapped, so
    that routing errors (404, 405) and outages under /api/v1 are problems too.
    """
    for handlers in app.error_handler_spec[None].values():
        for kind, page in list(handlers.items()):
            handlers[kind] = _either(page)


def _either(page: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def handler(error: Any) -> Any:
        if not request.path.startswith(PREFIX + "/"):
            return page(error)
        if isinstance(error, HTTPException):
            return from_http_exception(error)
        answer = current_app.make_response(page(error))
        converted = problem(answer.status_code, titles().get(answer.status_code, ""))
        if retry := answer.headers.get("Retry-After"):
            converted.headers["Retry-After"] = retry
        return converted

    return handler
