"""The e-mail a maturity round sends: an invitation when it opens, one reminder."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.models.maturity import MaturityParticipation, MaturityRound
from tracker.models.people import Person
from tracker.services import mail
from tracker.services.digest.months import swedish_date
from tracker.services.governance.maturity import is_open, list_rounds


@dataclass(frozen=True)
class RoundMail:
    """What the mail needs from the configuration."""

    public_url: str
    reminder_days: int


def send_round_mail(
    session: Session, settings: RoundMail, *, today: date, now: datetime
) -> int:
    """Queue the invitations of rounds that opened and the reminders of rounds
    closing soon, once each; the number of messages queued."""
    queued = 0
    for measured in list_rounds(session):
        if not is_open(measured, today):
            continue
        if measured.invited_at is None:
            queued += _send(session, settings, measured, reminder=False)
            measured.invited_at = now
        elif measured.reminded_at is None and measured.closes_on - today <= timedelta(
            days=settings.reminder_days
        ):
            queued += _send(session, settings, measured, reminder=True)
            measured.reminded_at = now
    session.flush()
    return queued


def asked(session: Session, measured: MaturityRound) -> list[Person]:
    """The logins of the round's departments."""
    ids = [d.id for d in measured.departments]
    statement = select(Person).where(
        Person.department_id.in_(ids),
        Person.login_enabled.is_(True),
        Person.active.is_(True),
        Person.external.is_(False),
        Person.email.is_not(None),
    )
    return list(session.scalars(statement.order_by(Person.id)))


def _send(
    session: Session, settings: RoundMail, measured: MaturityRound, *, reminder: bool
) -> int:
    answered = set(
        session.scalars(
            select(MaturityParticipation.person_id).where(
                MaturityParticipation.round_id == measured.id
            )
        )
    )
    url = f"{settings.public_url}/mognad/omgang/{measured.id}/svara"
    last = swedish_date(measured.closes_on)
    subject = (
        f"Påminnelse: {measured.title} stänger {last}"
        if reminder
        else f"Svara på {measured.title}"
    )
    count = 0
    for person in asked(session, measured):
        if person.id in answered:
            continue
        body = (
            f"Hej {person.name}!\n\n"
            f"{'Du har inte svarat än. ' if reminder else ''}"
            f"Vi mäter hur långt vi har kommit i att arbeta processorienterat. "
            f"Det tar några minuter, och ditt svar är anonymt: vi sparar bara hur "
            f"många som valde varje nivå.\n\nSvara senast {last}: {url}\n"
        )
        mail.queue(
            session,
            to=[str(person.email)],
            subject=subject,
            body=body,
            person_id=person.id,
        )
        count += 1
    return count
