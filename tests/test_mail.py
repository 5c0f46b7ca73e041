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


def test_unreachable_server_keeps_the_error(
    session: Session,
) -> None:
    message = mail.queue(session, to=["c@test.se"], subject="Hej", body="Text")
    config = {"HOST": "127.0.0.1", "PORT": free_port(), "TIMEOUT": 2}
    assert mail.deliver_pending(session, config) == 0
    assert message.attempts == 0 and message.sent_at is None
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


def smtp_server(
    utf8: bool, refuse: set[str] | None = None
) -> tuple[Controller, Inbox, dict[str, Any]]:
    """A real SMTP server, with or without SMTPUTF8, refusing some recipients."""

    class Refusing(Inbox):
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if address in (refuse or set()):
                return "550 5.1.1 No such user"
            if address.startswith("later"):
                return "451 4.7.1 Try again later"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    inbox = Refusing()
    port = free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=utf8
    )
    controller.start()
    return controller, inbox, {"HOST": "127.0.0.1", "PORT": port, "TIMEOUT": 5}


QUEUE = [
    "anna@test.se",
    "omar.öberg@kommun.example",  # a non-ASCII local part: needs SMTPUTF8
    "lisa@kommunö.example",  # a non-ASCII domain: IDNA is enough
    "saknas@test.se",  # refused for good by the server
    "later@test.se",  # refused for now (greylisting)
    "björn@",  # not an address at all
    "erik@test.se",
]


@pytest.mark.parametrize("utf8", [False, True])
def test_one_bad_address_never_holds_up_the_rest_of_the_queue(
    session: Session, utf8: bool
) -> None:
    controller, inbox, config = smtp_server(utf8, refuse={"saknas@test.se"})
    try:
        queued = {
            address: mail.queue(session, to=[address], subject="Hej", body="Text")
            for address in QUEUE
        }
        delivered = mail.deliver_pending(session, config)
    finally:
        controller.stop()
    received = sorted(r for rcpts, _ in inbox.messages for r in rcpts)
    expected = ["anna@test.se", "erik@test.se", "lisa@xn--kommun-1xa.example"]
    if utf8:  # the server takes UTF-8 addresses as they are
        expected = sorted(
            [*expected[:2], "lisa@kommunö.example", "omar.öberg@kommun.example"]
        )
    assert received == expected
    assert delivered == len(expected)
    omar = queued["omar.öberg@kommun.example"]
    if not utf8:
        assert omar.failed_at is not None and "SMTPUTF8" in omar.last_error
    assert queued["saknas@test.se"].failed_at is not None
    assert "550" in queued["saknas@test.se"].last_error
    later = queued["later@test.se"]
    assert (
        later.failed_at is None and later.sent_at is None and "451" in later.last_error
    )
    assert later in mail.pending(session)  # tried again on the next run
    assert queued["björn@"].failed_at is not None


def test_a_recipient_refused_for_now_in_a_shared_message_is_queued_again(
    session: Session,
) -> None:
    controller, _inbox, config = smtp_server(False)
    try:
        message = mail.queue(
            session, to=["a@test.se", "later@test.se"], subject="Hej", body="Text"
        )
        assert mail.deliver_pending(session, config) == 1
    finally:
        controller.stop()
    assert message.sent_at is not None and "later@test.se" in message.last_error
    (again,) = mail.pending(session)
    assert again.to == ["later@test.se"] and again.subject == "Hej"


def test_an_unreachable_server_costs_no_message_an_attempt(session: Session) -> None:
    message = mail.queue(session, to=["c@test.se"], subject="Hej", body="Text")
    config = {"HOST": "127.0.0.1", "PORT": free_port(), "TIMEOUT": 2}
    for _ in range(10):
        mail.deliver_pending(session, config)
    assert message.attempts == 0 and message.failed_at is None
    assert message in mail.pending(session)


def test_html_mail_is_multipart_alternative_with_text_first(
    session: Session, smtp: tuple[Inbox, dict[str, Any]]
) -> None:
    inbox, config = smtp
    mail.queue(session, to=["a@test.se"], subject="Brev", body="Hej", html="<p>Hej</p>")
    assert mail.deliver_pending(session, config) == 1
    (_, received), *_ = inbox.messages
    assert received.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in received.get_payload()]
    assert parts == ["text/plain", "text/html"]
