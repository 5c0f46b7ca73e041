"""activity events: an index for a plan's burn-up fingerprint

Revision ID: burnup_1
Revises: lists_1
Create Date: 2026-12-04 17:20:00
"""

from alembic import op

revision = "burnup_1"
down_revision = "lists_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_activity_events_plan_kind",
        "activity_events",
        ["plan_id", "object_type", "verb", "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_activity_events_plan_kind", table_name="activity_events")
