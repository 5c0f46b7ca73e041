"""E-mail about what people follow: at once, daily, weekly or never, never twice.

Every e-mail is one MailSummary row, unique per person and period key, written in
the same transaction as its outbox message and the notifications it carries. A
rerun finds the row (or no notification left to carry) and sends nothing again;
the caller's checkpoint commits person by person, so a crash part-way loses no
one's e-mail and doubles nobody's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from tracker.models.notifications import (
    EmailSchedule,
    MailSummary,
    Notification,
    NotificationSettings,
)
from tracker.models.people import Person
from tracker.services import mail
from tracker.services.attention import notifications as n
from tracker.services.attention import tokens, wording

# older notifications are not worth an e-mail any more (e.g. after "never")
MAX_AGE = timedelta(days=14)
MAX_LINES = 30


@dataclass(frozen=True)
class MailSettings:
    """What the e-mail needs from the configuration."""

    public_url: str
    secret_key: str
    default_schedule: EmailSchedule
    summary_hour: int
    weekly_day: int  # 0 = Monday
    timezone: ZoneInfo

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> MailSettings:
        """Read [NOTIFICATIONS], PUBLIC_URL and SECRET_KEY."""
        section = config["NOTIFICATIONS"]
        return cls(
            public_url=str(config["PUBLIC_URL"]).rstrip("/"),
            secret_key=str(config["SECRET_KEY"]),
            default_schedule=EmailSchedule(section["DEFAULT_SCHEDULE"]),
            summary_hour=int(section["SUMMARY_HOUR"]),
            weekly_day=int(section["WEEKLY_DAY"]),
            timezone=ZoneInfo(str(config["BABEL_DEFAULT_TIMEZONE"])),
        )


def period_of(
    schedule: EmailSchedule, now: datetime, settings: MailSettings
) -> tuple[str, datetime] | None:
    """The latest daily or weekly period that has begun: its key and its start."""
    if schedule not in (EmailSchedule.DAILY, EmailSchedule.WEEKLY):
        return None
    day = now.astimezone(settings.timezone).date()
    step = timedelta(days=1)
    if schedule is EmailSchedule.WEEKLY:
        day -= timedelta(days=(day.weekday() - settings.weekly_day) % 7)
        step = timedelta(days=7)
    start = datetime.combine(day, time(settings.summary_hour), settings.timezone)
    if start > now:
        day, start = (
            day - step,
            datetime.combine(
                day - step, time(settings.summary_hour), settings.timezone
            ),
        )
    return f"{schedule.value}:{day.isoformat()}", start


def send_instant(
    session: Session,
    settings: MailSettings,
    *,
    now: datetime,
    checkpoint: Callable[[], Any] = lambda: None,
) -> int:
    """E-mail at once: everything for "at once", urgent things for daily and weekly."""
    sent = 0
    wanted = _at_once(settings.default_schedule)
    for person, schedule, items in _pending(session, settings, now=now, only=wanted):
        if schedule is EmailSchedule.NEVER:
            continue
        if schedule is not EmailSchedule.INSTANT:
            items = [item for item in items if item.kind in n.URGENT]
        if items and _send(session, person, items, f"instant:{items[0].id}", settings):
            sent += 1
            checkpoint()
    return sent


def send_summaries(
    session: Session,
    settings: MailSettings,
    *,
    now: datetime,
    checkpoint: Callable[[], Any] = lambda: None,
) -> int:
    """One daily or weekly summary per person whose period has begun."""
    sent = 0
    for person, schedule, items in _pending(session, settings, now=now):
        period = period_of(schedule, now, settings)
        if period is None:
            continue
        key, start = period
        items = [item for item in items if item.created_at < start]
        if items and _send(session, person, items, key, settings):
            sent += 1
            checkpoint()
    return sent


def _at_once(default: EmailSchedule) -> ColumnElement[bool]:
    """Notifications that may go at once: urgent ones, and all of "at once" people."""
    chosen = NotificationSettings.schedule == EmailSchedule.INSTANT
    if default is EmailSchedule.INSTANT:
        others = select(NotificationSettings.person_id).where(~chosen)
        instant = Notification.person_id.not_in(others)
    else:
        instant = Notification.person_id.in_(
            select(NotificationSettings.person_id).where(chosen)
        )
    return or_(Notification.kind.in_(sorted(n.URGENT)), instant)


def _pending(
    session: Session,
    settings: MailSettings,
    *,
    now: datetime,
    only: ColumnElement[bool] | None = None,
) -> Iterable[tuple[Person, EmailSchedule, list[Notification]]]:
    statement = select(Notification).where(
        Notification.summary_id.is_(None),
        Notification.mail.is_(True),
        Notification.created_at >= now - MAX_AGE,
    )
    if only is not None:  # the minutely run need not read the week's summaries
        statement = statement.where(only)
    rows = session.scalars(statement.order_by(Notification.person_id, Notification.id))
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for row in rows:
        by_person[row.person_id].append(row)
    if not by_person:
        return []
    ids = sorted(by_person)
    people = {
        p.id: p for p in session.scalars(select(Person).where(Person.id.in_(ids)))
    }
    chosen = {
        person_id: schedule
        for person_id, schedule in session.execute(
            select(NotificationSettings.person_id, NotificationSettings.schedule).where(
                NotificationSettings.person_id.in_(ids)
            )
        )
    }
    return [
        (people[i], chosen.get(i, settings.default_schedule), by_person[i])
        for i in ids
        if i in people
    ]


def _send(
    session: Session,
    person: Person,
    items: list[Notification],
    period: str,
    settings: MailSettings,
) -> bool:
    """Queue one e-mail for *period*, unless it exists or the person cannot get it."""
    if not _reachable(person):
        return False
    done = session.scalar(
        select(MailSummary.id).where(
            MailSummary.person_id == person.id, MailSummary.period == period
        )
    )
    if done is not None:
        return False
    summary = MailSummary(person_id=person.id, period=period)
    session.add(summary)
    session.flush()
    for item in items:
        item.summary_id = summary.id
    token = tokens.unsubscribe_token(person.id, secret_key=settings.secret_key)
    unsubscribe = f"{settings.public_url}/avregistrera/{token}"
    message = mail.queue(
        session,
        to=[person.email or ""],
        subject=_subject(period, items),
        body=_body(person, items, settings, unsubscribe),
        headers={
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    summary.message_id = message.id
    session.flush()
    return True


def _reachable(person: Person) -> bool:
    if not person.email or not person.active:
        return False
    return not person.external or person.consent_on is not None


def _subject(period: str, items: list[Notification]) -> str:
    count = len(items)
    if period.startswith("daily:"):
        text = ngettext(
            "Your daily summary: %(num)d new in what you follow",
            "Your daily summary: %(num)d new in what you follow",
            count,
        )
    elif period.startswith("weekly:"):
        text = ngettext(
            "Your weekly summary: %(num)d new in what you follow",
            "Your weekly summary: %(num)d new in what you follow",
            count,
        )
    elif count == 1:
        text = wording.describe(items[0]).text
    else:
        text = ngettext(
            "%(num)d new in what you follow", "%(num)d new in what you follow", count
        )
    return str(text)


def _body(
    person: Person, items: list[Notification], settings: MailSettings, unsubscribe: str
) -> str:
    base = settings.public_url
    lines = [_("Hello %(name)s!", name=person.name), ""]
    lines.append(_("This has happened in what you follow:"))
    for item in items[:MAX_LINES]:
        line = wording.describe(item)
        lines += ["", f"- {line.text}", f"  {base}{line.path}"]
    if len(items) > MAX_LINES:
        more = len(items) - MAX_LINES
        lines += ["", ngettext("… and %(num)d more.", "… and %(num)d more.", more)]
    everything, profile = base + "/notiser/", base + "/me/profile"
    lines += [
        "",
        _("All your notifications: %(url)s", url=everything),
        _("Choose how often you get e-mail: %(url)s", url=profile),
        _("Stop these e-mails: %(url)s", url=unsubscribe),
    ]
    return "\n".join(lines) + "\n"
