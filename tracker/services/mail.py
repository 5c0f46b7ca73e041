"""Queue e-mail in the caller's transaction and deliver it over SMTP afterwards.

Delivery is judged per message: one message the server refuses, or one address
it cannot take, never holds up the rest of the queue. A server that cannot be
reached costs no message an attempt.
"""

from __future__ import annotations

import smtplib
from collections.abc import Collection, Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

import idna
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from tracker.clock import now
from tracker.models.mail import OutboxMessage

DEFAULT_MAX_ATTEMPTS = 5
_CONNECTION_ERRORS = (OSError, smtplib.SMTPServerDisconnected, smtplib.SMTPHeloError)


class Undeliverable(Exception):
    """This message can never be sent as it is (a permanent reason)."""


def queue(
    session: Session,
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    person_id: int | None = None,
    application_id: int | None = None,
    html: str | None = None,
    headers: Mapping[str, str] | None = None,
    attachments: Sequence[Mapping[str, str]] | None = None,
) -> OutboxMessage:
    """Add a message to the outbox; it is sent only if the caller commits.

    *person_id* is the recipient's, *application_id* the application the message is
    about: the privacy export and purge find the message by them. *headers* are
    extra header fields (List-Unsubscribe); *attachments* are text files as
    {"filename", "content_type", "text"} (a calendar invitation).
    """
    recipients = sorted({address.strip() for address in to if address.strip()})
    message = OutboxMessage(
        to=recipients,
        subject=subject.replace("\n", " ")[:200],
        body=body,
        html=html,
        person_id=person_id,
        application_id=application_id,
    )
    message.headers = _clean_headers(headers) if headers else None
    message.attachments = [dict(a) for a in attachments] if attachments else None
    session.add(message)
    session.flush()
    return message


def pending(
    session: Session, *, max_attempts: int = DEFAULT_MAX_ATTEMPTS
) -> list[OutboxMessage]:
    """Unsent messages not given up that still have attempts left, oldest first."""
    statement = (
        select(OutboxMessage)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.failed_at.is_(None),
            OutboxMessage.attempts < max_attempts,
        )
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return list(session.scalars(statement))


def recent(session: Session, *, limit: int = 200) -> list[OutboxMessage]:
    """The newest messages, for the admins' outbox page."""
    statement = select(OutboxMessage).order_by(
        OutboxMessage.created_at.desc(), OutboxMessage.id.desc()
    )
    return list(session.scalars(statement.limit(limit)))


