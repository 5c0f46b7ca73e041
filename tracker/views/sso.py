"""Single sign-on: to the organisation's sign-in service and back."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import oidc
from tracker.auth import open_session, public, safe_next
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.services.accounts import sso

bp = Blueprint("sso", __name__, url_prefix="/login/sso")
# A refused identity is known but not let in; anything else is a bad answer
DOMAIN_STATUS = {"unverified": 403, "refused": 403}
NEXT_KEY = "sso_next"


@bp.get("/")
@public
def start() -> ResponseReturnValue:
    """Go to the organisation's sign-in service (state, nonce and PKCE kept here)."""
    if not oidc.enabled():
        abort(404)
    session[NEXT_KEY] = safe_next(request.args.get("next")) or ""
    try:
        return oidc.redirect_to_provider()
    except oidc.SsoError as error:
        return _failed(error.message, error.status)


@bp.get("/callback")
@public
def callback() -> ResponseReturnValue:
    """Back from the sign-in service: check its answer, then log in."""
    if not oidc.enabled():
        abort(404)
    db = get_session()
    try:
        claims, id_token = oidc.finish_login()
        person = sso.person_for_claims(db, claims, oidc.settings())
    except oidc.SsoError as error:
        return _failed(error.message, error.status)
    except DomainError as error:
        db.rollback()
        return _failed(str(error), DOMAIN_STATUS.get(error.field or "", 400))
    target = session.get(NEXT_KEY) or ""
    open_session(db, person, id_token=id_token)
    flash(_("You are logged in."), "success")
    return redirect(safe_next(target) or url_for("overview.index"))


def _failed(message: str, status: int) -> ResponseReturnValue:
    headers = {"Retry-After": "60"} if status == 503 else {}
    return render_template("auth/sso_failed.html", message=message), status, headers
