"""activity events name the person they are about

Revision ID: privacy_1
Revises: selection_1
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "privacy_1"
down_revision = "selection_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("activity_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("subject_id", sa.Integer(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_activity_events_subject_id"), ["subject_id"], unique=False
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_activity_events_subject_id_people"),
            "people",
            ["subject_id"],
            ["id"],
        )
    # earlier events about an application or a profile: their person, as record() does
    op.execute(
        "UPDATE activity_events SET subject_id = (SELECT applications.person_id "
        "FROM applications WHERE applications.id = activity_events.object_id) "
        "WHERE object_type = 'Application'"
    )
    op.execute(
        "UPDATE activity_events SET subject_id = object_id WHERE object_type = "
        "'Person' AND object_id IN (SELECT id FROM people)"
    )


def downgrade() -> None:
    with op.batch_alter_table("activity_events", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_activity_events_subject_id_people"), type_="foreignkey"
        )
        batch_op.drop_index(batch_op.f("ix_activity_events_subject_id"))
        batch_op.drop_column("subject_id")
