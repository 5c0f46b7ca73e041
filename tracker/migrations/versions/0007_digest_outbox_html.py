"""outbox: an HTML alternative and a given-up time

Revision ID: digest_2
Revises: digest_1
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa
import tracker.db


revision = "digest_2"
down_revision = "digest_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("html", sa.Text(), nullable=True))
        batch_op.add_column(
            sa.Column("failed_at", tracker.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_column("failed_at")
        batch_op.drop_column("html")
