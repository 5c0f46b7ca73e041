"""The digest's facts: what happened in a month, read from the activity log."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.errors import DomainError
from tracker.models.activity import ActivityEvent
from tracker.models.groups import GroupState, Membership, WorkingGroup
from tracker.models.people import Person
from tracker.models.plans import ActionPlan, PlanState
from tracker.services.digest import outlook as digest_outlook
from tracker.services.digest import states as digest_states
from tracker.services.digest import summary as digest_summary
from tracker.services.digest.months import MONTHS_SV, Month, swedish_date
from tracker.services.governance import decisions, maturity
from tracker.services.privacy import consent
from tracker.services.programme import burnup, stages


def collect_facts(
    session: Session, month: Month, *, now: datetime, public_url: str
) -> dict[str, Any]:
    """Facts of *month* as plain JSON data; a month still running counts until now."""
    if month.start > now:
        raise DomainError(_l("A month that has not begun cannot be drafted."))
    end = min(month.next.start, now)
    base = public_url.rstrip("/")
    first, done = _first_and_done_stage(session)
    reopens = digest_states.reopen_history(session, month.start)
    before = digest_states.snapshot(session, month.start, first, done, reopens)
    after = digest_states.snapshot(session, end, first, done, reopens)
    today = now.astimezone(STOCKHOLM).date()
    as_of = min(month.last_day, today)
    kinds = _assignment_rows(session, before, after, base)
    facts: dict[str, Any] = {
        "period": month.key,
        "month_label": month.label,
        "next_month_label": month.next.label,
        "partial": end < month.next.start,
        "as_of_label": swedish_date(as_of),
        "assignments": {k: digest_outlook.capped(rows) for k, rows in kinds.items()},
        "apply_url": f"{base}/anmalningar/",
        "open_calls": digest_outlook.open_calls(session, end, today, base),
        "members": _members(session, month.first_day, as_of),
        "coming": digest_outlook.coming(session, month.next, base),
        "decisions": decisions.digest_facts(session, month.first_day, as_of, base),
        "maturity_rounds": maturity.digest_facts(session, month.first_day, as_of, base),
    }
    facts.update(_logged(session, month.start, end, base))
    listed = {**kinds, "milestones": facts["milestones"].pop("all")}
    facts["plans"] = _plans(session, before, after, base, month, listed)
    burnup.add_to_digest(
        session, facts["plans"], until=as_of, done_stage=done, base=base
    )
    facts["summary"] = digest_summary.sentences(facts)
    facts["empty"] = not any(
        [
            *(facts["assignments"][key]["count"] for key in facts["assignments"]),
            facts["groups_started"]["count"],
            facts["groups_closed"]["count"],
            facts["milestones"]["count"],
            facts["members"]["count"],
        ]
    )
    return facts


def _first_and_done_stage(session: Session) -> tuple[str, str]:
    names = [stage.name for stage in stages.list_stages(session)]
    return (names[0], names[-1]) if names else ("", "")


def _plans(
    session: Session,
    before: dict[int, digest_states.AssignmentState],
    after: dict[int, digest_states.AssignmentState],
    base: str,
    month: Month,
    listed: dict[str, list[dict[str, Any]]],
) -> list[dict[str, Any]]:
    plans = session.scalars(
        select(ActionPlan)
        .where(ActionPlan.state == PlanState.ACTIVE)
        .order_by(ActionPlan.position, ActionPlan.id)
    ).all()
    links = digest_states.board_links(session)
    now, then = (digest_states.progress_by_plan(s) for s in (after, before))
    previous = MONTHS_SV[month.previous.month - 1]
    rows = []
    for plan in plans:
        row = _plan_row(
            plan, now.get(plan.id, (0, 0)), then.get(plan.id, (0, 0)), base, previous
        )
        row["trello_url"] = links.get(plan.id, "")
        row.update(digest_summary.per_plan(listed, plan.id, row["url"]))
        rows.append(row)
    return rows


def _plan_row(
    plan: ActionPlan,
    now: tuple[int, int],
    then: tuple[int, int],
    base: str,
    previous: str,
) -> dict[str, Any]:
    """A plan's bar and numbers; other capabilities may add keys (a chart)."""
    done, total = now
    change = done - then[0]
    percent = round(100 * done / total) if total else 0
    change_text = digest_summary.change_text(change, previous)
    return {
        "id": plan.id,
        "title": plan.title,
        "url": f"{base}/plans/{plan.slug}",
        "done": done,
        "total": total,
        "percent": percent,
        "done_before": then[0],
        "change": change,
        "change_text": change_text,
        "bar_url": f"{base}/blogg/stapel/{min(then[0], done)}/{done}/{total}.svg",
        "bar_alt": f"{done} av {total} uppdrag klara, {change_text}",
    }


