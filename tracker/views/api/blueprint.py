"""The API's blueprint, and what every operation documents."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import g, request
from flask_smorest import Blueprint
from werkzeug.exceptions import HTTPException
from werkzeug.wrappers import Response

from tracker.views.api.problems import MEDIA_TYPE, PREFIX, from_http_exception
from tracker.views.api.schemas import Problem

F = TypeVar("F", bound=Callable[..., Any])
LANGUAGES = ("sv", "en")

bp = Blueprint(
    "api",
    __name__,
    url_prefix=PREFIX,
    description="Plans, assignments, milestones, groups, decisions, the activity feed "
    "and what needs the caller.",
)


def documented_errors(view: F) -> F:
    """Every operation may answer with a problem (4xx, or 503 when the database is
    down); the status codes are listed in the document."""
    for status in ("400", "401", "403", "404", "422"):
        view = bp.alt_response(
            status, schema=Problem, content_type=MEDIA_TYPE, description=status
        )(view)
    return view


@bp.errorhandler(HTTPException)
def _problem(error: HTTPException) -> Response:
    # 401, 409, 422 and the like raised in the API's views (the app's own error
    # pages, wrapped in problems.init_problems, answer the codes they know)
    return from_http_exception(error)


@bp.before_request
def _language() -> None:
    # problems in the caller's language: Accept-Language, Swedish by default
    g.language = request.accept_languages.best_match(LANGUAGES) or "sv"


@bp.after_request
def _conditional(response: Response) -> Response:
    # ETag on every successful read; If-None-Match then answers 304 Not Modified
    if request.method == "GET" and response.status_code == 200:
        response.add_etag()
        response.headers["Cache-Control"] = "private, no-cache"
        return response.make_conditional(request)
    return response
