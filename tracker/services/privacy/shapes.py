"""Purge and export for tables that keep many people's data in one row (JSON)."""

from __future__ import annotations

from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from tracker.models.accounts import LinkRequest
from tracker.models.activity import ActivityEvent
from tracker.models.applications import SelectionRun
from tracker.models.mail import OutboxMessage
from tracker.models.people import LoginFailure, Person
from tracker.services.privacy.targets import Mine, Purged


def purge_runs(session: Session, purged: Purged) -> int:
    """Blank the purged applicants' snapshots and the reasons that name them."""
    changed = 0
    runs = select(SelectionRun).where(SelectionRun.group_id.in_(purged.groups))
    for run in session.scalars(runs):
        candidates = [
            _blank_candidate(c) if c["id"] in purged.applications else c
            for c in run.inputs.get("candidates", [])
        ]
        changes = [
            c | {"reason": ""} if _names_purged(c, purged) else c for c in run.changes
        ]
        if candidates != run.inputs.get("candidates", []) or changes != run.changes:
            run.inputs = run.inputs | {"candidates": candidates}
            run.changes = changes
            changed += 1
    return changed


def _blank_candidate(candidate: dict[str, Any]) -> dict[str, Any]:
    # the draw can no longer be recomputed: tracker.services.selection says so
    return {
        "id": candidate["id"],
        "department": "",
        "competences": [],
        "years": None,
        "anonymised": True,
    }


def _names_purged(change: dict[str, Any], purged: Purged) -> bool:
    return bool({change.get("in"), change.get("out")} & purged.applications)


def run_rows(session: Session, person: Person, mine: Mine) -> list[dict[str, Any]]:
    """The runs that drew among the person's applications (their part only), and
    the runs they made or confirmed (without the applicants)."""
    rows = []
    statement = select(SelectionRun).where(
        or_(
            SelectionRun.created_by_id == person.id,
            SelectionRun.confirmed_by_id == person.id,
            SelectionRun.group_id.in_(_groups_of(session, mine)),
        )
    )
    for run in session.scalars(statement.order_by(SelectionRun.id)):
        row = {
            "id": run.id,
            "group": run.group.name,
            "seed": run.seed,
            "created_at": run.created_at,
            "created_by_id": run.created_by_id,
            "confirmed_at": run.confirmed_at,
            "confirmed_by_id": run.confirmed_by_id,
        }
        entries = [
            c for c in run.inputs.get("candidates", []) if c["id"] in mine.applications
        ]
        if entries:
            row |= _own_part(run, entries[0])
        elif run.created_by_id != person.id and run.confirmed_by_id != person.id:
            continue  # a run of the group before the person applied
        rows.append(row)
    return rows


def _own_part(run: SelectionRun, entry: dict[str, Any]) -> dict[str, Any]:
    proposal, own = run.proposal, entry["id"]
    order = list(proposal.get("replacement_order", []))
    return {
        "your_application_id": own,
        "your_details_as_weighed": entry,
        "your_probability": proposal.get("probabilities", {}).get(str(own)),
        "drawn": own in proposal.get("drawn", []),
        "selected": own in proposal.get("selected", []),
        "replacement_rank": order.index(own) + 1 if own in order else None,
    }


def _groups_of(session: Session, mine: Mine) -> list[int]:
    from tracker.models.applications import Application

    if not mine.applications:
        return []
    return list(
        session.scalars(
            select(Application.group_id).where(
                Application.id.in_(list(mine.applications))
            )
        )
    )


def purge_events(session: Session, purged: Purged) -> int:
    """Keep the events about the purged applications, without who or what; and
    what the applicants did in those groups (a seat they gave up), without who."""
    about = ActivityEvent.id.in_(list(purged.events))
    by_them = and_(
        ActivityEvent.group_id.in_(purged.groups),
        ActivityEvent.actor_id.in_(purged.people),
    )
    changed = 0
    for where, values in (
        (about, {"before": None, "after": None, "subject_id": None}),
        (by_them, {}),
    ):
        result = session.execute(
            sa.update(ActivityEvent)
            .where(where)
            .values(actor_id=None, actor_label="", **values)
            .execution_options(synchronize_session="fetch")
        )
        changed += int(cast("sa.CursorResult[Any]", result).rowcount or 0)
    return changed + _purge_reasons(session, purged)


def _purge_reasons(session: Session, purged: Purged) -> int:
    """Leadership's reasons for a swap may name the applicants."""
    events = select(ActivityEvent).where(
        ActivityEvent.verb == "selection_changed",
        ActivityEvent.group_id.in_(purged.groups),
    )
    changed = 0
    for event in session.scalars(events):
        if event.after and _names_purged(event.after, purged):
            event.after = event.after | {"reason": ""}
            changed += 1
    return changed


def events_about(
    _session: Session, person: Person, mine: Mine
) -> sa.ColumnElement[bool]:
    """Events about the person's applications or profile (older ones lack a
    subject), besides those they did or that name them as subject."""
    return or_(
        ActivityEvent.id.in_(list(mine.events)),
        and_(
            ActivityEvent.object_type == "Person", ActivityEvent.object_id == person.id
        ),
    )


def purge_old_mail(session: Session, purged: Purged) -> int:
    """Messages queued before messages named their application: to the applicant
    alone, about the group they applied to."""
    if not purged.mailboxes:
        return 0
    changed = 0
    unlinked = _unlinked(session)
    for email, group in purged.mailboxes.values():
        for message in unlinked:
            if message.to == [email] and (
                group in message.subject or group in message.body
            ):
                message.to, message.subject, message.body = [], "", ""
                message.html = None
                changed += 1
    return changed


def _unlinked(session: Session) -> list[OutboxMessage]:
    statement = select(OutboxMessage).where(
        OutboxMessage.application_id.is_(None), OutboxMessage.person_id.is_(None)
    )
    return list(session.scalars(statement))


def mail_to(session: Session, person: Person, _mine: Mine) -> sa.ColumnElement[bool]:
    """Messages to the person's address from before messages named their person."""
    email = (person.email or "").lower()
    ids = [
        m.id for m in _unlinked(session) if email and email in (a.lower() for a in m.to)
    ]
    return OutboxMessage.id.in_(ids)


def failures_for(
    _session: Session, person: Person, _mine: Mine
) -> sa.ColumnElement[bool]:
    """Failed logins with the person's address."""
    if not person.email:
        return sa.false()
    return sa.func.lower(LoginFailure.email) == person.email.lower()


def link_requests_for(
    _session: Session, person: Person, _mine: Mine
) -> sa.ColumnElement[bool]:
    """Requests for a set-password link to the person's address."""
    if not person.email:
        return sa.false()
    return sa.func.lower(LinkRequest.email) == person.email.lower()
