"""Progress over time: a plan's burn-up per week, replayed from the activity log.

One query for any number of plans; the plan page draws it as SVG with the same
figures in a table, and the monthly digest shows it as an image whose address holds
the figures (tracker.views.blog.burnup).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.models.activity import ActivityEvent

MAX_WEEKS = 26  # half a year: the chart stays readable


@dataclass(frozen=True)
class Week:
    """A plan's figures at the end of one week (Monday to Sunday)."""

    monday: date
    done: int  # assignments in the last stage, not ended
    total: int  # assignments not ended
    milestones: int  # milestones reached


class _Event(NamedTuple):
    """The columns of an activity event the replay reads (no ORM objects, no JSON)."""

    plan_id: int | None
    created_at: datetime
    object_type: str
    object_id: int | None
    verb: str
    stage: str | None  # after["stage"] of a created or moved assignment


# the verbs that change a burn-up; other events (edits, reports) are not read
_VERBS = ("created", "moved", "closed", "reopened", "completed", "deleted")


@dataclass
class _Replay:
    stages: dict[int, str] = field(default_factory=dict)
    closed: set[int] = field(default_factory=set)
    reached: set[int] = field(default_factory=set)

    def apply(self, event: _Event) -> None:
        key, verb = event.object_id or 0, event.verb
        if event.object_type == "Milestone":
            if verb == "completed":
                self.reached.add(key)
            elif verb in ("reopened", "deleted"):
                self.reached.discard(key)
        elif verb in ("created", "moved"):
            if event.stage is not None:
                self.stages[key] = event.stage
            else:
                self.stages.setdefault(key, "")
        elif verb == "closed":
            self.closed.add(key)
        elif verb == "reopened":
            self.closed.discard(key)

    def copy(self) -> _Replay:
        return _Replay(dict(self.stages), set(self.closed), set(self.reached))

    def week(self, monday: date, done_stage: str) -> Week:
        open_ids = [a for a in self.stages if a not in self.closed]
        done = sum(1 for a in open_ids if self.stages[a] == done_stage)
        return Week(monday, done, len(open_ids), len(self.reached))


def weekly(
    session: Session,
    plan_ids: Iterable[int],
    *,
    until: date,
    done_stage: str,
    weeks: int = MAX_WEEKS,
) -> dict[int, list[Week]]:
    """Each plan's weeks from its first event (at most *weeks* back) to *until*."""
    wanted = sorted(set(plan_ids))
    if not wanted:
        return {}
    by_plan: dict[int, list[_Event]] = {}
    for event in _events(session, wanted, until):
        by_plan.setdefault(event.plan_id or 0, []).append(event)
    return {
        plan_id: _replay(by_plan.get(plan_id, []), until, done_stage, weeks)[0]
        for plan_id in wanted
    }


@dataclass(frozen=True)
class Replayed:
    """One plan's weeks up to *until* and where the replay stands after them, so
    that the events after it can be added instead of replaying the whole log."""

    weeks: list[Week]
    until: date
    done_stage: str
    marker: tuple[int, int | None]  # marker() of the events replayed
    state: _Replay  # never changed once kept: extending copies it
    last_at: datetime | None  # the newest replayed event's time


def replayed(
    session: Session,
    plan_id: int,
    *,
    until: date,
    done_stage: str,
    kept: Replayed | None = None,
) -> Replayed:
    """The plan's burn-up (as weekly() gives it), from *kept* where that can be.

    *kept* is returned as it is while the plan's events are the same; when only new
    events have come since, in the week of *until* and after the last one replayed
    (a move or a tick just now), they are added to it: one short query instead of
    the plan's whole history. Otherwise (another day, an event from before, one
    removed) the history is replayed from the start.
    """
    mark = marker(session, plan_id)
    if kept is not None and (kept.until, kept.done_stage) == (until, done_stage):
        if kept.marker == mark:
            return kept
        extended = _extend(session, plan_id, kept, mark)
        if extended is not None:
            return extended
    events = list(_events(session, [plan_id], until))
    weeks, state = _replay(events, until, done_stage, MAX_WEEKS)
    last_at = events[-1].created_at if events else None
    return Replayed(weeks, until, done_stage, mark, state, last_at)


