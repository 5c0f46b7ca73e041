"""The overview: what everyone needs to know, and what needs attention now."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from sqlalchemy.orm import Session

from tracker import clock, stamps
from tracker.auth import (
    PUBLIC_READER,
    current_person,
    current_reader,
    is_public_reader,
    require_role,
)
from tracker.db import get_session
from tracker.models.people import Person, Role
from tracker.page_cache import (
    LIFETIME_SECONDS,
    data_version,
    refreshed,
    render_cached,
    render_macro,
    shared_on,
)
from tracker.services import activity_groups
from tracker.services.activity import Reader
from tracker.services.attention import needs, overview, summary
from tracker.services.programme import plans
from tracker.stamps import PerPlan

bp = Blueprint("overview", __name__)


def horizon() -> needs.Horizon:
    """Today and the [ATTENTION] settings."""
    return needs.Horizon.of(current_app.config, clock.today())


def my_needs(person: Person) -> list[needs.Need]:
    """What *person* has to do, by date (Mina sidor, the overview)."""
    return needs.personal_needs(get_session(), person, horizon())


@bp.get("/")
@require_role(Role.STAFF, PUBLIC_READER)
def index() -> str:
    """Läget nu, each plan's progress and status, groups recruiting, recent activity."""
    session = get_session()
    today = clock.today()
    return render_cached(
        "overview/index.html",
        (data_version(session), today),
        # one page per role (the page cache's key): the role's view, not the person's;
        # a reader's own items are a reader_part ("attention")
        lambda: _overview(current_reader(personal=False)),
        host_wide=True,  # every write changes it: rendered once per host
    )


# "Recent activity": ten rows, each possibly a run of repeated events; the events
# are read once, one more than are grouped to tell whether the last run goes on
RECENT_ROWS = 10
RECENT_EVENTS = 40


def _overview(reader: Reader) -> dict[str, Any]:
    session, now = get_session(), horizon()
    parts = attention_parts()
    counts = refreshed(("plan-counts",), lambda kept: _counts(session, kept))
    active = shared_on(PLAN_TABLES, "active-plans", lambda: plans.active_rows(session))
    groups = shared_on(
        summary.GROUP_TABLES,
        ("group-needs", now),
        lambda: summary.group_rows(session, now),
    )
    built = overview.build_overview(
        session,
        now,
        reader,
        recent_limit=RECENT_EVENTS + 1,
        parts=parts,
        counts=counts.values,
        plan_rows=active,
        group_needs=groups,
    )
    events = built.recent
    older = events[RECENT_EVENTS] if len(events) > RECENT_EVENTS else None
    rows = activity_groups.group_events(events[:RECENT_EVENTS], older=older)
    return {"overview": built, "recent": rows[:RECENT_ROWS]}


PLAN_TABLES = ("action_plans",)  # what plans.active_rows() reads


def attention_parts() -> summary.Parts:
    """Each plan's share of "Läget nu", kept by the worker until a write in the
    plan (its change stamp): after a write the overview or the plan page, whichever
    comes first, reads the written plan's share only."""
    session, now = get_session(), horizon()
    return refreshed(
        ("attention-parts",),
        lambda kept: summary.plan_parts(
            session, now, overview.ATTENTION_SHOWN, kept, LIFETIME_SECONDS
        ),
    )


def _counts(
    session: Session, kept: PerPlan[overview.PlanCounts] | None
) -> PerPlan[overview.PlanCounts]:
    def read(plan_ids: set[int] | None) -> dict[int, overview.PlanCounts]:
        return overview.plan_counts(session, plan_ids)

    tables = overview.COUNT_TABLES
    return stamps.per_plan(session, tables, None, read, kept, LIFETIME_SECONDS)


MY_NEEDS_SHOWN = 10  # the reader's own "Läget nu" on the overview; the rest counted


def attention_part(_argument: str) -> str:
    """The reader's own "Läget nu": what needs their attention, most urgent first."""
    if not current_user.is_authenticated:
        return ""
    own = sorted(my_needs(current_person()), key=lambda need: need.sort_key)
    shown = own[:MY_NEEDS_SHOWN]
    return render_macro(
        "attention/_parts.html", "my_needs", needs=shown, hidden=len(own) - len(shown)
    )


def recruiting_part(_argument: str) -> str:
    """The groups recruiting now, as every reader of a role sees them."""
    rows = overview.recruiting(get_session(), clock.today())
    return render_macro(
        "overview/_parts.html",
        "recruiting",
        rows=rows,
        public_reader=is_public_reader(),
    )


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    parts = state.app.extensions.setdefault("tracker.reader_parts", {})
    parts["attention"] = attention_part
    parts["recruiting"] = recruiting_part
    # what it reads (page_cache.role_part keeps it until one of these changes)
    tables = state.app.extensions.setdefault("tracker.part_tables", {})
    tables["recruiting"] = ("applications", "working_groups")
