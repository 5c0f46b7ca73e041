"""Mina sidor: make and revoke personal API tokens."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import clock
from tracker.auth import current_person, require_role
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.auth import ApiTokenForm
from tracker.forms.common import EmptyForm, attach_error
from tracker.models.accounts import TokenScope
from tracker.models.people import Role
from tracker.services.accounts import api_tokens

bp = Blueprint("api_tokens", __name__, url_prefix="/me/api-nycklar")
DEFAULT_LIFE = timedelta(days=90)


@bp.route("/", methods=["GET", "POST"])
@require_role(Role.STAFF)
def index() -> ResponseReturnValue:
    """My API tokens; a new one is shown once, right after it is made."""
    db = get_session()
    person = current_person()
    form = ApiTokenForm(expires_on=clock.today() + DEFAULT_LIFE)
    secret = None
    if form.validate_on_submit():
        try:
            _token, secret = api_tokens.create_token(
                db,
                person,
                name=form.name.data or "",
                scope=TokenScope(form.scope.data),
                expires_on=form.expires_on.data,
                today=clock.today(),
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            form = ApiTokenForm(formdata=None, expires_on=clock.today() + DEFAULT_LIFE)
    return render_template(
        "me/api_tokens.html",
        form=form,
        secret=secret,
        rows=[
            (t, t.expires_on < clock.today()) for t in api_tokens.tokens_of(db, person)
        ],
        action_form=EmptyForm(),
    )


@bp.post("/<int:token_id>/aterkalla")
@require_role(Role.STAFF)
def revoke(token_id: int) -> ResponseReturnValue:
    """Make one of my API tokens stop working at once."""
    if not EmptyForm().validate_on_submit():
        abort(400)
    db = get_session()
    if not api_tokens.revoke_token(db, current_person(), token_id, now=clock.now()):
        abort(404)
    db.commit()
    flash(_("The API token no longer works."), "success")
    return redirect(url_for("api_tokens.index"))
