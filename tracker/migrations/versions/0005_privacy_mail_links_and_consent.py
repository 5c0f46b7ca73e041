"""e-mail names its recipient and application; consent to publication

Revision ID: privacy_2
Revises: privacy_1
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "privacy_2"
down_revision = "privacy_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("person_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("application_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_person_id"), ["person_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_outbox_messages_application_id"),
            ["application_id"],
            unique=False,
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_person_id_people"),
            "people",
            ["person_id"],
            ["id"],
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_outbox_messages_application_id_applications"),
            "applications",
            ["application_id"],
            ["id"],
            ondelete="SET NULL",
        )
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("publication_consent_on", sa.Date(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("people", schema=None) as batch_op:
        batch_op.drop_column("publication_consent_on")
    with op.batch_alter_table("outbox_messages", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_messages_application_id_applications"),
            type_="foreignkey",
        )
        batch_op.drop_constraint(
            batch_op.f("fk_outbox_messages_person_id_people"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_outbox_messages_application_id"))
        batch_op.drop_index(batch_op.f("ix_outbox_messages_person_id"))
        batch_op.drop_column("application_id")
        batch_op.drop_column("person_id")
