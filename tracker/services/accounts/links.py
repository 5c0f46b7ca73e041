"""Set-password links: signed, valid for 72 hours, dead once the password changed.

They go out as invitations to new logins and for "Forgot your password?".
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeSerializer
from sqlalchemy import delete
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.accounts import LinkRequest, LoginSession
from tracker.models.people import Person
from tracker.services import mail, people
from tracker.services.accounts.login import Throttle, address_key, over_limit

LINK_HOURS = 72
# "Forgot password" mails one person at most this often, whoever asks
LINK_INTERVAL = timedelta(minutes=5)
TOKEN_IN_TEXT = re.compile(r"(/password/set/)[\w.-]+")


@dataclass(frozen=True)
class LinkSettings:
    """What building and checking links needs from the app."""

    secret: str
    set_password_url: str  # the link is this followed by the token
    login_url: str
    passwords: bool  # [OIDC] ALLOW_PASSWORDS
    now: datetime


def password_link(settings: LinkSettings, person: Person) -> str:
    """A link for *person* to choose a password."""
    issued = int(settings.now.timestamp())
    token = _serializer(settings).dumps([person.id, issued, _fingerprint(person)])
    return settings.set_password_url + str(token)


def person_for_link(session: Session, settings: LinkSettings, token: str) -> Person:
    """The person a link is for; DomainError when it is wrong, expired or used."""
    try:
        person_id, issued, fingerprint = _serializer(settings).loads(token)
        person = session.get(Person, int(person_id))
        age = settings.now.timestamp() - float(issued)
    except (BadData, TypeError, ValueError, OverflowError):
        raise DomainError(
            _l("This link does not work. Ask for a new one below."), field="invalid"
        ) from None
    if age > LINK_HOURS * 3600:
        raise DomainError(
            _l("This link has expired: it is valid for 72 hours. Ask for a new one."),
            field="expired",
        )
    if person is None or not person.has_login or fingerprint != _fingerprint(person):
        raise DomainError(
            _l("This link has already been used. Ask for a new one if you need to."),
            field="used",
        )
    return person


def set_password_from_link(
    session: Session, settings: LinkSettings, token: str, password: str
) -> Person:
    """Set the password of the link's person; every session they had ends."""
    person = person_for_link(session, settings, token)
    people.set_password(person, password)
    session.execute(delete(LoginSession).where(LoginSession.person_id == person.id))
    session.flush()
    return person


def hide_links(text: str) -> str:
    """*text* with the keys of its set-password links left out (for admins' eyes)."""
    return TOKEN_IN_TEXT.sub(r"\1…", text)


def _serializer(settings: LinkSettings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret, salt="tracker.password-link")


def _fingerprint(person: Person) -> str:
    # changes with the password, so a used link (or one sent before a change) dies
    return hashlib.sha256((person.password_hash or "-").encode()).hexdigest()[:16]


def invite(session: Session, person: Person, settings: LinkSettings) -> None:
    """Send *person* their invitation: a link to choose a password, or how to log in."""
    if settings.passwords:
        body = _(
            "Hello %(name)s,\n\nYou now have a login to the change programme's "
            "tracker. Choose your password here (the link is valid for 72 hours and "
            "works once):\n\n%(link)s\n\nYou log in with your e-mail address, "
            "%(email)s. If the link has expired, ask for a new one with “Forgot your "
            "password?” at %(login)s",
            name=person.name,
            link=password_link(settings, person),
            email=person.email,
            login=settings.login_url,
        )
    else:
        body = _(
            "Hello %(name)s,\n\nYou now have a login to the change programme's "
            "tracker. Log in with your organisation account at %(login)s",
            name=person.name,
            login=settings.login_url,
        )
    _send(session, person, _("Your login to the change programme"), body, settings)


def send_reset_link(
    session: Session,
    email: str,
    settings: LinkSettings,
    *,
    remote_addr: str,
    throttle: Throttle,
) -> None:
    """Mail a set-password link when *email* has a login; otherwise do nothing.

    Every request is recorded first, known address or not: both answers then do the
    same database work and take as long, and an address that keeps asking is ignored.
    """
    email = email.strip().lower()[:254]
    address = address_key(remote_addr)
    since = settings.now - throttle.window
    flooding = over_limit(session, LinkRequest, email, address, since, throttle)
    session.add(LinkRequest(email=email, remote_addr=address, created_at=settings.now))
    session.execute(delete(LinkRequest).where(LinkRequest.created_at < since))
    person = people.find_by_email(session, email)
    if flooding or not settings.passwords or person is None or not person.has_login:
        session.flush()
        return
    last = person.password_link_sent_at
    if last is not None and settings.now - last < LINK_INTERVAL:
        return  # one mail is on its way: a flood of requests must not flood the inbox
    body = _(
        "Hello %(name)s,\n\nSomeone, probably you, asked to choose a new password "
        "for the change programme's tracker. Choose it here (the link is valid for "
        "72 hours and works once):\n\n%(link)s\n\nIf you did not ask, ignore this "
        "e-mail: your password stays as it is.",
        name=person.name,
        link=password_link(settings, person),
    )
    _send(session, person, _("Choose a new password"), body, settings)


def _send(
    session: Session, person: Person, subject: str, body: str, settings: LinkSettings
) -> None:
    if person.email:
        mail.queue(session, to=[person.email], subject=subject, body=body)
    person.password_link_sent_at = settings.now
    session.flush()
