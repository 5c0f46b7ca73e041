"""The decision register: who decided what, when, and what it concerns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from tracker.db import contains
from tracker.errors import DomainError
from tracker.models.assignments import Assignment
from tracker.models.decisions import (
    DecidingBody,
    Decision,
    decision_assignments,
    decision_groups,
    decision_plans,
)
from tracker.models.groups import WorkingGroup
from tracker.models.people import Person
from tracker.models.plans import ActionPlan
from tracker.services import activity, mail
from tracker.services.digest.months import MONTHS_SV, swedish_date

DEFAULT_BODIES = ("Nämnd", "Förvaltningsledning", "Strategiska ledningsgruppen")


@dataclass
class DecisionValues:
    """What a decision records."""

    decided_on: date | None
    body_id: int | None
    title: str
    reference: str = ""
    text: str = ""
    owner_id: int | None = None
    follow_up_on: date | None = None
    plans: Sequence[ActionPlan] = field(default_factory=list)
    assignments: Sequence[Assignment] = field(default_factory=list)
    groups: Sequence[WorkingGroup] = field(default_factory=list)


def ensure_bodies(session: Session) -> bool:
    """Create the default deciding bodies the first time; whether it did."""
    if session.scalar(select(DecidingBody.id).limit(1)) is not None:
        return False
    for position, name in enumerate(DEFAULT_BODIES):
        session.add(DecidingBody(name=name, position=position))
    session.flush()
    return True


def list_bodies(session: Session) -> list[DecidingBody]:
    """The deciding bodies, in their order."""
    statement = select(DecidingBody).order_by(DecidingBody.position, DecidingBody.id)
    return list(session.scalars(statement))


def add_body(session: Session, name: str) -> DecidingBody:
    """Add a deciding body to the managed list."""
    name = name.strip()
    if not name:
        raise DomainError(_l("Write the body's name."), field="name")
    taken = session.scalar(select(DecidingBody.id).where(DecidingBody.name == name))
    if taken is not None:
        raise DomainError(_l("That body is already in the list."), field="name")
    last = session.scalar(select(func.max(DecidingBody.position))) or 0
    body = DecidingBody(name=name, position=last + 1)
    session.add(body)
    session.flush()
    return body


def record_decision(
    session: Session, actor: Person | None, values: DecisionValues
) -> Decision:
    """Record a decision; it shows on the pages of what it concerns."""
    _validate(session, values)
    decision = Decision(recorded_by_id=actor.id if actor else None)
    _apply(session, decision, values)
    session.add(decision)
    session.flush()
    _log(session, actor, "decided", decision)
    return decision


def update_decision(
    session: Session, actor: Person | None, decision: Decision, values: DecisionValues
) -> None:
    """Correct a recorded decision."""
    _validate(session, values)
    _apply(session, decision, values)
    session.flush()
    _log(session, actor, "updated", decision)


def list_decisions(
    session: Session, *, text: str = "", body_id: int | None = None
) -> list[Decision]:
    """The register, newest first, narrowed by a search text and a body."""
    return list(session.scalars(register_statement(text=text, body_id=body_id)))


def register_statement(*, text: str = "", body_id: int | None = None) -> Select[Any]:
    """The register's query (newest first), narrowed as on the /beslut/ page."""
    statement = select(Decision).order_by(
        Decision.decided_on.desc(), Decision.id.desc()
    )
    if text.strip():
        pattern = contains(text.strip())
        statement = statement.where(
            or_(
                Decision.title.ilike(pattern, escape="\\"),
                Decision.text.ilike(pattern, escape="\\"),
                Decision.reference.ilike(pattern, escape="\\"),
            )
        )
    if body_id is not None:
        statement = statement.where(Decision.body_id == body_id)
    return statement


def decisions_for(
    session: Session,
    *,
    plan_id: int | None = None,
    assignment_id: int | None = None,
    group_id: int | None = None,
) -> list[Decision]:
    """The decisions about one plan, assignment or group, newest first."""
    link, column, target = decision_plans, "plan_id", plan_id
    if assignment_id is not None:
        link, column, target = decision_assignments, "assignment_id", assignment_id
    elif group_id is not None:
        link, column, target = decision_groups, "group_id", group_id
    statement = (
        select(Decision)
        .join(link, link.c.decision_id == Decision.id)
        .where(link.c[column] == target)
        .order_by(Decision.decided_on.desc(), Decision.id.desc())
    )
    return list(session.scalars(statement))


