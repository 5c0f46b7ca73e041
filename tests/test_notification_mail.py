"""E-mail about what people follow: on their schedule, exactly once per period."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from email.header import decode_header, make_header
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from aiosmtpd.controller import Controller
from factories import make_person
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from test_mail import Inbox, free_port

from tracker.models.mail import OutboxMessage
from tracker.models.notifications import EmailSchedule, MailSummary, Notification
from tracker.models.people import Person
from tracker.services import mail, people
from tracker.services.attention import notifications, summaries, tokens
from tracker.services.attention.notifications import Delivery

STOCKHOLM = ZoneInfo("Europe/Stockholm")
SETTINGS = summaries.MailSettings(
    public_url="https://tracker.test",
    secret_key="test",
    default_schedule=EmailSchedule.WEEKLY,
    summary_hour=7,
    weekly_day=0,
    timezone=STOCKHOLM,
)
# Wednesday 2 December 2026, 10:00 in Stockholm
WEDNESDAY = datetime(2026, 12, 2, 10, tzinfo=STOCKHOLM)


@pytest.fixture(autouse=True)
def swedish(app: Flask) -> Iterator[None]:
    """Sentences in the default language, as the jobs write them."""
    with app.app_context():
        yield


def tell(session: Session, person: Person, key: str, when: datetime, **kw: Any) -> None:
    """One notification for *person*, made at *when*."""
    kind = kw.pop("kind", notifications.DIGEST)
    delivery = Delivery(person.id, kind, key, when, params={"title": key} | kw)
    notifications.store(session, [delivery], now=when)


def messages_to(session: Session, person: Person) -> list[OutboxMessage]:
    return [
        m
        for m in session.scalars(select(OutboxMessage).order_by(OutboxMessage.id))
        if person.email in m.to
    ]


def choose(session: Session, person: Person, schedule: EmailSchedule) -> None:
    notifications.save_settings(session, person, schedule=schedule, open_calls=True)


def test_periods_are_the_latest_daily_and_weekly_ones_that_began() -> None:
    daily = summaries.period_of(EmailSchedule.DAILY, WEDNESDAY, SETTINGS)
    assert daily == ("daily:2026-12-02", datetime(2026, 12, 2, 7, tzinfo=STOCKHOLM))
    early = WEDNESDAY.replace(hour=6)
    assert summaries.period_of(EmailSchedule.DAILY, early, SETTINGS) == (
        "daily:2026-12-01",
        datetime(2026, 12, 1, 7, tzinfo=STOCKHOLM),
    )
    weekly = summaries.period_of(EmailSchedule.WEEKLY, WEDNESDAY, SETTINGS)
    assert weekly == ("weekly:2026-11-30", datetime(2026, 11, 30, 7, tzinfo=STOCKHOLM))
    monday_early = datetime(2026, 11, 30, 6, tzinfo=STOCKHOLM)
    assert summaries.period_of(EmailSchedule.WEEKLY, monday_early, SETTINGS)[0] == (
        "weekly:2026-11-23"
    )
    assert summaries.period_of(EmailSchedule.INSTANT, WEDNESDAY, SETTINGS) is None


def test_one_weekly_summary_per_week_however_often_the_job_runs(
    session: Session,
) -> None:
    staff = make_person(session, name="Mats Medarbetare")  # weekly: the default
    tell(session, staff, "Brev ett", WEDNESDAY - timedelta(days=3))
    tell(session, staff, "Brev två", WEDNESDAY - timedelta(days=2, hours=20))
    assert summaries.send_summaries(session, SETTINGS, now=WEDNESDAY) == 1
    assert summaries.send_summaries(session, SETTINGS, now=WEDNESDAY) == 0
    tell(session, staff, "Brev tre", WEDNESDAY)  # after this week's summary went
    later = WEDNESDAY + timedelta(days=2)
    assert summaries.send_summaries(session, SETTINGS, now=later) == 0
    (message,) = messages_to(session, staff)
    assert message.subject == (
        "Din veckosammanfattning: 2 nya händelser i det du följer"
    )
    assert "Hej Mats Medarbetare!" in message.body
    assert "Månadsbrevet ”Brev ett” är publicerat." in message.body
    assert "Brev tre" not in message.body
    next_week = WEDNESDAY + timedelta(days=5)
    assert summaries.send_summaries(session, SETTINGS, now=next_week) == 1
    assert "Brev tre" in messages_to(session, staff)[-1].body


def test_a_crash_part_way_sends_everyone_exactly_one_summary(
    session: Session,
) -> None:
    everyone = [make_person(session) for _ in range(3)]
    for person in everyone:
        choose(session, person, EmailSchedule.DAILY)
        tell(session, person, "Något", WEDNESDAY - timedelta(hours=20))
    session.commit()
    done: list[int] = []

    def crash_after_the_first() -> None:
        if done:
            raise RuntimeError("the scheduler was killed")
        done.append(1)
        session.commit()

    with pytest.raises(RuntimeError):
        summaries.send_summaries(
            session, SETTINGS, now=WEDNESDAY, checkpoint=crash_after_the_first
        )
    session.rollback()
    assert session.scalar(select(func.count(MailSummary.id))) == 1
    summaries.send_summaries(
        session, SETTINGS, now=WEDNESDAY, checkpoint=session.commit
    )
    summaries.send_summaries(
        session, SETTINGS, now=WEDNESDAY, checkpoint=session.commit
    )
    for person in everyone:
        assert len(messages_to(session, person)) == 1
    assert session.scalar(select(func.count(MailSummary.id))) == 3


def test_at_once_never_and_urgent_news(session: Session) -> None:
    instant, weekly, never = (make_person(session) for _ in range(3))
    choose(session, instant, EmailSchedule.INSTANT)
    choose(session, never, EmailSchedule.NEVER)
    for person in (instant, weekly, never):
        tell(session, person, "Vanligt", WEDNESDAY)
        tell(
            session,
            person,
            "Gemensam ingång",
            WEDNESDAY,
            kind=notifications.CALL_OPENED,
            slug="gemensam-ingang",
            deadline="2026-12-20",
        )
    assert summaries.send_instant(session, SETTINGS, now=WEDNESDAY) == 2
    assert summaries.send_instant(session, SETTINGS, now=WEDNESDAY) == 0
    (at_once,) = messages_to(session, instant)
    assert at_once.subject == "2 nya händelser i det du följer"
    (urgent,) = messages_to(session, weekly)
    assert urgent.subject == (
        "Nu kan du anmäla dig till ”Gemensam ingång”. Sista dag är 20 dec. 2026."
    )
    assert "https://tracker.test/groups/gemensam-ingang" in urgent.body
    assert messages_to(session, never) == []
    # the weekly reader's ordinary news waits for the summary
    monday = datetime(2026, 12, 7, 8, tzinfo=STOCKHOLM)
    assert summaries.send_summaries(session, SETTINGS, now=monday) == 1
    assert "Vanligt" in messages_to(session, weekly)[-1].body
    assert messages_to(session, never) == []


def test_every_e_mail_has_a_working_unsubscribe_link_and_one_click_header(
    session: Session,
) -> None:
    staff = make_person(session)
    choose(session, staff, EmailSchedule.INSTANT)
    tell(session, staff, "Nyhet", WEDNESDAY)
    summaries.send_instant(session, SETTINGS, now=WEDNESDAY)
    (message,) = messages_to(session, staff)
    assert message.headers is not None
    link = message.headers["List-Unsubscribe"]
    assert message.headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert link.startswith("<https://tracker.test/avregistrera/") and link.endswith(">")
    token = link.removeprefix("<https://tracker.test/avregistrera/").removesuffix(">")
    assert f"Sluta få de här mejlen: {link[1:-1]}" in message.body
    found = tokens.person_for_unsubscribe_token(session, token, secret_key="test")
    assert found is staff
    assert tokens.person_for_unsubscribe_token(session, token, secret_key="x") is None


def test_nothing_goes_to_people_without_an_address_or_consent(
    session: Session,
) -> None:
    no_address = make_person(session)
    no_address.email = None
    external = people.create_person(
        session,
        None,
        people.PersonValues(name="Invånare Amira", email="amira@example.se"),
        external=True,
        consent_on=date(2026, 1, 2),
    )
    external.consent_on = None  # consent withdrawn
    consenting = people.create_person(
        session,
        None,
        people.PersonValues(name="Invånare Bengt", email="bengt@example.se"),
        external=True,
        consent_on=date(2026, 1, 2),
    )
    for person in (no_address, external, consenting):
        choose(session, person, EmailSchedule.INSTANT)
        tell(session, person, "Nyhet", WEDNESDAY)
    assert summaries.send_instant(session, SETTINGS, now=WEDNESDAY) == 1
    assert [m.to for m in mail.pending(session)] == [["bengt@example.se"]]


@pytest.fixture
def picky_smtp() -> Iterator[tuple[Inbox, dict[str, Any]]]:
    """A real SMTP server on loopback that refuses one recipient."""

    class Picky(Inbox):
        async def handle_RCPT(
            self, server: Any, session: Any, envelope: Any, address: str, options: Any
        ) -> str:
            if address.startswith("refused@"):
                return "550 5.1.1 No such mailbox"
            envelope.rcpt_tos.append(address)
            return "250 OK"

    inbox = Picky()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, {"HOST": "127.0.0.1", "PORT": port, "TIMEOUT": 5, "SENDER": "t@x.se"}
    controller.stop()


def test_a_refused_message_never_blocks_the_others(
    session: Session, picky_smtp: tuple[Inbox, dict[str, Any]]
) -> None:
    inbox, config = picky_smtp
    people_list = [
        make_person(session, email=address)
        for address in ("anna@test.se", "refused@test.se", "bo@test.se")
    ]
    for person in people_list:
        choose(session, person, EmailSchedule.INSTANT)
        tell(session, person, "Nyhet", WEDNESDAY)
    assert summaries.send_instant(session, SETTINGS, now=WEDNESDAY) == 3
    assert mail.deliver_pending(session, config) == 2
    got = {tuple(rcpt): message for rcpt, message in inbox.messages}
    assert set(got) == {("anna@test.se",), ("bo@test.se",)}
    message = got[("anna@test.se",)]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unfolded = "".join(message["List-Unsubscribe"].split())  # a long header folds
    assert unfolded.startswith("<https://tracker.test/avregistrera/")
    subject = str(make_header(decode_header(message["Subject"])))
    assert subject == "Månadsbrevet ”Nyhet” är publicerat."
    assert mail.pending(session) == []  # a 550 is permanent: never retried
    (refused,) = [m for m in mail.recent(session) if m.sent_at is None]
    assert refused.to == ["refused@test.se"] and refused.failed_at is not None
    assert "550" in refused.last_error


def test_the_summary_job_sends_through_the_outbox_once(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tracker import clock, jobs, notification_jobs
    from tracker.db import get_session

    with app.app_context():
        db = get_session()
        staff = make_person(db)
        tell(db, staff, "Nyhet", WEDNESDAY - timedelta(days=3))  # Sunday
        db.commit()
        staff_id = staff.id
    monkeypatch.setattr(clock, "now", lambda: WEDNESDAY.astimezone(UTC))
    jobs.bind(app)
    notification_jobs.summaries_job()
    notification_jobs.summaries_job()
    with app.app_context():
        db = get_session()
        rows = db.scalars(select(MailSummary).where(MailSummary.person_id == staff_id))
        (summary,) = rows
        assert summary.period == "weekly:2026-11-30"
        carried = db.scalars(
            select(Notification).where(Notification.summary_id == summary.id)
        )
        assert len(list(carried)) == 1


def test_at_once_as_the_configured_default_reaches_those_who_never_chose(
    session: Session,
) -> None:
    from dataclasses import replace

    settings = replace(SETTINGS, default_schedule=EmailSchedule.INSTANT)
    unchosen, weekly = make_person(session), make_person(session)
    choose(session, weekly, EmailSchedule.WEEKLY)
    for person in (unchosen, weekly):
        tell(session, person, "Vanligt", WEDNESDAY)
    assert summaries.send_instant(session, settings, now=WEDNESDAY) == 1
    assert len(messages_to(session, unchosen)) == 1
    assert messages_to(session, weekly) == []
