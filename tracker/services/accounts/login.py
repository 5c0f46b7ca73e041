"""The password check, throttled per (e-mail, address) and per address."""

from __future__ import annotations

import ipaddress
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from tracker.errors import DomainError
from tracker.models.accounts import LinkRequest
from tracker.models.people import LoginFailure, Person
from tracker.services import people


@dataclass(frozen=True)
class Throttle:
    """How many failed logins within *window* make an address wait."""

    per_account: int  # for one e-mail address from one address
    per_address: int  # from one address, whatever the e-mail
    window: timedelta


def authenticate(
    session: Session,
    email: str,
    password: str,
    *,
    remote_addr: str,
    now: datetime,
    throttle: Throttle,
) -> Person:
    """Return the person for a correct login; an address that keeps failing waits."""
    email = email.strip().lower()[:254]
    address = address_key(remote_addr)
    since = now - throttle.window
    if over_limit(session, LoginFailure, email, address, since, throttle):
        raise DomainError(
            _l("Too many failed attempts. Wait a while and try again."),
            field="throttled",
        )
    person = people.find_by_email(session, email)
    stored = person.password_hash if person is not None and person.has_login else None
    # Without a usable hash, check a stand-in: both answers take as long
    correct = check_password_hash(stored or _stand_in_hash(), password)
    if person is None or stored is None or not correct:
        session.add(LoginFailure(email=email, remote_addr=address, created_at=now))
        session.execute(delete(LoginFailure).where(LoginFailure.created_at < since))
        raise DomainError(_l("Wrong e-mail address or password."))
    session.execute(
        delete(LoginFailure).where(
            LoginFailure.email == email, LoginFailure.remote_addr == address
        )
    )
    return person


def over_limit(
    session: Session,
    model: type[LoginFailure] | type[LinkRequest],
    email: str,
    address: str,
    since: datetime,
    throttle: Throttle,
) -> bool:
    """Whether this address has *model* rows (failures, requests) past the limits,
    for this e-mail or for any."""
    statement = select(func.count().filter(model.email == email), func.count()).where(
        model.remote_addr == address, model.created_at >= since
    )
    for_account, for_address = session.execute(statement).one()
    # without an address (a local socket) only the per-account count applies
    return bool(
        for_account >= throttle.per_account
        or (address and for_address >= throttle.per_address)
    )


def address_key(remote_addr: str) -> str:
    """The address failures count against: IPv4 as is, IPv6 as its /64 network."""
    text = remote_addr.strip()
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return text[:64]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        # one subscriber gets a whole /64: counting single addresses is no limit
        return str(ipaddress.ip_network((ip, 64), strict=False))
    return str(ip)


@cache
def _stand_in_hash() -> str:
    """A hash of nothing anyone knows, made the way real ones are (once a process)."""
    return generate_password_hash(secrets.token_hex(16))
