"""Trello sync: error kind and progress per board; archived, off-stage and cut cards

Revision ID: sync_1
Revises: interfaces_1
Create Date: 2026-12-03 18:30:00
"""

from alembic import op
import sqlalchemy as sa
import tracker.db


revision = "sync_1"
down_revision = 'interfaces_1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("trello_boards", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("error_kind", sa.String(length=20), nullable=False, server_default="")
        )
        for name in ("progress_done", "progress_total", "progress_requests"):
            batch_op.add_column(
                sa.Column(name, sa.Integer(), nullable=False, server_default="0")
            )
        batch_op.add_column(
            sa.Column("progress_started_at", tracker.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("progress_at", tracker.db.UTCDateTime(timezone=True), nullable=True)
        )
    with op.batch_alter_table("trello_cards", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("archived_at", tracker.db.UTCDateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(
            sa.Column("off_list_name", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("desc_cut", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.create_index(
            batch_op.f("ix_trello_cards_archived_at"), ["archived_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("trello_cards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_trello_cards_archived_at"))
        batch_op.drop_column("desc_cut")
        batch_op.drop_column("off_list_name")
        batch_op.drop_column("archived_at")
    with op.batch_alter_table("trello_boards", schema=None) as batch_op:
        for name in (
            "progress_at",
            "progress_started_at",
            "progress_requests",
            "progress_total",
            "progress_done",
            "error_kind",
        ):
            batch_op.drop_column(name)
