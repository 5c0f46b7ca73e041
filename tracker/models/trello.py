"""Links between the tracker and Trello: boards, lists, labels, cards, sync runs."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.assignments import Assignment, Milestone
    from tracker.models.plans import ActionPlan


class Side(enum.Enum):
    """Which side a value came from, or which side won a conflict."""

    TRACKER = "tracker"
    TRELLO = "trello"


class SyncTrigger(enum.Enum):
    """What started a sync run."""

    CLI = "cli"
    SCHEDULE = "schedule"
    WEBHOOK = "webhook"


class TrelloBoard(Base):
    """The Trello board of one action plan, with its health and pending events."""

    __tablename__ = "trello_boards"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("action_plans.id"), unique=True)
    board_id: Mapped[str] = mapped_column(String(32), unique=True)
    url: Mapped[str] = mapped_column(String(500), default="")
    webhook_id: Mapped[str | None] = mapped_column(String(32))
    # The token's own Trello member: its actions are echoes of our writes.
    token_member_id: Mapped[str | None] = mapped_column(String(32))
    # Failed runs in a row with a lasting error (401, 403, board gone, bad answers);
    # transient ones (429, 5xx, timeouts) never count toward stopping the board.
    failures: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    error_kind: Mapped[str] = mapped_column(String(20), default="")
    stopped_at: Mapped[datetime | None]
    # Webhook events not yet reconciled: the first and the latest (debounce).
    event_first_at: Mapped[datetime | None]
    event_last_at: Mapped[datetime | None]
    # A running sync's progress, committed as it goes (the status page reads it).
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    progress_requests: Mapped[int] = mapped_column(default=0)
    progress_started_at: Mapped[datetime | None]
    progress_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    plan: Mapped[ActionPlan] = relationship()
    lists: Mapped[list[TrelloList]] = relationship(
        back_populates="board", cascade="all, delete-orphan"
    )
    labels: Mapped[list[TrelloLabel]] = relationship(
        back_populates="board", cascade="all, delete-orphan"
    )


class TrelloList(Base):
    """The Trello list that stands for one workflow stage on a board."""

    __tablename__ = "trello_lists"
    __table_args__ = (UniqueConstraint("board_link_id", "stage_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    board_link_id: Mapped[int] = mapped_column(
        ForeignKey("trello_boards.id", ondelete="CASCADE"), index=True
    )
    stage_id: Mapped[int] = mapped_column(ForeignKey("stages.id"), index=True)
    list_id: Mapped[str] = mapped_column(String(32))

    board: Mapped[TrelloBoard] = relationship(back_populates="lists")


class TrelloLabel(Base):
    """A label on a board: one per working group; no group means the open-call one."""

    __tablename__ = "trello_labels"
    id: Mapped[int] = mapped_column(primary_key=True)
    board_link_id: Mapped[int] = mapped_column(
        ForeignKey("trello_boards.id", ondelete="CASCADE"), index=True
    )
    group_id: Mapped[int | None] = mapped_column(
        ForeignKey("working_groups.id", ondelete="CASCADE"), index=True
    )
    label_id: Mapped[str] = mapped_column(String(32))

    board: Mapped[TrelloBoard] = relationship(back_populates="labels")


class TrelloCard(Base):
    """The card of one assignment, with the field values of the last sync."""

    __tablename__ = "trello_cards"
    id: Mapped[int] = mapped_column(primary_key=True)
    assignment_id: Mapped[int] = mapped_column(
        ForeignKey("assignments.id"), unique=True
    )
    board_link_id: Mapped[int] = mapped_column(
        ForeignKey("trello_boards.id", ondelete="CASCADE"), index=True
    )
    card_id: Mapped[str] = mapped_column(String(32), index=True)
    marker: Mapped[str] = mapped_column(String(64))
    url: Mapped[str] = mapped_column(String(500), default="")
    checklist_id: Mapped[str | None] = mapped_column(String(32))
    # None until the first sync: then each side's value is taken as it is.
    synced: Mapped[dict[str, Any] | None]
    synced_at: Mapped[datetime | None]
    # Set when the card vanished from Trello; the assignment is flagged, not deleted.
    unlinked_at: Mapped[datetime | None] = mapped_column(index=True)
    # Set when a person archived the card in Trello; leadership ends the assignment
    # or restores the card.
    archived_at: Mapped[datetime | None] = mapped_column(index=True)
    # The name of the list that is no stage the card was moved to ("" when none).
    off_list_name: Mapped[str] = mapped_column(String(200), default="")
    # The description is longer than a card holds: the card shows its start.
    desc_cut: Mapped[bool] = mapped_column(default=False)

    assignment: Mapped[Assignment] = relationship()
    check_items: Mapped[list[TrelloCheckItem]] = relationship(
        back_populates="card", cascade="all, delete-orphan"
    )


class TrelloCheckItem(Base):
    """The check item of one milestone on its card's checklist."""

    __tablename__ = "trello_check_items"
    id: Mapped[int] = mapped_column(primary_key=True)
    card_link_id: Mapped[int] = mapped_column(
        ForeignKey("trello_cards.id", ondelete="CASCADE"), index=True
    )
    # NULL once the milestone is deleted: the next sync removes the check item.
    milestone_id: Mapped[int | None] = mapped_column(
        ForeignKey("milestones.id", ondelete="SET NULL"), index=True
    )
    checkitem_id: Mapped[str] = mapped_column(String(32))
    synced_name: Mapped[str] = mapped_column(Text, default="")
    synced_done: Mapped[bool] = mapped_column(default=False)

    card: Mapped[TrelloCard] = relationship(back_populates="check_items")
    milestone: Mapped[Milestone | None] = relationship()


