"""progress reports: an index for an assignment's latest report date

Revision ID: reports_1
Revises: stamps_1
Create Date: 2026-12-05 04:15:00
"""

from alembic import op

revision = "reports_1"
down_revision = "stamps_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # (assignment_id, reported_on) answers "the latest report of each of these
    # assignments" from the index alone; it serves lookups by assignment as well
    op.create_index(
        "ix_progress_reports_assignment_reported",
        "progress_reports",
        ["assignment_id", "reported_on"],
    )
    op.drop_index("ix_progress_reports_assignment_id", table_name="progress_reports")


def downgrade() -> None:
    op.create_index(
        "ix_progress_reports_assignment_id", "progress_reports", ["assignment_id"]
    )
    op.drop_index(
        "ix_progress_reports_assignment_reported", table_name="progress_reports"
    )