def deliver_pending(
    session: Session,
    smtp_config: Mapping[str, Any],
    *,
    ids: Collection[int] | None = None,
) -> int:
    """Send unsent messages (only *ids* if given); return how many went out."""
    if not smtp_config.get("HOST"):
        return 0
    max_attempts = int(smtp_config.get("MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
    messages = [
        m
        for m in pending(session, max_attempts=max_attempts)
        if m.to and (ids is None or m.id in ids)
    ]
    smtp: smtplib.SMTP | None = None
    sent = 0
    try:
        for index, message in enumerate(messages):
            if smtp is None:
                try:
                    smtp = _connect(smtp_config)
                except (*_CONNECTION_ERRORS, smtplib.SMTPException) as error:
                    # nobody's fault but the server's: no message loses an attempt
                    for waiting in messages[index:]:
                        waiting.last_error = _describe(error)
                    break
            if _send_one(session, smtp, message, smtp_config, max_attempts):
                sent += 1
            elif not _alive(smtp):
                _close(smtp)
                smtp = None  # the next message connects again
    finally:
        _close(smtp)
    session.flush()
    return sent


def _connect(smtp_config: Mapping[str, Any]) -> smtplib.SMTP:
    smtp = smtplib.SMTP(
        str(smtp_config["HOST"]),
        int(smtp_config.get("PORT", 25)),
        timeout=float(smtp_config.get("TIMEOUT", 10)),
    )
    smtp.ehlo_or_helo_if_needed()
    if smtp_config.get("STARTTLS"):
        smtp.starttls()
        smtp.ehlo()
    if smtp_config.get("USER"):
        smtp.login(str(smtp_config["USER"]), str(smtp_config.get("PASSWORD", "")))
    return smtp


def _send_one(
    session: Session,
    smtp: smtplib.SMTP,
    message: OutboxMessage,
    smtp_config: Mapping[str, Any],
    max_attempts: int,
) -> bool:
    """Send one message; every failure is recorded on it alone."""
    try:
        utf8 = smtp.has_extn("smtputf8")
        sender = _address(str(smtp_config.get("SENDER") or "tracker@localhost"), utf8)
        recipients = [_address(address, utf8) for address in message.to]
        refused = smtp.send_message(
            _email(message, sender, recipients), sender, recipients
        )
    except Undeliverable as error:
        _give_up(message, str(error))
        return False
    except smtplib.SMTPRecipientsRefused as error:
        _refused(session, message, error.recipients, max_attempts, delivered=False)
        return False
    except (smtplib.SMTPResponseException, smtplib.SMTPNotSupportedError) as error:
        code = getattr(error, "smtp_code", 0)
        permanent = isinstance(error, smtplib.SMTPNotSupportedError) or code >= 500
        # a refused sender is the configuration's fault, not this message's
        if permanent and not isinstance(error, smtplib.SMTPSenderRefused):
            _give_up(message, _describe(error))
            return False
        _retry_later(message, _describe(error), max_attempts)
        return False
    except (*_CONNECTION_ERRORS, smtplib.SMTPException, ValueError) as error:
        _retry_later(message, _describe(error), max_attempts)
        return False
    message.attempts += 1
    message.sent_at = now()
    message.last_error = ""
    if refused:
        _refused(session, message, refused, max_attempts, delivered=True)
    return True


def _email(message: OutboxMessage, sender: str, recipients: list[str]) -> EmailMessage:
    email = EmailMessage()
    email["From"] = sender
    email["To"] = ", ".join(recipients)
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain="tracker")
    email.set_content(message.body)
    if message.html:
        email.add_alternative(message.html, subtype="html")
    add_headers_and_attachments(email, message)
    return email


def _address(address: str, smtputf8: bool) -> str:
    """The address as the server can take it: as is, IDNA domain, or refused."""
    local, at, domain = address.strip().rpartition("@")
    if not at or not local or not domain:
        raise Undeliverable(f"{address} is not an e-mail address")
    if address.isascii() or smtputf8:
        return address.strip()
    try:
        ascii_domain = idna.encode(domain, uts46=True).decode("ascii")
    except idna.IDNAError as error:
        raise Undeliverable(f"{address}: the domain is invalid ({error})") from error
    if not local.isascii():
        raise Undeliverable(
            f"{address}: the mail server does not accept non-ASCII characters "
            "before the @ (it lacks SMTPUTF8). Use another address for this "
            "person or a server that supports SMTPUTF8."
        )
    return f"{local}@{ascii_domain}"


def _refused(
    session: Session,
    message: OutboxMessage,
    refused: Mapping[str, tuple[int, bytes]],
    max_attempts: int,
    *,
    delivered: bool,
) -> None:
    """Record refusals; addresses refused for now get a message of their own."""
    later = sorted(a for a, (code, _) in refused.items() if 400 <= code < 500)
    reasons = "; ".join(
        f"{address}: {code} {reply.decode(errors='replace')}"
        for address, (code, reply) in sorted(refused.items())
    )
    if later and delivered:
        retry = _copy(message, later)
        session.add(retry)
        session.flush()
        reasons += f" (queued again as #{retry.id})"
    if delivered:
        message.last_error = f"Refused by the server: {reasons}"[:2000]
    elif later:
        _retry_later(message, f"Refused by the server: {reasons}", max_attempts)
    else:
        _give_up(message, f"Refused by the server: {reasons}")


def _copy(message: OutboxMessage, recipients: list[str]) -> OutboxMessage:
    """The same message for some recipients (every column, whoever added it)."""
    fresh = {"id", "to", "created_at", "sent_at", "attempts", "last_error", "failed_at"}
    values = {
        column.key: getattr(message, column.key)
        for column in inspect(OutboxMessage).column_attrs
        if column.key not in fresh
    }
    return OutboxMessage(**values, to=recipients, attempts=message.attempts)


def _retry_later(message: OutboxMessage, reason: str, max_attempts: int) -> None:
    message.attempts += 1
    message.last_error = reason[:2000]
    if message.attempts >= max_attempts:
        message.failed_at = now()


def _give_up(message: OutboxMessage, reason: str) -> None:
    message.attempts += 1
    message.last_error = reason[:2000]
    message.failed_at = now()


def _describe(error: Exception) -> str:
    return f"{type(error).__name__}: {error}"[:2000]


def _alive(smtp: smtplib.SMTP) -> bool:
    try:
        return smtp.noop()[0] == 250
    except (*_CONNECTION_ERRORS, smtplib.SMTPException):
        return False


def _close(smtp: smtplib.SMTP | None) -> None:
    if smtp is None:
        return
    try:
        smtp.quit()
    except (*_CONNECTION_ERRORS, smtplib.SMTPException):
        smtp.close()


def add_headers_and_attachments(email: EmailMessage, message: OutboxMessage) -> None:
    """Put the message's extra header fields and text attachments on *email*.

    Call it after the body and any alternative of it: attachments make the
    message multipart/mixed, which takes no further alternatives.
    """
    for name, value in (message.headers or {}).items():
        email[name] = value
    for attachment in message.attachments or []:
        # "text/calendar; method=REQUEST" -> subtype "calendar", {"method": ...}
        kind, *params = (part.strip() for part in attachment["content_type"].split(";"))
        extra = dict(param.split("=", 1) for param in params if "=" in param)
        extra.pop("charset", None)  # the text is always sent as UTF-8
        email.add_attachment(
            attachment["text"],
            subtype=kind.partition("/")[2] or "plain",
            filename=attachment["filename"],
            params=extra,
        )


def _clean_headers(headers: Mapping[str, str]) -> dict[str, str]:
    # a line break in a value would start a header of its own
    return {
        name.strip(): " ".join(str(value).split()) for name, value in headers.items()
    }
