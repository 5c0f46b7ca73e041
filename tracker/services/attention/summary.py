"""The programme's summary, "Läget nu" on the overview: each plan's needs read per
plan and kept between requests (tracker.stamps.per_plan), merged into the most
urgent ones, how many there are, and which plans they flag."""

from __future__ import annotations

import heapq
from dataclasses import dataclass
from datetime import date
from functools import cache
from itertools import islice
from typing import Any, cast

from sqlalchemy import Row, bindparam
from sqlalchemy.orm import Session

from tracker import stamps
from tracker.models.assignments import Assignment
from tracker.services.attention import need_queries as q
from tracker.services.attention.needs import (
    BOUND,
    SEVERITIES,
    Horizon,
    Kind,
    Need,
    PlanFlags,
    Severity,
    assignment_parts,
    need_of,
    ranked,
    values_of,
)


@dataclass(frozen=True)
class Summary:
    """The programme's needs as the overview shows them: the most urgent ones, how
    many there are, and which plans they flag (a large programme has thousands of
    late milestones)."""

    first: list[Need]  # needs.programme_needs()[:limit]
    total: int
    plans: PlanFlags


@dataclass(frozen=True)
class PlanPart:
    """One plan's share of programme_summary(): its needs' rows by urgency, and
    whether a milestone or end date of it is past."""

    rows: tuple[Row[Any], ...]
    late: bool

    @property
    def total(self) -> int:
        """How many needs the plan has."""
        return len(self.rows)

    def worst(self) -> list[tuple[int, Kind, Severity]]:
        """needs.worst_per_assignment() of the plan, from its rows."""
        found: dict[tuple[int, str], int] = {}
        for row in self.rows:
            key = (row.assignment_id, row.kind)
            found[key] = min(found.get(key, row.rank), row.rank)
        return [
            (aid, Kind(kind), SEVERITIES[rank]) for (aid, kind), rank in found.items()
        ]


# what the plans' shares read (tracker.stamps.per_plan)
PART_TABLES = ("assignments", "milestones", "progress_reports", "stages")
Parts = stamps.PerPlan[PlanPart]


def programme_summary(
    session: Session, horizon: Horizon, limit: int, kept: Parts | None = None
) -> Summary:
    """needs.programme_needs(), its first *limit* needs only, counted and summed
    per plan; with the plans' shares of an earlier summary (*kept*), only those of
    the plans written since are read again."""
    return summed(session, plan_parts(session, horizon, limit, kept))


def plan_parts(
    session: Session,
    horizon: Horizon,
    limit: int,
    kept: Parts | None = None,
    lifetime: float = 60.0,
) -> Parts:
    """Each plan's share of the summary: *kept*'s where no write in the plan came
    since, the others' read in one query."""

    def read(plan_ids: set[int] | None) -> dict[int, PlanPart]:
        return _plan_parts(session, horizon, plan_ids)

    return stamps.per_plan(session, PART_TABLES, (horizon, limit), read, kept, lifetime)


def summed(
    session: Session, parts: Parts, groups: list[Row[Any]] | None = None
) -> Summary:
    """The summary of the plans' *parts* and the groups' needs (*groups*: as
    group_rows() gives them, else read now)."""
    horizon, limit = cast(tuple[Horizon, int], parts.key)
    if groups is None:
        groups = group_rows(session, horizon)
    shares = parts.values
    ordered = heapq.merge(*(part.rows for part in shares.values()), groups, key=_key)
    return Summary(
        [need_of(horizon, row) for row in islice(ordered, limit)],
        sum(part.total for part in shares.values()) + len(groups),
        PlanFlags(
            frozenset(plan_id for plan_id, part in shares.items() if part.late),
            frozenset(plan_id for plan_id, part in shares.items() if part.total),
        ),
    )


# what group_rows() reads
GROUP_TABLES = ("applications", "working_groups")


def group_rows(session: Session, horizon: Horizon) -> list[Row[Any]]:
    """The programme's needs that belong to no plan (groups' time boxes, open
    calls waiting for a selection), most urgent first, as rows for summed()."""
    return sorted(session.execute(_groups_statement(), values_of(horizon)), key=_key)


def _key(row: Row[Any]) -> tuple[int, date, int, str]:
    # Need.sort_key of the row's need
    return (row.rank, row.on, row.subject_id or 0, row.kind)


def _plan_parts(
    session: Session, horizon: Horizon, plan_ids: set[int] | None
) -> dict[int, PlanPart]:
    values = values_of(horizon)
    if plan_ids is not None:
        values["plans"] = sorted(plan_ids)
    found: dict[int, list[Row[Any]]] = {}
    for row in session.execute(_parts_statement(plan_ids is not None), values):
        found.setdefault(row.plan_id, []).append(row)
    deadlines = (q.MILESTONE, q.END)
    return {
        plan_id: PlanPart(
            tuple(sorted(rows, key=_key)),
            any(r.kind in deadlines and r.on < horizon.today for r in rows),
        )
        for plan_id, rows in found.items()
    }


@cache
def _parts_statement(some: bool) -> Any:
    # built once per kind: each miss of the overview or a plan page runs one
    plans: Any = bindparam("plans", expanding=True)
    where = (Assignment.plan_id.in_(plans),) if some else ()
    return ranked(assignment_parts(BOUND, where), BOUND)


@cache
def _groups_statement() -> Any:
    return ranked([q.time_boxes(BOUND.soon, None), q.selections(BOUND.today)], BOUND)
