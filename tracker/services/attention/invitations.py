"""Check-in invitations: an e-mail to everyone in it, with an iTIP .ics attached."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tracker.models.checkins import CheckIn
from tracker.models.people import Person
from tracker.services import mail
from tracker.services.attention import calendar


@dataclass(frozen=True)
class InviteSettings:
    """Where links point and who sends the invitations."""

    public_url: str
    sender: str


def send(
    session: Session,
    checkin: CheckIn,
    people: list[Person],
    *,
    about: str,
    settings: InviteSettings,
    now: datetime,
    method: str,
) -> None:
    """Queue the invitation (REQUEST) or cancellation (CANCEL) to each of *people*.

    The organiser gets a copy; people without an address, and external people
    without recorded consent, get nothing.
    """
    url = f"{settings.public_url}/avstamningar/{checkin.id}"
    ics = calendar.invitation(
        checkin, people, method=method, sender=settings.sender, url=url, now=now
    )
    subject, body = letter(checkin, method, url, about)
    recipients = {p.id: p for p in people}
    if checkin.organizer is not None:
        recipients.setdefault(checkin.organizer.id, checkin.organizer)
    for person in recipients.values():
        if _reachable(person):
            mail.queue(
                session,
                to=[person.email or ""],
                subject=subject,
                body=body,
                attachments=[
                    {
                        "filename": "avstamning.ics",
                        "content_type": f"text/calendar; method={method}",
                        "text": ics,
                    }
                ],
            )


def letter(checkin: CheckIn, method: str, url: str, about: str) -> tuple[str, str]:
    """The e-mail's subject and text."""
    when = calendar.when_text(checkin)
    names = {"title": checkin.title, "subject": about, "when": when}
    if method == "CANCEL":
        subject = _("Cancelled: %(title)s, %(when)s", **names)
        lead = _("The check-in “%(title)s” about %(subject)s is cancelled.", **names)
    elif checkin.sequence:
        subject = _("Changed: %(title)s, %(when)s", **names)
        lead = _("The check-in “%(title)s” about %(subject)s has changed.", **names)
    else:
        subject = _("Check-in: %(title)s, %(when)s", **names)
        lead = _("You are invited to a check-in about %(subject)s.", **names)
    lines = [lead, "", _("When: %(when)s", when=when)]
    if checkin.location:
        lines.append(_("Where: %(place)s", place=checkin.location))
    if checkin.agenda:
        lines += ["", _("Agenda:"), checkin.agenda]
    lines += ["", url, "", _("The calendar invitation is attached.")]
    return subject, "\n".join(lines) + "\n"


def _reachable(person: Person) -> bool:
    if not person.email or not person.active:
        return False
    return not person.external or person.consent_on is not None
