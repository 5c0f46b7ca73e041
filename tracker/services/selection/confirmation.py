"""Confirming a selection: the selected are seated, everyone is told, the call closes
(early only with a written reason)."""

from __future__ import annotations

from datetime import date

from flask_babel import LazyString
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from tracker.clock import now
from tracker.errors import DomainError
from tracker.i18n import date_filter
from tracker.models.applications import Application, ApplicationStatus, SelectionRun
from tracker.models.groups import GroupState, WorkingGroup
from tracker.models.people import Person
from tracker.services import activity, groups
from tracker.services.recruitment import seats
from tracker.services.selection.runs import check_unconfirmed


def call_open(group: WorkingGroup, today: date) -> bool:
    """Whether the call still takes applications today (the deadline day included)."""
    return group.signup_deadline is not None and today <= group.signup_deadline


def confirm(
    session: Session,
    actor: Person | None,
    run: SelectionRun,
    *,
    today: date,
    close_reason: str = "",
) -> None:
    """Seat the selected, tell everyone the outcome, keep the replacement order.

    Before the deadline only when leadership closes the call early and says why.
    """
    check_unconfirmed(run)
    group = run.group
    if call_open(group, today):
        _close_early(session, actor, group, close_reason, today)
    chosen = set(run.proposal["selected"])
    for candidate in run.inputs["candidates"]:
        application = session.get(Application, candidate["id"])
        if application is None or application.status is not ApplicationStatus.SUBMITTED:
            raise DomainError(_l("The applications changed; make a new proposal."))
        _decide(session, actor, application, application.id in chosen, today)
    run.confirmed_at = now()
    run.confirmed_by = actor
    if group.state is GroupState.RECRUITING:
        groups.set_state(session, actor, group, GroupState.ACTIVE, now())
    activity.record(
        session,
        actor,
        "selection_confirmed",
        run,
        after={"selected": sorted(chosen), "seed": run.seed},
        group_id=group.id,
        label=group.name,
    )


def _decide(
    session: Session,
    actor: Person | None,
    application: Application,
    chosen: bool,
    today: date,
) -> None:
    group = application.group
    if chosen and application.person is not None:
        groups.add_member(session, actor, group, application.person, today=today)
    application.status = (
        ApplicationStatus.SELECTED if chosen else ApplicationStatus.NOT_SELECTED
    )
    application.decided_at = now()
    if chosen:
        body = _("You have been selected for %(group)s. Welcome!", group=group.name)
    else:
        body = _(
            "Thank you for applying to %(group)s. You were not selected this time, "
            "but you are in the replacement order if a seat becomes free. Your "
            "receipt under My pages shows the criteria and your chances.",
            group=group.name,
        )
    subject = _("The outcome of your application to %(group)s", group=group.name)
    seats.notify(session, application.person, subject, body, about=application)


def _close_early(
    session: Session,
    actor: Person | None,
    group: WorkingGroup,
    reason: str,
    today: date,
) -> None:
    deadline = group.signup_deadline
    if not reason.strip():
        raise DomainError(
            _l(
                "The call is open until %(date)s. Wait until it has closed, or close "
                "it early and write why.",
                date=LazyString(date_filter, deadline),
            ),
            field="reason",
        )
    group.signup_deadline = today
    activity.record(
        session,
        actor,
        "call_closed_early",
        group,
        before={"signup_deadline": deadline},
        after={"signup_deadline": today, "reason": reason.strip()},
        group_id=group.id,
    )
