"""Follow and unfollow plans, assignments and working groups."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, url_for
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker.auth import current_person, require_role
from tracker.db import get_session
from tracker.forms.common import EmptyForm
from tracker.models.assignments import Assignment
from tracker.models.groups import WorkingGroup
from tracker.models.notifications import FollowTarget
from tracker.models.people import Role
from tracker.models.plans import ActionPlan
from tracker.page_cache import render_macro
from tracker.services.attention import follows

bp = Blueprint("follows", __name__, url_prefix="/folj")
# the address names the kind in Swedish: /folj/uppdrag/12
TARGETS = {
    "plan": FollowTarget.PLAN,
    "uppdrag": FollowTarget.ASSIGNMENT,
    "grupp": FollowTarget.GROUP,
}
NAMES = {kind: name for name, kind in TARGETS.items()}


@bp.post("/<target>/<int:target_id>")
@require_role(Role.STAFF)
def follow(target: str, target_id: int) -> ResponseReturnValue:
    """Follow a plan, an assignment or a working group (twice is harmless)."""
    return _choose(target, target_id, following=True)


@bp.post("/<target>/<int:target_id>/sluta")
@require_role(Role.STAFF)
def unfollow(target: str, target_id: int) -> ResponseReturnValue:
    """Stop following it, one's own assignment or group included."""
    return _choose(target, target_id, following=False)


def _choose(target: str, target_id: int, *, following: bool) -> ResponseReturnValue:
    db = get_session()
    kind = TARGETS.get(target)
    page = _page_of(kind, target_id) if kind is not None else None
    if kind is None or page is None:
        abort(404)
    if not EmptyForm().validate_on_submit():
        abort(400)
    if following:
        follows.follow(db, current_person(), kind, target_id)
        flash(_("You follow it now. You are told when it moves."), "success")
    else:
        follows.unfollow(db, current_person(), kind, target_id)
        flash(_("You no longer follow it."), "success")
    db.commit()
    return redirect(page)


def _page_of(kind: FollowTarget, target_id: int) -> str | None:
    db = get_session()
    if kind is FollowTarget.PLAN:
        plan = db.get(ActionPlan, target_id)
        return url_for("plans.show", slug=plan.slug) if plan else None
    if kind is FollowTarget.GROUP:
        group = db.get(WorkingGroup, target_id)
        return url_for("groups.show", slug=group.slug) if group else None
    if db.get(Assignment, target_id) is None:
        return None
    return url_for("assignments.show", assignment_id=target_id)


def follow_part(argument: str) -> str:
    """The reader's follow or unfollow button for "plan:3", "uppdrag:5", "grupp:7"."""
    name, _sep, raw = argument.partition(":")
    kind = TARGETS.get(name)
    if kind is None or not raw.isdigit() or not current_user.is_authenticated:
        return ""
    state = follows.state(get_session(), current_user.id, kind, int(raw))
    return render_macro(
        "follows/_button.html",
        "follow_button",
        state=state,
        target=name,
        target_id=int(raw),
        form=EmptyForm(formdata=None),
    )


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    state.app.extensions.setdefault("tracker.reader_parts", {})["follow"] = follow_part
