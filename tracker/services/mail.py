"""Queue e-mail in the caller's transaction and deliver it over SMTP afterwards."""

from __future__ import annotations

import smtplib
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.clock import now
from tracker.models.mail import OutboxMessage

DEFAULT_MAX_ATTEMPTS = 5


def queue(
    session: Session,
    *,
    to: Sequence[str],
    subject: str,
    body: str,
    headers: Mapping[str, str] | None = None,
    attachments: Sequence[Mapping[str, str]] | None = None,
) -> OutboxMessage:
    """Add a message to the outbox; it is sent only if the caller commits.

    *headers* are extra header fields (List-Unsubscribe); *attachments* are text
    files as {"filename", "content_type", "text"} (a calendar invitation).
    """
    recipients = sorted({address.strip() for address in to if address.strip()})
    message = OutboxMessage(
        to=recipients, subject=subject.replace("\n", " ")[:200], body=body
    )
    message.headers = _clean_headers(headers) if headers else None
    message.attachments = [dict(a) for a in attachments] if attachments else None
    session.add(message)
    session.flush()
    return message


def pending(
    session: Session, *, max_attempts: int = DEFAULT_MAX_ATTEMPTS
) -> list[OutboxMessage]:
    """Unsent messages that still have attempts left, oldest first."""
    statement = (
        select(OutboxMessage)
        .where(OutboxMessage.sent_at.is_(None), OutboxMessage.attempts < max_attempts)
        .order_by(OutboxMessage.created_at, OutboxMessage.id)
    )
    return list(session.scalars(statement))


def recent(session: Session, *, limit: int = 200) -> list[OutboxMessage]:
    """The newest messages, for the admins' outbox page."""
    statement = select(OutboxMessage).order_by(
        OutboxMessage.created_at.desc(), OutboxMessage.id.desc()
    )
    return list(session.scalars(statement.limit(limit)))


def deliver_pending(session: Session, smtp_config: Mapping[str, Any]) -> int:
    """Send unsent messages; return how many went out (none when HOST is empty)."""
    if not smtp_config.get("HOST"):
        return 0
    max_attempts = int(smtp_config.get("MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))
    messages = [m for m in pending(session, max_attempts=max_attempts) if m.to]
    if not messages:
        return 0
    handled: list[OutboxMessage] = []
    try:
        with _connect(smtp_config) as smtp:
            for message in messages:
                _send_one(smtp, message, smtp_config)
                handled.append(message)
    except (OSError, smtplib.SMTPException) as error:
        # The connection failed: count an attempt on every message not yet handled.
        for message in messages[len(handled) :]:
            _fail(message, error)
    session.flush()
    return sum(1 for message in handled if message.sent_at is not None)


def _connect(smtp_config: Mapping[str, Any]) -> smtplib.SMTP:
    smtp = smtplib.SMTP(
        str(smtp_config["HOST"]),
        int(smtp_config.get("PORT", 25)),
        timeout=float(smtp_config.get("TIMEOUT", 10)),
    )
    if smtp_config.get("STARTTLS"):
        smtp.starttls()
    if smtp_config.get("USER"):
        smtp.login(str(smtp_config["USER"]), str(smtp_config.get("PASSWORD", "")))
    return smtp


def _send_one(
    smtp: smtplib.SMTP, message: OutboxMessage, smtp_config: Mapping[str, Any]
) -> None:
    email = EmailMessage()
    email["From"] = str(smtp_config.get("SENDER") or "tracker@localhost")
    email["To"] = ", ".join(message.to)
    email["Subject"] = message.subject
    email["Date"] = formatdate(localtime=False)
    email["Message-ID"] = make_msgid(domain="tracker")
    email.set_content(message.body)
    add_headers_and_attachments(email, message)
    try:
        smtp.send_message(email)
    except (
        smtplib.SMTPRecipientsRefused,
        smtplib.SMTPSenderRefused,
        smtplib.SMTPDataError,
    ) as error:
        # The server refused this message only; the connection is still good.
        _fail(message, error)
        return
    message.attempts += 1
    message.sent_at = now()
    message.last_error = ""


def _fail(message: OutboxMessage, error: Exception) -> None:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:2000]


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
