"""applications.former_departments; activity events by assignment

Revision ID: selection_1
Revises: accounts_1
Create Date: 2026-12-02
"""

from alembic import op
import sqlalchemy as sa


revision = 'selection_1'
down_revision = 'accounts_1'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # the departments an applicant worked in before: breadth counts them too
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.add_column(
            sa.Column('former_departments', sa.JSON(), nullable=False, server_default='[]')
        )
    # an assignment's history includes its milestones' and reports' events
    with op.batch_alter_table('activity_events', schema=None) as batch_op:
        batch_op.create_index(
            'ix_activity_events_assignment_created', ['assignment_id', 'created_at'], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table('activity_events', schema=None) as batch_op:
        batch_op.drop_index('ix_activity_events_assignment_created')
    with op.batch_alter_table('applications', schema=None) as batch_op:
        batch_op.drop_column('former_departments')
