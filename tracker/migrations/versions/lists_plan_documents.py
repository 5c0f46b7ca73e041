"""action plans: a link to the plan's documents folder

Revision ID: lists_1
Revises: fts_1
Create Date: 2026-12-04 17:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "lists_1"
down_revision = "fts_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a plain ADD COLUMN: recreating action_plans would lose SQLite's FTS triggers
    op.add_column(
        "action_plans",
        sa.Column(
            "documents_link", sa.String(length=500), nullable=False, server_default=""
        ),
    )


def downgrade() -> None:
    with op.batch_alter_table("action_plans", schema=None) as batch_op:
        batch_op.drop_column("documents_link")