def _extend(
    session: Session, plan_id: int, kept: Replayed, mark: tuple[int, int | None]
) -> Replayed | None:
    """*kept* with the events after its newest one, or None where they do not
    simply follow it (the caller then replays everything)."""
    newest = kept.marker[1]
    if not kept.weeks or newest is None or mark[0] <= kept.marker[0]:
        return None
    new = list(_events(session, [plan_id], kept.until, after_id=newest))
    this_week = _start(_monday(kept.until))
    floor = max(this_week, kept.last_at) if kept.last_at else this_week
    if len(new) != mark[0] - kept.marker[0] or new[0].created_at < floor:
        return None  # some are not new (a late commit, a removal) or not this week's
    state = kept.state.copy()
    for event in new:
        state.apply(event)
    last = state.week(kept.weeks[-1].monday, kept.done_stage)
    weeks = [*kept.weeks[:-1], last]
    return Replayed(weeks, kept.until, kept.done_stage, mark, state, new[-1].created_at)


def _events(
    session: Session, plan_ids: list[int], until: date, *, after_id: int = 0
) -> Iterable[_Event]:
    """The plans' events a burn-up replays up to the week of *until*, in order."""
    rows = session.execute(
        select(
            ActivityEvent.plan_id,
            ActivityEvent.created_at,
            ActivityEvent.object_type,
            ActivityEvent.object_id,
            ActivityEvent.verb,
            ActivityEvent.after["stage"].as_string(),
        )
        .where(
            *_relevant(plan_ids),
            ActivityEvent.id > after_id,
            ActivityEvent.created_at < _start(_monday(until) + timedelta(days=7)),
        )
        .order_by(ActivityEvent.created_at, ActivityEvent.id)
    )
    return map(_Event._make, rows)


def marker(session: Session, plan_id: int) -> tuple[int, int | None]:
    """How many events the burn-up of *plan_id* replays and the newest one's id: a
    cheap fingerprint that changes whenever weekly() could give something else (for
    the same day), since the activity log only grows."""
    count, newest = session.execute(
        select(func.count(), func.max(ActivityEvent.id)).where(*_relevant([plan_id]))
    ).one()
    return int(count), newest


def _relevant(plan_ids: list[int]) -> list[ColumnElement[bool]]:
    return [
        ActivityEvent.plan_id.in_(plan_ids),
        ActivityEvent.verb.in_(_VERBS),
        ActivityEvent.object_type.in_(("Assignment", "Milestone")),
    ]


def _replay(
    events: Sequence[_Event], until: date, done_stage: str, weeks: int
) -> tuple[list[Week], _Replay]:
    if not events:
        return [], _Replay()
    last = _monday(until)
    first = max(
        _monday(events[0].created_at.astimezone(STOCKHOLM).date()),
        last - timedelta(weeks=weeks - 1),
    )
    replay, index, result = _Replay(), 0, []
    monday = first
    while monday <= last:
        end = _start(monday + timedelta(days=7))
        while index < len(events) and events[index].created_at < end:
            replay.apply(events[index])
            index += 1
        result.append(replay.week(monday, done_stage))
        monday += timedelta(days=7)
    return result, replay


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _start(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=STOCKHOLM)


@dataclass(frozen=True)
class Line:
    """One series of the chart, as SVG polyline points."""

    name: str  # done, total or milestones: the template's words and line style
    points: str
    last: int


