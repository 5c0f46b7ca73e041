"""change stamps: each table's write count, for values kept between writes elsewhere

Revision ID: stamps_1
Revises: burnup_1
Create Date: 2026-12-04 20:55:00
"""

import sqlalchemy as sa
from alembic import op

revision = "stamps_1"
down_revision = "burnup_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "change_stamps",
        sa.Column("name", sa.String(length=63), nullable=False),
        sa.Column("stamp", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_change_stamps")),
    )


def downgrade() -> None:
    op.drop_table("change_stamps")
