"""digest: uncertain WordPress deliveries, duplicates, corrections

Revision ID: digest_1
Revises: privacy_2
Create Date: 2026-12-03
"""

from alembic import op
import sqlalchemy as sa
import tracker.db


revision = "digest_1"
down_revision = "privacy_2"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("digest_publications", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("version", sa.Integer(), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column(
                "uncertain_at", tracker.db.UTCDateTime(timezone=True), nullable=True
            )
        )
        batch_op.add_column(
            sa.Column("details", sa.JSON(), nullable=False, server_default="{}")
        )
    with op.batch_alter_table("digest_publications", schema=None) as batch_op:
        batch_op.alter_column("version", server_default=None)
        batch_op.alter_column("details", server_default=None)
    with op.batch_alter_table("digest_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("note", sa.String(length=300), nullable=False, server_default="")
        )
    with op.batch_alter_table("digest_versions", schema=None) as batch_op:
        batch_op.alter_column("note", server_default=None)
    with op.batch_alter_table("blog_posts", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("updated_at", tracker.db.UTCDateTime(timezone=True), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("blog_posts", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
    with op.batch_alter_table("digest_versions", schema=None) as batch_op:
        batch_op.drop_column("note")
    with op.batch_alter_table("digest_publications", schema=None) as batch_op:
        batch_op.drop_column("details")
        batch_op.drop_column("uncertain_at")
        batch_op.drop_column("version")
