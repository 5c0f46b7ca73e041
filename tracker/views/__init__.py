"""Blueprints, one module per domain noun."""

from __future__ import annotations

from flask import Blueprint

from tracker.views import (
    accounts,
    activity,
    admin,
    api_tokens,
    applications,
    assignments,
    auth,
    blog,
    board,
    checkins,
    decisions,
    evaluations,
    feeds,
    follows,
    groups,
    maturity,
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
    steps,
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
        decisions,
        evaluations,
        steps,
        maturity,
        api_tokens,
    )
]
