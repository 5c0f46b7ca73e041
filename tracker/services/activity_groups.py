"""Repeated activity events shown as one row: "25 anmälningar till Multiteamsgruppen".

Grouping works on a list of events a reader may already see (activity.feed() and
activity.recent() filter first), so a row never counts or names an event the reader
could not see one by one. No queries: it only rearranges what was read.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from flask_babel import lazy_ngettext
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.models.activity import ActivityEvent
from tracker.services import activity

# Events many people do to the same group (one application each): counted without
# naming anyone in the row; the phrase names the object, the group.
CROWD_PHRASES: dict[str, Callable[[int], Any]] = {
    "applied": lambda n: lazy_ngettext(
        "%(num)d application to", "%(num)d applications to", n
    ),
    "application_changed": lambda n: lazy_ngettext(
        "%(num)d changed application to", "%(num)d changed applications to", n
    ),
    "withdrawn": lambda n: lazy_ngettext(
        "%(num)d withdrawn application to", "%(num)d withdrawn applications to", n
    ),
    "invitation_accepted": lambda n: lazy_ngettext(
        "%(num)d accepted invitation to", "%(num)d accepted invitations to", n
    ),
    "invitation_declined": lambda n: lazy_ngettext(
        "%(num)d declined invitation to", "%(num)d declined invitations to", n
    ),
}
# The row of these shows the values of the newest event ("from A to B"), which the
# others do not share: each stays a row of its own.
NEVER_GROUPED = frozenset({"moved"})
# One person doing the same to several objects of a kind: "ändrade 5 handlingsplaner".
# Kinds not here (decisions, applications: named in the verb) group per object only.
SERIES_NOUNS: dict[str, Callable[[int], Any]] = {
    "ActionPlan": lambda n: lazy_ngettext(
        "%(num)d action plan", "%(num)d action plans", n
    ),
    "Assignment": lambda n: lazy_ngettext(
        "%(num)d assignment", "%(num)d assignments", n
    ),
    "Milestone": lambda n: lazy_ngettext("%(num)d milestone", "%(num)d milestones", n),
    "WorkingGroup": lambda n: lazy_ngettext(
        "%(num)d working group", "%(num)d working groups", n
    ),
    "CheckIn": lambda n: lazy_ngettext("%(num)d check-in", "%(num)d check-ins", n),
    "MaturityRound": lambda n: lazy_ngettext(
        "%(num)d maturity round", "%(num)d maturity rounds", n
    ),
}


@dataclass(frozen=True)
class EventGroup:
    """One row of the feed: one event, or several of the same kind on one subject
    on one day, newest first."""

    events: tuple[ActivityEvent, ...]
    newer_elsewhere: bool = False  # the run goes on among newer events not shown
    older_elsewhere: bool = False  # ... among older events not shown

    @property
    def latest(self) -> ActivityEvent:
        """The newest event: its time is the row's time."""
        return self.events[0]

    @property
    def count(self) -> int:
        """How many events the row stands for (on this page)."""
        return len(self.events)

    @property
    def is_crowd(self) -> bool:
        """Whether the row counts what several people did, naming none of them."""
        return self.count > 1 and self.latest.verb in CROWD_PHRASES

    @property
    def summary(self) -> Any:
        """ "25 applications to" (before the object's name), for a crowd row."""
        return CROWD_PHRASES[self.latest.verb](self.count)

    @property
    def is_series(self) -> bool:
        """Whether the row is one person's same action on several objects."""
        return (
            self.count > 1
            and not self.is_crowd
            and len({e.object_id for e in self.events}) > 1
        )

    @property
    def series_noun(self) -> Any:
        """ "5 action plans" (after the verb), for a series row: the objects, counted
        once however often each was acted on (the list shows every event)."""
        objects = len({e.object_id for e in self.events})
        return SERIES_NOUNS[self.latest.object_type](objects)

    @property
    def times(self) -> Any:
        """ "(3 times)", after one person's repeated event."""
        return lazy_ngettext("(%(num)d time)", "(%(num)d times)", self.count)


def group_key(event: ActivityEvent) -> tuple[Any, ...] | None:
    """What makes events "the same": None for an event that is never grouped."""
    if event.verb in NEVER_GROUPED:
        return None
    day = stockholm_day(event)
    if event.verb in CROWD_PHRASES:
        # each applicant's application is its own object: the group is the subject
        return ("crowd", event.verb, event.group_id, event.object_label, day)
    # a kind with a plural noun forms a series over its objects; others, per object
    same_object = (
        ()
        if event.object_type in SERIES_NOUNS
        else (
            event.object_id,
            event.object_label,
        )
    )
    return (
        event.actor_id,
        event.actor_label,
        event.verb,
        event.object_type,
        *same_object,
        day,
    )


def stockholm_day(event: ActivityEvent) -> date:
    """The calendar day in Stockholm the event happened on."""
    return event.created_at.astimezone(STOCKHOLM).date()


def group_events(
    events: Sequence[ActivityEvent],
    *,
    newer: ActivityEvent | None = None,
    older: ActivityEvent | None = None,
) -> list[EventGroup]:
    """Runs of consecutive same events (group_key) on one day, as one row each.

    Paging: a page is cut by events, not rows, so page N always starts at event
    50·(N−1) whatever the grouping. A run that crosses a page boundary is not moved
    or merged: each page counts only its own events and its row says that more of
    the run is on the newer or older page. *newer* is the event just before the
    page (if any), *older* the one just after: they are only compared, never shown.
    """
    runs: list[list[ActivityEvent]] = []
    for event in events:
        key = group_key(event)
        if runs and key is not None and group_key(runs[-1][-1]) == key:
            runs[-1].append(event)
        else:
            runs.append([event])
    groups = [EventGroup(tuple(run)) for run in runs]
    if groups and newer is not None and _continues(newer, groups[0].latest):
        groups[0] = replace(groups[0], newer_elsewhere=True)
    if groups and older is not None and _continues(older, groups[-1].events[-1]):
        groups[-1] = replace(groups[-1], older_elsewhere=True)
    return groups


def _continues(outside: ActivityEvent, inside: ActivityEvent) -> bool:
    key = group_key(inside)
    return key is not None and group_key(outside) == key


@dataclass(frozen=True)
class FeedPage:
    """One page of the activity feed as rows."""

    groups: list[EventGroup]
    has_next: bool


def feed_page(
    session: Session,
    filters: activity.ActivityFilter,
    reader: activity.Reader,
    *,
    page: int,
    size: int,
) -> FeedPage:
    """Page *page* (from 1) of *size* events as rows, in one query: the event just
    before and just after the page are read with it (see group_events())."""
    offset = (page - 1) * size
    before = 1 if offset else 0
    events = activity.feed(
        session, filters, reader, limit=size + 1 + before, offset=offset - before
    )
    newer = events.pop(0) if before and events else None
    older = events[size] if len(events) > size else None
    rows = group_events(events[:size], newer=newer, older=older)
    return FeedPage(rows, has_next=older is not None)
