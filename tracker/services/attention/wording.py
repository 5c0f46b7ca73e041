"""What a notification says, in the reader's language, and where it leads."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from tracker.i18n import date_filter
from tracker.labels import VALUES
from tracker.models.notifications import Notification
from tracker.services.attention import notifications as n


@dataclass(frozen=True)
class Line:
    """One notification as a sentence, with the path of the page it is about."""

    notification: Notification
    text: str
    path: str

    @property
    def when(self) -> datetime:
        """When it happened."""
        return self.notification.happened_at

    @property
    def unread(self) -> bool:
        """Whether the person has not marked it read."""
        return self.notification.read_at is None


def describe(notification: Notification) -> Line:
    """The sentence and link of one notification."""
    event = notification.event
    facts: dict[str, Any] = dict(notification.params)
    if event is not None:
        facts.update(
            actor=event.actor_label or _("The system"),
            title=event.object_label,
            object_id=event.object_id,
            assignment_id=event.assignment_id,
            before=event.before or {},
            after=event.after or {},
            verb=event.verb,
        )
    try:
        text, path = SENTENCES.get(notification.kind, _unknown)(facts)
    except (KeyError, ValueError):  # a notification older than its wording
        text, path = _unknown(facts)
    return Line(notification, text, path)


def _stage(f: dict[str, Any]) -> tuple[str, str]:
    path = f"/assignments/{f['object_id']}"
    if f["verb"] == "closed":
        return _("%(actor)s ended the assignment “%(title)s”.", **_names(f)), path
    if f["verb"] == "reopened":
        return _("%(actor)s reopened the assignment “%(title)s”.", **_names(f)), path
    text = _(
        "%(actor)s moved the assignment “%(title)s” from %(old)s to %(new)s.",
        old=f["before"].get("stage", "–"),
        new=f["after"].get("stage", "–"),
        **_names(f),
    )
    return text, path


def _report(f: dict[str, Any]) -> tuple[str, str]:
    text = _("%(actor)s reported progress on the assignment “%(title)s”.", **_names(f))
    return text, f"/assignments/{f['object_id']}#timeline"


def _milestone(f: dict[str, Any]) -> tuple[str, str]:
    text = _("%(actor)s marked the milestone “%(title)s” as reached.", **_names(f))
    return text, f"/assignments/{f['assignment_id']}#milestones"


def _group_state(f: dict[str, Any]) -> tuple[str, str]:
    state = str(VALUES.get(f["after"].get("state", ""), f["after"].get("state", "")))
    text = _(
        "%(actor)s changed the state of the working group “%(title)s” to %(state)s.",
        state=state.lower(),
        **_names(f),
    )
    return text, _group_path(f)


def _call_opened(f: dict[str, Any]) -> tuple[str, str]:
    if f.get("deadline"):
        text = _(
            "“%(title)s” is open for applications until %(date)s.",
            title=f["title"],
            date=_day(f["deadline"]),
        )
    else:
        text = _("“%(title)s” is open for applications.", title=f["title"])
    return text, _group_path(f)


def _digest(f: dict[str, Any]) -> tuple[str, str]:
    return _(
        "The monthly digest “%(title)s” was published.", title=f["title"]
    ), "/blogg/"


def _outcome(f: dict[str, Any]) -> tuple[str, str]:
    if f.get("selected"):
        text = _("You have a seat in “%(group)s”.", group=f["group"])
    else:
        text = _("You were not selected for “%(group)s” this time.", group=f["group"])
    return text, "/me/#my-applications"


def _invited(f: dict[str, Any]) -> tuple[str, str]:
    text = _(
        "You are invited to join “%(group)s”. Answer under My pages.", group=f["group"]
    )
    return text, "/me/#my-applications"


def _overdue(f: dict[str, Any]) -> tuple[str, str]:
    text = _(
        "The milestone “%(milestone)s” of “%(assignment)s” was due on %(date)s "
        "and is not reached.",
        milestone=f["milestone"],
        assignment=f["assignment"],
        date=_day(f["due_on"]),
    )
    return text, f"/assignments/{f['assignment_id']}#milestones"


def _deadline(f: dict[str, Any]) -> tuple[str, str]:
    text = _(
        "The last day to apply to “%(group)s” is %(date)s.",
        group=f["group"],
        date=_day(f["deadline"]),
    )
    return text, f"/groups/{f['slug']}"


def _unknown(f: dict[str, Any]) -> tuple[str, str]:
    return str(
        f.get("title") or _("Something happened in what you follow.")
    ), "/notiser/"


def _names(f: dict[str, Any]) -> dict[str, str]:
    return {"actor": str(f["actor"]), "title": str(f["title"])}


def _group_path(f: dict[str, Any]) -> str:
    return f"/groups/{f['slug']}" if f.get("slug") else "/groups/"


def _day(iso: str) -> str:
    return date_filter(date.fromisoformat(iso))


SENTENCES: dict[str, Callable[[dict[str, Any]], tuple[str, str]]] = {
    n.STAGE: _stage,
    n.REPORT: _report,
    n.MILESTONE: _milestone,
    n.GROUP_STATE: _group_state,
    n.CALL_OPENED: _call_opened,
    n.DIGEST: _digest,
    n.OUTCOME: _outcome,
    n.INVITED: _invited,
    n.OVERDUE: _overdue,
    n.DEADLINE: _deadline,
}
