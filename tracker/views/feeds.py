"""Calendar and Atom feeds behind a personal secret address, and managing it.

The feeds work without a session: the token in the address is the login. A wrong
or revoked token answers the same 404 as any address that does not exist.
"""

from __future__ import annotations

from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.wrappers import Response

from tracker import clock
from tracker.auth import current_person, public, require_role
from tracker.db import get_session
from tracker.forms.common import EmptyForm
from tracker.models.people import Person, Role
from tracker.models.plans import ActionPlan
from tracker.page_cache import render_macro
from tracker.services.attention import calendar, feeds, tokens
from tracker.services.programme import plans

bp = Blueprint("feeds", __name__, url_prefix="/flode")
PARTS = "feeds/_parts.html"
NO_TOKEN = object()


@bp.get("/<token>/kalender.ics")
@public
def person_calendar(token: str) -> Response:
    """The calendar of everything the token's owner follows."""
    person = _owner_or_404(token)
    body = calendar.person_feed(
        get_session(), person, base_url=_base(), now=clock.now()
    )
    return _respond(body, "text/calendar; charset=utf-8", "kalender.ics")


@bp.get("/<token>/plan/<slug>.ics")
@public
def plan_calendar(token: str, slug: str) -> Response:
    """One action plan's calendar."""
    _owner_or_404(token)
    plan = _plan_or_404(slug)
    body = calendar.plan_feed(get_session(), plan, base_url=_base(), now=clock.now())
    return _respond(body, "text/calendar; charset=utf-8", f"{plan.slug}.ics")


@bp.get("/<token>/blogg.atom")
@public
def blog_atom(token: str) -> Response:
    """The blog's Atom feed (the monthly digests) for a feed reader."""
    _owner_or_404(token)
    feed = feeds.blog_feed(get_session(), base_url=_base())
    return _atom(feed, _public("feeds.blog_atom", token=token))


@bp.get("/<token>/plan/<slug>.atom")
@public
def plan_atom(token: str, slug: str) -> Response:
    """What happens in one action plan, as an Atom feed."""
    _owner_or_404(token)
    plan = _plan_or_404(slug)
    feed = feeds.plan_feed(get_session(), plan, base_url=_base())
    self_url = _public("feeds.plan_atom", token=token, slug=slug)
    return _atom(feed, self_url)


@bp.post("/adress")
@require_role(Role.STAFF)
def create_address() -> ResponseReturnValue:
    """Make my secret feed address, or a new one that replaces the old."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    db = get_session()
    tokens.create_feed_token(db, current_person(), secret_key=_key(), now=clock.now())
    db.commit()
    flash(_("Your feed address is ready. Any older address has stopped working."))
    return redirect(url_for("me.index") + "#feeds")


@bp.post("/adress/aterkalla")
@require_role(Role.STAFF)
def revoke_address() -> ResponseReturnValue:
    """Make my secret feed address stop working."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    db = get_session()
    if tokens.revoke_feed_token(db, current_person()):
        db.commit()
        flash(_("Your feed address no longer works."), "success")
    return redirect(url_for("me.index") + "#feeds")


def _owner_or_404(token: str) -> Person:
    person = tokens.person_for_feed_token(get_session(), token)
    if person is None:
        abort(404)
    return person


def _plan_or_404(slug: str) -> ActionPlan:
    plan = plans.get_by_slug(get_session(), slug)
    if plan is None:
        abort(404)
    return plan


def _respond(body: bytes, mimetype: str, filename: str) -> Response:
    response = Response(body, content_type=mimetype)
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    response.cache_control.private = True  # personal: no shared cache may keep it
    response.cache_control.max_age = 300
    response.headers["X-Robots-Tag"] = "noindex"
    return response


def _atom(feed: feeds.Feed, self_url: str) -> Response:
    xml = render_template(
        "feeds/atom.xml", feed=feed, self_url=self_url, author=_("Change programme")
    )
    return _respond(xml.encode(), "application/atom+xml; charset=utf-8", "feed.atom")


def _public(endpoint: str, **values: Any) -> str:
    """An address of this app as feed readers reach it (PUBLIC_URL)."""
    return _base() + url_for(endpoint, **values)


def _base() -> str:
    return str(current_app.config["PUBLIC_URL"]).rstrip("/")


def _key() -> str:
    return str(current_app.config["SECRET_KEY"])


def reader_token() -> str | None:
    """The reader's feed token, read once per request."""
    found = g.get("feed_token", NO_TOKEN)
    if found is NO_TOKEN:
        found = None
        if current_user.is_authenticated:
            found = tokens.feed_token_of(
                get_session(), current_user.id, secret_key=_key()
            )
        g.feed_token = found
    return found if isinstance(found, str) else None


def links_part(argument: str) -> str:
    """<link rel="alternate"> for "blog" or "plan:<slug>", with the reader's token."""
    return render_macro(PARTS, "head_links", **_links(argument))


def subscribe_part(argument: str) -> str:
    """Visible subscription links for "blog" or "plan:<slug>" (for logins)."""
    if not current_user.is_authenticated:
        return ""
    return render_macro(PARTS, "subscribe", **_links(argument))


def address_part(_argument: str) -> str:
    """My feed address on Mina sidor: shown, renewed or revoked."""
    token = reader_token()
    return render_macro(
        PARTS,
        "address",
        calendar_url=_public("feeds.person_calendar", token=token) if token else None,
        blog_url=_public("feeds.blog_atom", token=token) if token else None,
        form=EmptyForm(formdata=None),
    )


def _links(argument: str) -> dict[str, str | None]:
    token = reader_token()
    kind, _sep, slug = argument.partition(":")
    atom = ics = None
    if token and kind == "blog":
        atom = _public("feeds.blog_atom", token=token)
    elif token and kind == "plan" and slug:
        atom = _public("feeds.plan_atom", token=token, slug=slug)
        ics = _public("feeds.plan_calendar", token=token, slug=slug)
    return {"atom": atom, "ics": ics, "kind": kind}


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    parts = state.app.extensions.setdefault("tracker.reader_parts", {})
    parts.update(
        feed_links=links_part, subscribe=subscribe_part, feed_address=address_part
    )