def decided_between(session: Session, first: date, last: date) -> list[Decision]:
    """The decisions dated from *first* to *last*, oldest first (the digest)."""
    statement = (
        select(Decision)
        .where(Decision.decided_on >= first, Decision.decided_on <= last)
        .order_by(Decision.decided_on, Decision.id)
    )
    return list(session.scalars(statement))


def follow_ups_due(session: Session, *, until: date) -> list[Decision]:
    """Decisions whose follow-up date has come by *until*, the earliest first."""
    statement = (
        select(Decision)
        .where(Decision.follow_up_on.is_not(None), Decision.follow_up_on <= until)
        .order_by(Decision.follow_up_on, Decision.id)
    )
    return list(session.scalars(statement))


def _validate(session: Session, values: DecisionValues) -> None:
    if values.decided_on is None:
        raise DomainError(_l("Give the date of the decision."), field="decided_on")
    if values.body_id is None or session.get(DecidingBody, values.body_id) is None:
        raise DomainError(_l("Choose the body that decided."), field="body_id")
    if not values.title.strip():
        raise DomainError(_l("Write the decision's title."), field="title")
    if values.owner_id is not None and session.get(Person, values.owner_id) is None:
        raise DomainError(_l("Choose an owner from the list."), field="owner_id")
    if values.follow_up_on is not None and values.follow_up_on < values.decided_on:
        raise DomainError(
            _l("The follow-up date cannot be before the decision."),
            field="follow_up_on",
        )


def _apply(session: Session, decision: Decision, values: DecisionValues) -> None:
    decision.decided_on = values.decided_on  # type: ignore[assignment]
    decision.body = session.get(DecidingBody, values.body_id)  # type: ignore[assignment]
    decision.title = values.title.strip()
    decision.reference = values.reference.strip()
    decision.text = values.text
    decision.owner_id = values.owner_id
    decision.follow_up_on = values.follow_up_on
    decision.plans = list(values.plans)
    decision.assignments = list(values.assignments)
    decision.groups = list(values.groups)


def _log(session: Session, actor: Person | None, verb: str, decision: Decision) -> None:
    """One event, filed under the first plan, assignment and group concerned."""
    plan = decision.plans[0] if decision.plans else None
    assignment = decision.assignments[0] if decision.assignments else None
    group = decision.groups[0] if decision.groups else None
    plan_id = plan.id if plan else assignment.plan_id if assignment else None
    activity.record(
        session,
        actor,
        verb,
        decision,
        after={"decided_on": decision.decided_on, "body": decision.body.name},
        plan_id=plan_id,
        assignment_id=assignment.id if assignment else None,
        group_id=group.id if group else None,
    )


def digest_facts(
    session: Session, first: date, last: date, base: str
) -> dict[str, Any]:
    """The month's decisions for the digest ("Beslut i november"), as JSON data."""
    rows = [
        {
            "title": d.title,
            "body": d.body.name,
            "reference": d.reference,
            "date_label": swedish_date(d.decided_on),
            "url": f"{base}/beslut/{d.id}",
        }
        for d in decided_between(session, first, last)
    ]
    return {"month_name": MONTHS_SV[first.month - 1], "count": len(rows), "rows": rows}


def send_follow_ups(
    session: Session, public_url: str, *, today: date, now: datetime
) -> int:
    """E-mail each owner whose decision's follow-up date has come, once; how many."""
    sent = 0
    for decision in follow_ups_due(session, until=today):
        owner = decision.owner
        if decision.follow_up_sent_at is not None or owner is None:
            continue
        decision.follow_up_sent_at = now
        if not owner.email or not owner.active or owner.external:
            continue
        mail.queue(
            session,
            to=[owner.email],
            subject=f"Dags att följa upp beslutet: {decision.title}",
            body=(
                f"Hej {owner.name}!\n\nBeslutet ”{decision.title}” "
                f"({decision.body.name}, {swedish_date(decision.decided_on)}) ska "
                f"följas upp {swedish_date(decision.follow_up_on)}.\n\n"
                f"{public_url}/beslut/{decision.id}\n"
            ),
            person_id=owner.id,
        )
        sent += 1
    session.flush()
    return sent
