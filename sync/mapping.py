"""How an assignment looks as a card, and how a card's values read back."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from typing import Any

from flask_babel import gettext as _

from sync import description
from sync.snapshot import Card
from tracker.clock import STOCKHOLM
from tracker.models.assignments import Assignment
from tracker.models.groups import GroupState, WorkingGroup

PLAN_MARKER_RE = re.compile(r"\[tracker:plan:(\d+)\]")


def plan_marker(plan_id: int) -> str:
    """The tag in a board's description that finds the board again after a crash."""
    return f"[tracker:plan:{plan_id}]"


def marked_assignment(desc: str) -> int | None:
    """The assignment id in a card's footer, if it has one."""
    return description.parse(desc).assignment_id


def marked_plan(desc: str) -> int | None:
    """The plan id in a board's marker, if it has one."""
    match = PLAN_MARKER_RE.search(desc or "")
    return int(match.group(1)) if match else None


def render_description(assignment: Assignment, public_url: str) -> str:
    """The card text: the assignment's description, links back, groups, the marker."""
    base = public_url.rstrip("/")
    groups = _groups(assignment)
    link = f"{base}/assignments/{assignment.id}"
    lines = [_("Assignment in the tracker: %(url)s", url=link)]
    if groups:
        names = ", ".join(group.name for group in groups)
        lines.append(_("Working groups: %(names)s", names=names))
    if recruiting(assignment):
        lines.append(_("Sign up: %(url)s", url=f"{base}/anmalningar/"))
    note = _(
        "The description is too long for Trello; read all of it in the tracker: "
        "%(url)s",
        url=link,
    )
    return description.compose(assignment.description, lines, assignment.id, note)


def description_body(desc: str) -> str:
    """What people wrote on the card, without the tracker's footer."""
    return description.parse(desc).body


def recruiting(assignment: Assignment) -> bool:
    """Whether one of the assignment's groups recruits now."""
    return any(group.state is GroupState.RECRUITING for group in _groups(assignment))


def to_trello_date(value: str | None) -> str | None:
    """An ISO date as Trello's due/start: noon UTC, the same day in Stockholm."""
    return f"{value}T12:00:00.000Z" if value else None


def from_trello_date(value: str | None) -> str | None:
    """Trello's due/start as the ISO date it falls on in Stockholm."""
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.astimezone(STOCKHOLM).date().isoformat()


def iso(value: date | None) -> str | None:
    """A date as ISO text."""
    return value.isoformat() if value else None


@dataclass(frozen=True)
class CardState:
    """The comparable fields of a card; labels and members only the managed ones."""

    name: str
    desc: str
    due: str | None
    start: str | None
    list_id: str | None
    closed: bool
    label_ids: list[str] = field(default_factory=list)
    member_ids: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """For the last-synced JSON column."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any]) -> CardState:
        """Read back the last-synced JSON column."""
        return cls(**{k: values[k] for k in cls.__dataclass_fields__ if k in values})


@dataclass(frozen=True)
class BoardMaps:
    """Ids of a board's lists, labels and members as the tracker knows them."""

    list_by_stage: dict[int, str]
    label_by_group: dict[int, str]
    open_call_label: str | None
    member_by_username: dict[str, str]
    managed_members: frozenset[str]
    public_url: str

    @property
    def stage_by_list(self) -> dict[str, int]:
        """The stage each mapped list stands for."""
        return {list_id: stage for stage, list_id in self.list_by_stage.items()}

    @property
    def managed_labels(self) -> frozenset[str]:
        """Labels the tracker sets and removes; people's own labels stay."""
        labels = set(self.label_by_group.values())
        if self.open_call_label:
            labels.add(self.open_call_label)
        return frozenset(labels)


def desired_state(assignment: Assignment, maps: BoardMaps) -> CardState:
    """What the card should say according to the tracker."""
    labels = {maps.label_by_group[g.id] for g in _groups(assignment)} - {""}
    if recruiting(assignment) and maps.open_call_label:
        labels.add(maps.open_call_label)
    return CardState(
        name=assignment.title,
        desc=render_description(assignment, maps.public_url),
        due=iso(assignment.ends_on),
        start=iso(assignment.starts_on),
        list_id=maps.list_by_stage.get(assignment.stage_id),
        closed=assignment.is_closed,
        label_ids=sorted(labels),
        member_ids=sorted(_member_ids(assignment, maps)),
    )


def card_state(card: Card, maps: BoardMaps) -> CardState:
    """What the card says now."""
    return CardState(
        name=card.name,
        desc=card.desc,
        due=from_trello_date(card.due),
        start=from_trello_date(card.start),
        list_id=card.list_id,
        closed=card.closed,
        label_ids=sorted(set(card.label_ids) & maps.managed_labels),
        member_ids=sorted(set(card.member_ids) & maps.managed_members),
    )


def trello_fields(
    state: CardState, fields: Iterable[str], card: Card | None, maps: BoardMaps
) -> dict[str, Any]:
    """The PUT/POST body that sets *fields* of *state*, keeping people's own labels."""
    card_labels = card.label_ids if card else []
    card_members = card.member_ids if card else []
    body: dict[str, Any] = {}
    for name in fields:
        if name == "label_ids":
            keep = [i for i in card_labels if i not in maps.managed_labels]
            body["idLabels"] = ",".join(keep + state.label_ids)
        elif name == "member_ids":
            keep = [i for i in card_members if i not in maps.managed_members]
            body["idMembers"] = ",".join(keep + state.member_ids)
        elif name == "list_id":
            body["idList"] = state.list_id
        elif name in ("due", "start"):
            body[name] = to_trello_date(getattr(state, name))
        else:
            body[name] = getattr(state, name)
    return body


def _groups(assignment: Assignment) -> list[WorkingGroup]:
    return sorted(assignment.groups, key=lambda group: group.name)


def _member_ids(assignment: Assignment, maps: BoardMaps) -> set[str]:
    ids = set()
    for group in _groups(assignment):
        if group.state is GroupState.CLOSED:
            continue  # its members have finished; the label stays as history
        for membership in group.memberships:
            username = (membership.person.trello_username or "").lower()
            if membership.left_on is None and username in maps.member_by_username:
                ids.add(maps.member_by_username[username])
    return ids
