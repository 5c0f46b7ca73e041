"""iCalendar (RFC 5545) with the icalendar library: feeds and check-in invitations.

Every event has a UID that never changes (the check-in's is the same in the
invitation and in the feeds, so calendars merge them), a DTSTAMP, and dates as
all-day values; meetings carry TZID=Europe/Stockholm with its VTIMEZONE.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from urllib.parse import urlsplit

from flask_babel import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, selectinload

from tracker.clock import STOCKHOLM
from tracker.i18n import date_filter
from tracker.models.applications import Application, ApplicationStatus
from tracker.models.assignments import Assignment
from tracker.models.checkins import CheckIn
from tracker.models.groups import GroupState, WorkingGroup, group_assignments
from tracker.models.notifications import FollowTarget
from tracker.models.people import Person
from tracker.models.plans import ActionPlan
from tracker.services.attention import follows

PRODID = "-//Arbetsmarknadsförvaltningen//tracker//SV"
TZID = "Europe/Stockholm"
CHECKIN_HISTORY = timedelta(days=180)


@dataclass
class Contents:
    """What a feed holds."""

    assignments: list[Assignment] = field(default_factory=list)
    groups: list[WorkingGroup] = field(default_factory=list)
    deadlines: list[WorkingGroup] = field(default_factory=list)
    checkins: list[CheckIn] = field(default_factory=list)


def uid(kind: str, object_id: int, base_url: str) -> str:
    """A UID that stays the same for the object as long as the address does."""
    return f"{kind}-{object_id}@{urlsplit(base_url).hostname or 'tracker'}"


def when_text(checkin: CheckIn) -> str:
    """“3 dec. 2026 10:00–11:00” in Stockholm time."""
    start = checkin.starts_at.astimezone(STOCKHOLM)
    end = checkin.ends_at.astimezone(STOCKHOLM)
    return f"{date_filter(start.date())} {start:%H:%M}–{end:%H:%M}"


def invitation(
    checkin: CheckIn,
    attendees: Iterable[Person],
    *,
    method: str,
    sender: str,
    url: str,
    now: datetime,
) -> str:
    """An iTIP REQUEST (or CANCEL) for one check-in, as text."""
    calendar = _calendar(checkin.title, method=method)
    event = meeting(checkin, url=url, now=now, base_url=url)  # url has the host
    organizer = checkin.organizer
    address = vCalAddress(
        f"mailto:{(organizer.email if organizer else None) or sender}"
    )
    address.params["CN"] = organizer.name if organizer else sender
    event.add("organizer", address)
    for person in attendees:
        if person.email:
            attendee = vCalAddress(f"mailto:{person.email}")
            attendee.params.update(
                CN=person.name, ROLE="REQ-PARTICIPANT", PARTSTAT="NEEDS-ACTION"
            )
            event.add("attendee", attendee)
    _add_timezone(calendar, [checkin.starts_at.date()])
    calendar.add_component(event)
    return str(calendar.to_ical().decode())


def meeting(checkin: CheckIn, *, url: str, now: datetime, base_url: str) -> Event:
    """A check-in as a timed VEVENT."""
    event = Event()
    event.add("uid", uid("checkin", checkin.id, base_url))
    event.add("dtstamp", now)
    event.add("sequence", checkin.sequence)
    event.add("dtstart", checkin.starts_at.astimezone(STOCKHOLM))
    event.add("dtend", checkin.ends_at.astimezone(STOCKHOLM))
    event.add("summary", checkin.title)
    event.add("status", "CANCELLED" if checkin.is_cancelled else "CONFIRMED")
    if checkin.location:
        event.add("location", checkin.location)
    event.add("description", "\n\n".join(filter(None, [checkin.agenda, url])))
    event.add("url", url)
    return event


def person_feed(
    session: Session, person: Person, *, base_url: str, now: datetime
) -> bytes:
    """The calendar of everything *person* follows."""
    followed = follows.followed_by(session, person.id)
    ids = {kind: {i for k, i in followed if k is kind} for kind in FollowTarget}
    contents = _contents(
        session,
        Assignment.id.in_(ids[FollowTarget.ASSIGNMENT])
        | Assignment.plan_id.in_(ids[FollowTarget.PLAN]),
        ids[FollowTarget.GROUP],
        now=now,
    )
    mine = select(Application.group_id).where(
        Application.person_id == person.id,
        Application.status.in_(
            [ApplicationStatus.SUBMITTED, ApplicationStatus.INVITED]
        ),
    )
    contents.deadlines += _recruiting(session, WorkingGroup.id.in_(mine))
    name = _("What %(name)s follows", name=person.name)
    return build(name, contents, base_url=base_url, now=now)


def plan_feed(
    session: Session, plan: ActionPlan, *, base_url: str, now: datetime
) -> bytes:
    """The calendar of one action plan."""
    contents = _contents(session, Assignment.plan_id == plan.id, set(), now=now)
    return build(plan.title, contents, base_url=base_url, now=now)


def build(name: str, contents: Contents, *, base_url: str, now: datetime) -> bytes:
    """The VCALENDAR of *contents*."""
    calendar = _calendar(name)
    events = _all_day_events(contents, base_url=base_url, now=now)
    events += [
        meeting(c, url=f"{base_url}/avstamningar/{c.id}", now=now, base_url=base_url)
        for c in contents.checkins
    ]
    days = [now.date(), *(c.starts_at.date() for c in contents.checkins)]
    _add_timezone(calendar, days)
    for event in events:
        calendar.add_component(event)
    return bytes(calendar.to_ical())


def _all_day_events(contents: Contents, *, base_url: str, now: datetime) -> list[Event]:
    events = []
    for a in contents.assignments:
        url = f"{base_url}/assignments/{a.id}"
        for m in a.milestones:
            if m.due_on is not None:
                text = _("Milestone reached") if m.done else _("Milestone")
                summary = f"{text}: {m.title} ({a.title})"
                events.append(
                    _day(uid("milestone", m.id, base_url), m.due_on, summary, url, now)
                )
        if a.ends_on is not None:
            summary = _("Ends: %(title)s", title=a.title)
            events.append(
                _day(
                    uid("assignment-end", a.id, base_url), a.ends_on, summary, url, now
                )
            )
    for g in contents.groups:
        if g.starts_on is not None and g.ends_on is not None:
            summary = _("Working group %(name)s", name=g.name)
            url = f"{base_url}/groups/{g.slug}"
            key = uid("group", g.id, base_url)
            events.append(_day(key, g.starts_on, summary, url, now, last=g.ends_on))
    for g in {g.id: g for g in contents.deadlines}.values():
        if g.signup_deadline is not None:
            summary = _("Last day to apply: %(name)s", name=g.name)
            url = f"{base_url}/groups/{g.slug}"
            events.append(
                _day(
                    uid("deadline", g.id, base_url),
                    g.signup_deadline,
                    summary,
                    url,
                    now,
                )
            )
    return events


def _day(
    key: str,
    day: date,
    summary: str,
    url: str,
    now: datetime,
    *,
    last: date | None = None,
) -> Event:
    """An all-day event from *day* through *last* (DTEND is the day after)."""
    event = Event()
    event.add("uid", key)
    event.add("dtstamp", now)
    event.add("dtstart", day)
    event.add("dtend", max(last or day, day) + timedelta(days=1))
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")  # a date to know, not time that is taken
    event.add("url", url)
    return event


def _contents(
    session: Session,
    assignment_filter: ColumnElement[bool],
    group_ids: set[int],
    *,
    now: datetime,
) -> Contents:
    assignments = list(
        session.scalars(
            select(Assignment)
            .where(assignment_filter, Assignment.closed_at.is_(None))
            .options(selectinload(Assignment.milestones))
            .order_by(Assignment.id)
        )
    )
    assignment_ids = [a.id for a in assignments]
    serving = select(group_assignments.c.group_id).where(
        group_assignments.c.assignment_id.in_(assignment_ids)
    )
    group_clause = or_(WorkingGroup.id.in_(group_ids), WorkingGroup.id.in_(serving))
    groups = list(
        session.scalars(
            select(WorkingGroup)
            .where(group_clause, WorkingGroup.state != GroupState.CLOSED)
            .order_by(WorkingGroup.id)
        )
    )
    group_list = [g.id for g in groups]
    checkins = session.scalars(
        select(CheckIn)
        .where(
            or_(
                CheckIn.assignment_id.in_(assignment_ids),
                CheckIn.group_id.in_(group_list),
            ),
            CheckIn.cancelled_at.is_(None),
            CheckIn.starts_at >= now - CHECKIN_HISTORY,
        )
        .order_by(CheckIn.starts_at, CheckIn.id)
    )
    deadlines = [g for g in groups if g.state is GroupState.RECRUITING]
    return Contents(assignments, groups, deadlines, list(checkins))


def _recruiting(session: Session, clause: ColumnElement[bool]) -> list[WorkingGroup]:
    statement = select(WorkingGroup).where(
        clause, WorkingGroup.state == GroupState.RECRUITING
    )
    return list(session.scalars(statement))


def _calendar(name: str, *, method: str | None = None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    calendar.add("x-published-ttl", "PT1H")
    return calendar


def _add_timezone(calendar: Calendar, days: list[date]) -> None:
    """Europe/Stockholm's VTIMEZONE, covering the events' years only."""
    first = date(min(days).year - 1, 1, 1)
    last = date(max(days).year + 2, 1, 1)
    calendar.add_component(Timezone.from_tzid(TZID, first_date=first, last_date=last))
