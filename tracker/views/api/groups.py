"""Working groups and their current members."""

from __future__ import annotations

from typing import Any

from flask import abort
from flask_babel import gettext as _
from marshmallow import RAISE
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from tracker.db import get_session
from tracker.models.groups import Membership, WorkingGroup
from tracker.services import groups
from tracker.views.api import render, schemas
from tracker.views.api.blueprint import bp, documented_errors
from tracker.views.api.paging import id_page
from tracker.views.api.security import token_required


@bp.get("/groups")
@token_required()
@bp.arguments(schemas.PageArgs, location="query", unknown=RAISE)
@bp.response(200, schemas.GroupPage)
@documented_errors
def list_groups(args: dict[str, Any]) -> dict[str, Any]:
    """All working groups."""
    statement = select(WorkingGroup).options(selectinload(WorkingGroup.assignments))
    rows, cursor = id_page(get_session(), statement, WorkingGroup, args)
    return {"items": [render.group(g) for g in rows], "next_cursor": cursor}


@bp.get("/groups/<slug>")
@token_required()
@bp.response(200, schemas.Group)
@documented_errors
def get_group(slug: str) -> dict[str, Any]:
    """One working group."""
    return render.group(_group(slug))


@bp.get("/groups/<slug>/memberships")
@token_required()
@bp.arguments(schemas.PageArgs, location="query", unknown=RAISE)
@bp.response(200, schemas.MembershipPage)
@documented_errors
def list_memberships(args: dict[str, Any], slug: str) -> dict[str, Any]:
    """A group's current members (as on the group page; never its applicants)."""
    group = _group(slug)
    statement = (
        select(Membership)
        .where(Membership.group_id == group.id, Membership.left_on.is_(None))
        .options(selectinload(Membership.person), selectinload(Membership.group))
    )
    rows, cursor = id_page(get_session(), statement, Membership, args)
    return {"items": [render.membership(m) for m in rows], "next_cursor": cursor}


def _group(slug: str) -> WorkingGroup:
    group = groups.get_by_slug(get_session(), slug)
    if group is None:
        abort(404, description=_("There is no working group %(slug)s.", slug=slug))
    return group
