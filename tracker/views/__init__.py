"""Blueprints, one module per domain noun."""

from __future__ import annotations

from flask import Blueprint

from tracker.views import (
    accounts,
    activity,
    admin,
    applications,
    assignments,
    auth,
    blog,
    board,
    checkins,
    feeds,
    follows,
    groups,
    me,
    notifications,
    outbox,
    overview,
    pages,
    people,
    plans,
    search,
    selection,
    sso,
)
from tracker.views.digest import drafts as digests

BLUEPRINTS: list[Blueprint] = [
    module.bp
    for module in (
        auth,
        overview,
        plans,
        board,
        assignments,
        groups,
        people,
        activity,
        me,
        admin,
        outbox,
        search,
        pages,
        applications,
        selection,
        digests,
        blog,
        accounts,
        sso,
        follows,
        notifications,
        checkins,
        feeds,
    )
]