def _assignment_rows(
    session: Session,
    before: dict[int, digest_states.AssignmentState],
    after: dict[int, digest_states.AssignmentState],
    base: str,
) -> dict[str, list[dict[str, Any]]]:
    """New, started, finished and ended assignments, each with its plan."""
    kinds = digest_states.changes(before, after)
    ids = {i for members in kinds.values() for i in members}
    titles = digest_states.assignment_titles(session, ids)
    return {
        kind: [
            {
                "title": titles[i][0],
                "plan": titles[i][1],
                "plan_id": titles[i][2],
                "url": f"{base}/assignments/{i}",
            }
            for i in sorted(members, key=lambda i: titles[i])
        ]
        for kind, members in kinds.items()
    }


def _logged(
    session: Session, start: datetime, end: datetime, base: str
) -> dict[str, Any]:
    """Groups started and closed, milestones reached: one scan of the month's log."""
    group_state: dict[int, str] = {}
    milestones: dict[int, tuple[str, int | None, bool]] = {}
    for kind, object_id, label, verb, state, assignment_id in _month_log(
        session, start, end
    ):
        if object_id is None:
            continue
        if kind == "WorkingGroup" and state:
            group_state[object_id] = state  # the last change of the month counts
        elif kind == "Milestone":
            milestones[object_id] = (label, assignment_id, verb == "completed")
    return {
        **_groups(session, group_state, base),
        "milestones": _milestones(session, milestones, base),
    }


def _month_log(session: Session, start: datetime, end: datetime) -> list[Any]:
    """The month's group state changes and milestone ticks, oldest first."""
    wanted = or_(
        and_(
            ActivityEvent.object_type == "WorkingGroup",
            ActivityEvent.verb == "state_changed",
        ),
        and_(
            ActivityEvent.object_type == "Milestone",
            ActivityEvent.verb.in_(("completed", "reopened")),
        ),
    )
    return list(
        session.execute(
            select(
                ActivityEvent.object_type,
                ActivityEvent.object_id,
                ActivityEvent.object_label,
                ActivityEvent.verb,
                ActivityEvent.after["state"].as_string(),
                ActivityEvent.assignment_id,
            )
            .where(
                ActivityEvent.created_at >= start,
                ActivityEvent.created_at < end,
                wanted,
            )
            .order_by(ActivityEvent.created_at, ActivityEvent.id)
        )
    )


def _groups(session: Session, group_state: dict[int, str], base: str) -> dict[str, Any]:
    groups = {
        g.id: g
        for g in session.scalars(
            select(WorkingGroup).where(WorkingGroup.id.in_(group_state))
        )
    }
    started, closed = [], []
    for group_id, state in group_state.items():
        group = groups.get(group_id)
        if group is None:
            continue
        row = {"name": group.name, "url": f"{base}/groups/{group.slug}"}
        if state == GroupState.ACTIVE.value:
            started.append(row)
        elif state == GroupState.CLOSED.value:
            closed.append(row)
    key = lambda row: row["name"].lower()  # noqa: E731 - a sort key
    return {
        "groups_started": digest_outlook.capped(sorted(started, key=key)),
        "groups_closed": digest_outlook.capped(sorted(closed, key=key)),
    }


def _milestones(
    session: Session, reached: dict[int, tuple[str, int | None, bool]], base: str
) -> dict[str, Any]:
    ids = {a for _, a, done in reached.values() if done and a is not None}
    titles = digest_states.assignment_titles(session, ids)
    rows = []
    for label, assignment_id, done in reached.values():
        if not done:
            continue
        title, plan, plan_id = titles.get(assignment_id or 0, ("", "", 0))
        rows.append(
            {
                "title": label,
                "assignment": title,
                "plan": plan,
                "plan_id": plan_id,
                "url": f"{base}/assignments/{assignment_id}" if title else "",
            }
        )
    rows.sort(key=lambda row: (row["plan"], row["assignment"], row["title"]))
    return digest_outlook.capped(rows) | {"all": rows}


def _members(session: Session, first: date, last: date) -> dict[str, Any]:
    """New members per group; named only when they allow it (privacy.consent)."""
    rows = session.execute(
        select(WorkingGroup.name, Person)
        .join(Membership.group)
        .join(Membership.person)
        .where(Membership.joined_on >= first, Membership.joined_on <= last)
        .order_by(WorkingGroup.name, Person.name)
    ).all()
    by_group: dict[str, dict[str, Any]] = {}
    for group, person in rows:
        entry = by_group.setdefault(group, {"group": group, "count": 0, "names": []})
        entry["count"] += 1
        if consent.may_publish_name(person):
            entry["names"].append(person.name)
    for entry in by_group.values():
        entry["unnamed"] = entry["count"] - len(entry["names"])
    return {"count": len(rows), "groups": list(by_group.values())}
