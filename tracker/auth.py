"""Login, roles and the default-deny access check every view goes through."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache, wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, abort, g, redirect, request, url_for
from flask_login import AnonymousUserMixin, LoginManager, current_user
from sqlalchemy import Select, bindparam, select
from werkzeug.wrappers import Response

from tracker.db import get_session
from tracker.models.people import Person, Role
from tracker.services import activity
from tracker.services.attention import notifications

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"

F = TypeVar("F", bound=Callable[..., Any])

# Endpoints Flask itself provides; everything else must declare a role.
BUILTIN_PUBLIC = {"static"}


class Anonymous(AnonymousUserMixin):
    """The visitor who has not logged in."""

    role = None
    id = None


login_manager.anonymous_user = Anonymous


@login_manager.user_loader
def load_user(user_id: str) -> Person | None:
    """Load the logged-in person for flask-login, and the data version with it."""
    if not user_id.isdigit():
        return None
    session = get_session()
    statement = _login_statement(session.get_bind().dialect.name)
    row = session.execute(statement, {"person_id": int(user_id)}).one_or_none()
    if row is None or not row[0].has_login:
        return None
    # One round trip for all three: on a page served from tracker.page_cache these
    # are all the database work of the request.
    person, g.data_version, g.unread_notifications = row
    return person


@cache
def _login_statement(dialect: str) -> Select[Person, str | None, int]:
    # built once: building it costs more than running it
    version = activity.version_expression(dialect)
    unread = notifications.unread_expression(bindparam("person_id"))
    return select(Person, version, unread).where(Person.id == bindparam("person_id"))


def role_allows(role: Role | None, required: Role) -> bool:
    """Admin may do everything; every login is at least staff."""
    if role is None:
        return False
    return role in (Role.ADMIN, required) or required is Role.STAFF


def has_role(required: Role) -> bool:
    """Whether the current user has *required* (or admin)."""
    return bool(current_user.is_authenticated) and role_allows(
        current_user.role, required
    )


def require_role(*roles: Role) -> Callable[[F], F]:
    """Allow the view to users with one of *roles*; others get login or 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not any(role_allows(current_user.role, role) for role in roles):
                abort(403)
            return view(*args, **kwargs)

        wrapped.required_role = roles  # type: ignore[attr-defined]
        return cast(F, wrapped)

    return decorator


def public(view: F) -> F:
    """Mark a view as open to everyone, logged in or not."""
    view.required_role = ()  # type: ignore[attr-defined]
    return view


def enforce_declared_roles(app: Flask) -> None:
    """Refuse any endpoint that forgot to declare who may see it."""

    @app.before_request
    def deny_undeclared() -> None:
        endpoint = request.endpoint
        if endpoint is None or endpoint in BUILTIN_PUBLIC:
            return
        view = app.view_functions.get(endpoint)
        if view is None or not hasattr(view, "required_role"):
            abort(403)


def safe_next(target: str | None) -> str | None:
    """Return *target* only when it is a local path, never another site."""
    if not target:
        return None
    target = target.replace("\\", "/").strip()
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
    ):
        return None
    if any(ord(char) < 32 for char in target):
        return None
    return target


def redirect_to_next(default: str) -> Response:
    """Redirect to ?next= when it is local, else to *default*."""
    return redirect(safe_next(request.args.get("next")) or url_for(default))


def current_person() -> Person:
    """The logged-in person (only call behind require_role)."""
    person = current_user._get_current_object()
    if not isinstance(person, Person):
        abort(401)
    return person
