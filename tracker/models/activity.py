"""The append-only activity log behind the overview, the audit trail and the digest."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tracker.db import Base, utcnow

if TYPE_CHECKING:
    from tracker.models.people import Person


class ActivityEvent(Base):
    """Who did what to which object, when, with the values before and after."""

    __tablename__ = "activity_events"
    __table_args__ = (
        Index("ix_activity_events_object", "object_type", "object_id", "created_at"),
        Index("ix_activity_events_plan_created", "plan_id", "created_at"),
        Index("ix_activity_events_group_created", "group_id", "created_at"),
        # an assignment's history includes its milestones' and reports' events
        Index("ix_activity_events_assignment_created", "assignment_id", "created_at"),
        Index("ix_activity_events_actor_created", "actor_id", "created_at"),
        # a plan's burn-up fingerprint (services.programme.burnup.marker) counts its
        # events of some kinds and verbs: from this index alone, not the table
        Index("ix_activity_events_plan_kind", "plan_id", "object_type", "verb", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    actor_label: Mapped[str] = mapped_column(String(200), default="")
    # the person the event is about (an applicant, a member, a profile), if one:
    # they may see it even where others may not (tracker.services.activity)
    subject_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    verb: Mapped[str] = mapped_column(String(40))
    object_type: Mapped[str] = mapped_column(String(40))
    object_id: Mapped[int | None]
    object_label: Mapped[str] = mapped_column(String(200), default="")
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("action_plans.id"))
    assignment_id: Mapped[int | None] = mapped_column(ForeignKey("assignments.id"))
    group_id: Mapped[int | None] = mapped_column(ForeignKey("working_groups.id"))
    before: Mapped[dict[str, Any] | None]
    after: Mapped[dict[str, Any] | None]

    # the feed shows actor_label (kept when a person is removed): no join needed
    actor: Mapped[Person | None] = relationship(foreign_keys=[actor_id])

    @staticmethod
    def change_scopes(row: Any) -> set[str]:
        """The pages' scopes a change of the row moves (tracker.stamps): the
        assignment and the group it is about or belongs to."""
        scopes = set()
        if row.assignment_id is not None:
            scopes.add(f"assignment:{row.assignment_id}")
        if row.group_id is not None:
            scopes.add(f"group:{row.group_id}")
        kind = {"Assignment": "assignment", "WorkingGroup": "group"}.get(
            row.object_type
        )
        if kind is not None and row.object_id is not None:
            scopes.add(f"{kind}:{row.object_id}")
        return scopes

    @property
    def shown_key(self) -> tuple[object, ...]:
        """Every value a line of the feed or a row of a history shows of the event
        (page_cache.fragment's key: a line is rendered once per content)."""
        return (
            self.id,
            self.created_at,
            self.actor_label,
            self.verb,
            self.object_type,
            self.object_id,
            self.object_label,
            repr(self.before),
            repr(self.after),
        )
