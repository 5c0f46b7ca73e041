"""A digest's saved versions: list, read, restore."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from tracker.auth import current_person, require_role
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.common import EmptyForm
from tracker.models.digests import Digest, DigestState
from tracker.models.people import Role
from tracker.services.digest import drafts as digests
from tracker.services.digest.months import Month

REASONS = {
    "drafted": _l("Drafted from the activity log"),
    "edited": _l("Edited"),
    "refreshed": _l("Facts refreshed"),
    "restored": _l("Older version restored"),
    "published": _l("Published"),
    "corrected": _l("Corrected after publication"),
}

# nested in the digests blueprint: endpoints digests.versions.*
bp = Blueprint("versions", __name__, url_prefix="/<period>/versions")


def digest_or_404(period: str) -> Digest:
    """The digest of YYYY-MM, or 404."""
    try:
        key = Month.parse(period).key
    except DomainError:
        abort(404)
    digest = digests.get_by_period(get_session(), key)
    if digest is None:
        abort(404)
    return digest


@bp.get("/", endpoint="list")
@require_role(Role.COMMUNICATOR)
def versions(period: str) -> str:
    """The digest's saved versions."""
    digest = digest_or_404(period)
    return render_template(
        "digests/versions.html",
        digest=digest,
        versions=[
            (v, REASONS.get(v.reason, v.reason))
            for v in digests.versions(get_session(), digest)
        ],
    )


@bp.get("/<int(max=2147483647):number>", endpoint="show")
@require_role(Role.COMMUNICATOR)
def version(period: str, number: int) -> str:
    """One saved version, as text and as it would be published."""
    digest = digest_or_404(period)
    saved = digests.get_version(get_session(), digest, number)
    if saved is None:
        abort(404)
    return render_template(
        "digests/version.html",
        digest=digest,
        version=saved,
        reason=REASONS.get(saved.reason, saved.reason),
        action_form=EmptyForm(),
        can_restore=digest.state is not DigestState.PUBLISHED,
    )


@bp.post("/<int(max=2147483647):number>/restore")
@require_role(Role.COMMUNICATOR)
def restore(period: str, number: int) -> ResponseReturnValue:
    """Make an older version the current text."""
    db = get_session()
    digest = digest_or_404(period)
    saved = digests.get_version(db, digest, number)
    if saved is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        digests.restore_version(db, current_person(), digest, saved)
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(
            _("Version %(number)s is now the current text.", number=number), "success"
        )
    return redirect(url_for("digests.edit", period=digest.period))
