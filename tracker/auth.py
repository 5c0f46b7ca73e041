"""Login, roles and the default-deny access check every view goes through."""

from __future__ import annotations

import enum
from collections.abc import Callable
from functools import cache, wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Flask, abort, current_app, g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin, LoginManager, current_user, login_user
from sqlalchemy import Select, bindparam, select
from sqlalchemy.orm import Session
from werkzeug.wrappers import Response

from tracker import clock
from tracker.db import get_session
from tracker.models.accounts import LoginSession
from tracker.models.people import Person, Role
from tracker.services import activity
from tracker.services.accounts import sessions
from tracker.services.attention import notifications

login_manager = LoginManager()
login_manager.login_view = "auth.login"
login_manager.session_protection = "strong"
# flask-login's own message is English; ours is translated when it is flashed
login_manager.login_message = _l("Log in to see this page.")
login_manager.localize_callback = str
login_manager.login_message_category = "info"

F = TypeVar("F", bound=Callable[..., Any])

# Endpoints Flask itself provides; everything else must declare a role.
BUILTIN_PUBLIC = {"static"}
# The Flask session key that holds this browser's login session key
SESSION_KEY = "_login_session"


class Audience(enum.Enum):
    """Readers who are not logins, and so have no Role."""

    # anyone at all, when PUBLIC_READ is on: the pages about the programme that
    # show no person (see README, "Public reading")
    PUBLIC = "public"


PUBLIC_READER = Audience.PUBLIC


class Anonymous(AnonymousUserMixin):
    """The visitor who has not logged in."""

    role = None
    id = None


login_manager.anonymous_user = Anonymous


@login_manager.user_loader
def load_user(user_id: str) -> Person | None:
    """The logged-in person, if this browser's session is still live; the data
    version with it."""
    person_id, _, generation = user_id.partition(":")
    key = session.get(SESSION_KEY)
    if not (_small_number(person_id) and _small_number(generation)) or not key:
        return None
    db = get_session()
    row = db.execute(
        _login_statement(db.get_bind().dialect.name),
        {
            "person_id": int(person_id),
            "generation": int(generation),
            "key_hash": sessions.key_hash(str(key)),
            "oldest": clock.now() - current_app.permanent_session_lifetime,
        },
    ).one_or_none()
    if row is None or not row[0].has_login:
        return None
    # One round trip for all three: on a page served from tracker.page_cache these
    # are all the database work of the request.
    person, g.data_version, g.unread_notifications = row
    return person


def _small_number(text: str) -> bool:
    return text.isdigit() and len(text) < 10


@cache
def _login_statement(dialect: str) -> Select[Person, str | None, int]:
    # built once: building it costs more than running it
    version = activity.version_expression(dialect)
    unread = notifications.unread_expression(bindparam("person_id"))
    return (
        select(Person, version, unread)
        .join(LoginSession, LoginSession.person_id == Person.id)
        .where(
            Person.id == bindparam("person_id"),
            Person.session_generation == bindparam("generation"),
            LoginSession.key_hash == bindparam("key_hash"),
            LoginSession.created_at >= bindparam("oldest"),
        )
    )


def open_session(db: Session, person: Person, *, id_token: str | None = None) -> None:
    """Record a login session for *person*, commit, and log this browser in."""
    key = sessions.start_session(
        db,
        person,
        now=clock.now(),
        lifetime=current_app.permanent_session_lifetime,
        id_token=id_token,
    )
    db.commit()
    language = session.get("lang")
    session.clear()  # nothing from before the login survives it (session fixation)
    if language:
        session["lang"] = language
    login_user(person)
    session[SESSION_KEY] = key


def stay_logged_in(person: Person) -> None:
    """Carry this browser over to *person*'s new session generation (after the
    caller ended all their other sessions and committed)."""
    login_user(person)


def session_key() -> str:
    """This browser's login session key ("" when logged out)."""
    return str(session.get(SESSION_KEY) or "")


def role_allows(role: Role | None, required: Role) -> bool:
    """Admin may do everything; every login is at least staff."""
    if role is None:
        return False
    return role in (Role.ADMIN, required) or required is Role.STAFF


def public_reading() -> bool:
    """Whether visitors without a login may read the public pages (PUBLIC_READ)."""
    return bool(current_app.config["PUBLIC_READ"])


def is_public_reader() -> bool:
    """Whether the current visitor reads without a login."""
    return not current_user.is_authenticated


def has_role(required: Role) -> bool:
    """Whether the current user has *required* (or admin)."""
    return bool(current_user.is_authenticated) and role_allows(
        current_user.role, required
    )


def require_role(*roles: Role | Audience) -> Callable[[F], F]:
    """Allow the view to users with one of *roles*; others get login or 403.

    PUBLIC_READER among *roles* also lets visitors without a login in, but only
    while PUBLIC_READ is on; everything else still asks them to log in.
    """

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                if PUBLIC_READER in roles and public_reading():
                    return view(*args, **kwargs)
                return login_manager.unauthorized()
            logins = [role for role in roles if isinstance(role, Role)]
            if not any(role_allows(current_user.role, role) for role in logins):
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


def current_reader(*, personal: bool = True) -> activity.Reader:
    """What the current visitor may see of the activity log (see Reader.of)."""
    person = current_user._get_current_object()
    return activity.Reader.of(
        person if isinstance(person, Person) else None, personal=personal
    )


def current_person_or_none() -> Person | None:
    """The logged-in person, or None for a public reader."""
    person = current_user._get_current_object()
    return person if isinstance(person, Person) else None


def current_person() -> Person:
    """The logged-in person (only call behind require_role)."""
    person = current_user._get_current_object()
    if not isinstance(person, Person):
        abort(401)
    return person
