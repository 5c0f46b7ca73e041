"""Blueprints, one module per domain noun."""

from __future__ import annotations

from flask import Blueprint

from tracker.views import (
    activity,
    admin,
    applications,
    assignments,
    auth,
    blog,
    digests,
    groups,
    me,
    outbox,
    overview,
    pages,
    people,
    plans,
    search,
    selection_runs,
)

BLUEPRINTS: list[Blueprint] = [
    module.bp
    for module in (
        auth,
        overview,
        plans,
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
        selection_runs,
        digests,
        blog,
    )
]
