"""full-text search: GIN indexes (PostgreSQL) or FTS5 tables with triggers (SQLite)

Revision ID: fts_1
Revises: ui_1
Create Date: 2026-12-03 20:00:00
"""

from alembic import op

from tracker.models.fulltext import (
    SOURCES,
    postgresql_ddl,
    sqlite_ddl,
    sqlite_drop,
)

revision = "fts_1"
down_revision = "ui_1"
branch_labels = None
depends_on = None


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    for source in SOURCES.values():
        ddl = postgresql_ddl(source) if dialect == "postgresql" else sqlite_ddl(source)
        for statement in ddl:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    for source in SOURCES.values():
        if dialect == "postgresql":
            op.execute(f"DROP INDEX IF EXISTS {source.fts_table}_gin")
        else:
            for statement in sqlite_drop(source):
                op.execute(statement)
