"""Rows of the large benchmark programme, table by table, for COPY."""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

TODAY = date.today()
NOW = datetime.now(UTC)
Row = tuple[Any, ...]
VERBS = [
    ("moved", "Assignment"),
    ("reported", "Assignment"),
    ("updated", "Assignment"),
    ("completed", "Milestone"),
    ("member_added", "WorkingGroup"),
    ("state_changed", "WorkingGroup"),
    ("updated", "ActionPlan"),
]
COLUMNS = {
    "people": "id name email department_id years_experience role active external "
    "consent_note digest_opt_out created_at",
    "person_competences": "person_id competence_id",
    "action_plans": "id title slug goal owner_id position state created_at",
    "assignments": "id plan_id stage_id title description responsible_id starts_on "
    "ends_on documents_link outcome position proposed created_at updated_at",
    "milestones": "id assignment_id title due_on done",
    "progress_reports": "id assignment_id author_id reported_on body created_at",
    "working_groups": "id name slug purpose starts_on ends_on seats recruitment state "
    "signup_deadline created_at",
    "group_assignments": "group_id assignment_id",
    "memberships": "id group_id person_id role joined_on",
    "activity_events": "id created_at actor_id actor_label verb object_type object_id "
    "object_label plan_id assignment_id group_id before after",
    "applications": "id group_id person_id status department competences "
    "years_experience motivation created_at updated_at",
}


def person(n: int, departments: list[int]) -> Row:
    """Staff without a login."""
    name, email = f"Person {n} Efternamn{n % 997}", f"person{n}@bench.example"
    department = departments[n % len(departments)]
    return (n, name, email, department, n % 35, "STAFF", True, False, "", False, NOW)


def plan(n: int, owner: int) -> Row:
    """An active plan owned by the leadership login."""
    goal = "Ett **mål** för planen.\n\n- steg ett\n- steg två"
    return (
        n,
        f"Handlingsplan {n}",
        f"handlingsplan-{n}",
        goal,
        owner,
        n,
        "ACTIVE",
        NOW,
    )


def assignment(n: int, plan_id: int, stage: int, responsible: int, days: int) -> Row:
    """An assignment that started *days* ago."""
    starts, ends = TODAY - timedelta(days=days), TODAY + timedelta(days=400 - days)
    text = "Beskrivning med *markdown*."
    head = (n, plan_id, stage, f"Uppdrag {n}", text, responsible, starts, ends)
    return (*head, "", "", n, False, NOW, NOW)


def milestone(n: int, assignment_id: int, k: int) -> Row:
    """The first milestone is done, the second is due in 14 days: every one of them
    is "due soon" on Läget nu (DUE_SOON_DAYS), its hardest case, on any day."""
    due = TODAY + timedelta(days=30 * k - 16)
    return (n, assignment_id, f"Milstolpe {k + 1}", due, k == 0)


def report(n: int, assignment_id: int, author: int, k: int) -> Row:
    """A weekly progress report."""
    day = TODAY - timedelta(days=7 * (k + 1))
    return (n, assignment_id, author, day, "Lägesrapport: *framsteg*.", NOW)


def group(n: int) -> Row:
    """One group in twenty recruits with an open call; the rest are active."""
    recruiting = n % 20 == 0
    mode, state = ("OPEN_CALL", "RECRUITING") if recruiting else ("INVITED", "ACTIVE")
    deadline = TODAY + timedelta(days=14) if recruiting else None
    start, end = TODAY - timedelta(days=30), TODAY + timedelta(days=150)
    name, purpose = f"Arbetsgrupp {n}", "Syftet är *tydligt*."
    head = (n, name, f"arbetsgrupp-{n}", purpose, start, end, 8, mode, state)
    return (*head, deadline, NOW)


def events(
    first: int,
    count: int,
    assignments: list[tuple[int, int]],
    groups: list[tuple[int, int]],
    plans: list[int],
    people: list[int],
) -> Iterator[Row]:
    """*count* events over two years, the newest now, over every kind of object."""
    span = timedelta(days=730).total_seconds()
    moved = json.dumps({"stage": "Planerad"}), json.dumps({"stage": "Pågår"})
    for n in range(count):
        verb, kind = VERBS[n % len(VERBS)]
        when = NOW - timedelta(seconds=span * (count - n) / count)
        actor = people[n % len(people)]
        plan_id = assignment_id = group_id = None
        if kind in ("Assignment", "Milestone"):
            assignment_id, plan_id = assignments[n % len(assignments)]
            target, label = assignment_id, f"Uppdrag {assignment_id}"
        elif kind == "WorkingGroup":
            group_id, plan_id = groups[n % len(groups)]
            target, label = group_id, f"Arbetsgrupp {group_id}"
        else:
            plan_id = target = plans[n % len(plans)]
            label = f"Handlingsplan {plan_id}"
        before, after = moved if verb == "moved" else (None, None)
        head = (first + n, when, actor, f"Person {actor}", verb, kind, target, label)
        yield (*head, plan_id, assignment_id, group_id, before, after)


def applications(
    first: int, wanted: int, groups: list[int], people: list[int], rng: random.Random
) -> Iterator[Row]:
    """About 100 per group: pending where recruiting, decided elsewhere."""
    per_group = -(-wanted // len(groups))  # rounded up; the last group gets fewer
    competences = json.dumps(["Processledning", "Statistik"])
    motivation = "Jag vill bidra med min erfarenhet."
    number = first
    for group_id in groups:
        for k, applicant in enumerate(rng.sample(people, per_group)):
            if number - first == wanted:
                return
            decided = "SELECTED" if k < 8 else "NOT_SELECTED"
            status = "SUBMITTED" if group_id % 20 == 0 else decided
            head = (number, group_id, applicant, status, "Avdelning", competences)
            yield (*head, k % 30, motivation, NOW, NOW)
            number += 1