class TrelloConflict(Base):
    """A field changed on both sides since the last sync; the owner won."""

    __tablename__ = "trello_conflicts"
    id: Mapped[int] = mapped_column(primary_key=True)
    board_link_id: Mapped[int] = mapped_column(
        ForeignKey("trello_boards.id", ondelete="CASCADE"), index=True
    )
    assignment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assignments.id"), index=True
    )
    field: Mapped[str] = mapped_column(String(40))
    tracker_value: Mapped[str] = mapped_column(Text, default="")
    trello_value: Mapped[str] = mapped_column(Text, default="")
    winner: Mapped[Side]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    dismissed_at: Mapped[datetime | None] = mapped_column(index=True)

    assignment: Mapped[Assignment | None] = relationship()


class TrelloSyncRun(Base):
    """One reconcile of one plan's board: what it did, what it cost, how it ended."""

    __tablename__ = "trello_sync_runs"
    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(
        ForeignKey("action_plans.id", ondelete="CASCADE"), index=True
    )
    trigger: Mapped[SyncTrigger]
    dry_run: Mapped[bool] = mapped_column(default=False)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    finished_at: Mapped[datetime | None]
    requests: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    updated: Mapped[int] = mapped_column(default=0)
    pulled: Mapped[int] = mapped_column(default=0)
    conflicts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str] = mapped_column(Text, default="")


class TrelloMatchProposal(Base):
    """A card `link` found with an assignment's name, for leadership to confirm."""

    __tablename__ = "trello_match_proposals"
    id: Mapped[int] = mapped_column(primary_key=True)
    board_link_id: Mapped[int] = mapped_column(
        ForeignKey("trello_boards.id", ondelete="CASCADE"), index=True
    )
    assignment_id: Mapped[int] = mapped_column(ForeignKey("assignments.id"), index=True)
    card_id: Mapped[str] = mapped_column(String(32))
    card_name: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column(index=True)
    accepted: Mapped[bool | None]

    assignment: Mapped[Assignment] = relationship()
    board: Mapped[TrelloBoard] = relationship()