@dataclass(frozen=True)
class Chart:
    """The burn-up's geometry; the template only writes it out."""

    width: int
    height: int
    lines: list[Line]
    y_ticks: list[tuple[float, int]]  # (y, value)
    x_ticks: list[tuple[float, int]]  # (x, ISO week number)
    weeks: list[Week]
    left: int = 36
    bottom: int = 208

    @property
    def key(self) -> tuple[object, ...]:
        """Everything the chart shows (page_cache.fragment's key)."""
        return ("burnup", self.width, self.height, *self.weeks)


def chart(weeks: list[Week], *, width: int = 600, height: int = 240) -> Chart | None:
    """The lines and axes of *weeks*; None when there is nothing to draw."""
    if not weeks:
        return None
    left, right, top, bottom = 36, width - 12, 12, height - 32
    top_value = max(max(max(w.total, w.milestones) for w in weeks), 1)
    step = (right - left) / max(len(weeks) - 1, 1)

    def x(i: int) -> float:
        return round(left + i * step, 1)

    def y(value: int) -> float:
        return round(bottom - (bottom - top) * value / top_value, 1)

    lines = [
        Line(
            name,
            " ".join(f"{x(i)},{y(getattr(w, name))}" for i, w in enumerate(weeks)),
            getattr(weeks[-1], name),
        )
        for name in ("total", "done", "milestones")
    ]
    every = max(1, -(-len(weeks) // 8))  # at most 8 week labels
    x_ticks = [
        (x(i), w.monday.isocalendar()[1])
        for i, w in enumerate(weeks)
        if i % every == 0 or i == len(weeks) - 1
    ]
    values = sorted({0, top_value // 2, top_value})
    y_ticks = [(y(v), v) for v in values]
    return Chart(width, height, lines, y_ticks, x_ticks, weeks, left, bottom)


DIGEST_WEEKS = 13  # a quarter: the month of the digest and the two before it


def add_to_digest(
    session: Session,
    rows: list[dict[str, Any]],
    *,
    until: date,
    done_stage: str,
    base: str,
) -> None:
    """Give each plan row of a digest's facts its burn-up: an image address that
    holds the figures (tracker.views.blog.burnup), its text and the figures."""
    weeks = weekly(
        session,
        [row["id"] for row in rows],
        until=until,
        done_stage=done_stage,
        weeks=DIGEST_WEEKS,
    )
    for row in rows:
        row.update(_digest_chart(weeks.get(row["id"], []), base))


def _digest_chart(weeks: list[Week], base: str) -> dict[str, Any]:
    if not weeks:
        return {"burnup_url": "", "burnup_alt": "", "burnup_rows": []}
    series = "/".join(
        "-".join(str(getattr(w, name)) for w in weeks)
        for name in ("total", "done", "milestones")
    )
    last = weeks[-1]
    return {
        "burnup_url": f"{base}/blogg/kurva/{weeks[0].monday.isoformat()}/{series}.svg",
        "burnup_alt": (
            f"Utveckling vecka för vecka. Vecka {last.monday.isocalendar()[1]}: "
            f"{last.done} av {last.total} uppdrag klara, "
            f"{last.milestones} milstolpar nådda."
        ),
        "burnup_rows": [
            {
                "week": f"v. {w.monday.isocalendar()[1]}",
                "done": w.done,
                "total": w.total,
                "milestones": w.milestones,
            }
            for w in weeks
        ],
    }


def from_address(monday: date, total: str, done: str, milestones: str) -> list[Week]:
    """The weeks an image address of add_to_digest() names; [] when it is absurd."""
    columns = [text.split("-") for text in (total, done, milestones)]
    if len({len(c) for c in columns}) != 1 or not 1 <= len(columns[0]) <= MAX_WEEKS:
        return []
    if monday.weekday() != 0 or not all(
        n.isdigit() and len(n) <= 6 for c in columns for n in c
    ):
        return []
    weeks = [
        Week(monday + timedelta(weeks=i), int(d), int(t), int(m))
        for i, (t, d, m) in enumerate(zip(*columns, strict=True))
    ]
    return weeks if all(w.done <= w.total for w in weeks) else []
