"""Personal API tokens on each request: who calls, and whether they may write."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import abort, g, request
from flask_babel import gettext as _

from tracker import clock
from tracker.db import get_session
from tracker.models.people import Role
from tracker.services.accounts import api_tokens
from tracker.views.api.problems import problem

F = TypeVar("F", bound=Callable[..., Any])
CHALLENGE = {"WWW-Authenticate": 'Bearer realm="tracker"'}


def refusal_text(refusal: api_tokens.Refusal) -> str:
    """Why the token was refused, in the reader's language."""
    texts: dict[api_tokens.Refusal, str] = {
        api_tokens.Refusal.UNKNOWN: _("The API token is not valid."),
        api_tokens.Refusal.EXPIRED: _("The API token has expired."),
        api_tokens.Refusal.REVOKED: _("The API token has been revoked."),
        api_tokens.Refusal.NO_LOGIN: _("The token's owner may no longer log in."),
    }
    return texts[refusal]


def token_required(*, write: bool = False) -> Callable[[F], F]:
    """Let the view run only for a valid token (read-write for *write*)."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            scheme, _sep, secret = request.headers.get("Authorization", "").partition(
                " "
            )
            if scheme.lower() != "bearer" or not secret.strip():
                return problem(
                    401,
                    _("Send a valid API token: Authorization: Bearer <token>."),
                    headers=CHALLENGE,
                )
            db = get_session()
            caller = api_tokens.authenticate(
                db, secret.strip(), today=clock.today(), now=clock.now()
            )
            if isinstance(caller, api_tokens.Refusal):
                return problem(401, refusal_text(caller), headers=CHALLENGE)
            db.commit()  # last_used_at
            if write and not caller.may_write:
                return problem(403, _("This API token may only read."))
            g.api_caller = caller
            return view(*args, **kwargs)

        # every login may use the API; what each may see or change is checked as
        # on the pages (tracker.auth.enforce_declared_roles needs the declaration)
        wrapped.required_role = (Role.STAFF,)  # type: ignore[attr-defined]
        return cast(F, wrapped)

    return decorator


def caller() -> api_tokens.Caller:
    """The caller of this request (only behind token_required)."""
    found = g.get("api_caller")
    if not isinstance(found, api_tokens.Caller):
        abort(401)
    return found
