"""The outbox: queued in the caller's transaction, delivered to a real SMTP server."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.header import decode_header, make_header
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy.orm import Session

from tracker.services import mail


class Inbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Any]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append((envelope.rcpt_tos, message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, dict[str, Any]]]:
    """A real SMTP server on loopback, and the SMTP settings that reach it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, {"HOST": "127.0.0.1", "PORT": port, "TIMEOUT": 5, "SENDER": "t@x.se"}
    controller.stop()


def test_queued_mail_is_delivered_once(
    session: Session, smtp: tuple[Inbox, dict[str, Any]]
) -> None:
    inbox, config = smtp
    mail.queue(session, to=["anna@test.se"], subject="Du är vald", body="Välkommen!")
    assert mail.deliver_pending(session, config) == 1
    assert mail.deliver_pending(session, config) == 0
    (recipients, message), *_ = inbox.messages
    assert recipients == ["anna@test.se"]
    assert str(make_header(decode_header(message["Subject"]))) == "Du är vald"
    assert message.get_payload(decode=True).decode().strip() == "Välkommen!"
    assert len(inbox.messages) == 1
    assert mail.pending(session) == []


def test_without_smtp_host_nothing_is_sent_and_the_outbox_keeps_it(
    session: Session,
) -> None:
    message = mail.queue(session, to=["b@test.se"], subject="Hej", body="Text")
    assert mail.deliver_pending(session, {"HOST": ""}) == 0
    assert message.sent_at is None and message.attempts == 0
    assert message in mail.recent(session)


def test_unreachable_server_counts_an_attempt_and_keeps_the_error(
    session: Session,
) -> None:
    message = mail.queue(session, to=["c@test.se"], subject="Hej", body="Text")
    config = {"HOST": "127.0.0.1", "PORT": free_port(), "TIMEOUT": 2}
    assert mail.deliver_pending(session, config) == 0
    assert message.attempts == 1 and message.sent_at is None
    assert "Connection" in message.last_error or "refused" in message.last_error


def test_a_message_that_ran_out_of_attempts_is_not_retried(
    session: Session, smtp: tuple[Inbox, dict[str, Any]]
) -> None:
    inbox, config = smtp
    message = mail.queue(session, to=["d@test.se"], subject="Hej", body="Text")
    message.attempts = 5
    assert mail.deliver_pending(session, {**config, "MAX_ATTEMPTS": 5}) == 0
    assert inbox.messages == []


def test_the_scheduler_job_and_the_cli_deliver_the_outbox(
    app: Any, smtp: tuple[Inbox, dict[str, Any]]
) -> None:
    from tracker import jobs, upkeep
    from tracker.db import get_session

    inbox, config = smtp
    app.config["SMTP"].update(config)
    with app.app_context():
        mail.queue(get_session(), to=["a@test.se"], subject="Ett", body="1")
        get_session().commit()
    jobs.bind(app)
    upkeep.deliver_mail_job()
    assert [m["Subject"] for _, m in inbox.messages] == ["Ett"]
    with app.app_context():
        mail.queue(get_session(), to=["b@test.se"], subject="Två", body="2")
        get_session().commit()
    result = app.test_cli_runner().invoke(args=["mail", "send"])
    assert "Sent 1 message(s)." in result.output
    assert len(inbox.messages) == 2
