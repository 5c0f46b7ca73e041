"""Full-text indexes over the long texts: what is indexed, and the DDL for each backend.

PostgreSQL: a GIN index on ``to_tsvector('swedish', …)`` of each source's text (made
by the migration; the queries use the same expression). SQLite: an FTS5 table per
source with external content, kept in step by insert/update/delete triggers. The SQLite
DDL also runs on ``create_all`` (tests), and ends with a rebuild, so it is always whole.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import event

from tracker.db import Base

PREFIX = "fts_"  # every full-text object's name starts so (Alembic leaves them alone)


@dataclass(frozen=True)
class FullTextSource:
    """A table whose text *columns* are searched as one document."""

    table: str
    columns: tuple[str, ...]

    @property
    def fts_table(self) -> str:
        """The SQLite FTS5 table (and the prefix of its triggers)."""
        return f"{PREFIX}{self.table}"

    @property
    def document(self) -> str:
        """The PostgreSQL text expression; the GIN index and the queries share it."""
        parts = " || ' ' || ".join(f"coalesce({c}, '')" for c in self.columns)
        return f"to_tsvector('swedish'::regconfig, {parts})"


SOURCES = {
    "report": FullTextSource("progress_reports", ("body",)),
    "assignment": FullTextSource("assignments", ("title", "description", "outcome")),
    "digest": FullTextSource("blog_posts", ("title", "body")),
    "decision": FullTextSource("decisions", ("title", "text")),
}


def postgresql_ddl(source: FullTextSource) -> list[str]:
    """The GIN expression index."""
    return [
        f"CREATE INDEX IF NOT EXISTS {source.fts_table}_gin ON {source.table} "
        f"USING gin ({source.document})"
    ]


def sqlite_ddl(source: FullTextSource) -> list[str]:
    """The FTS5 table, its three triggers, and a rebuild from the table's rows."""
    fts, table = source.fts_table, source.table
    cols = ", ".join(source.columns)
    new = ", ".join(f"new.{c}" for c in source.columns)
    old = ", ".join(f"old.{c}" for c in source.columns)
    # names come from SOURCES above, never from input
    delete = (
        f"INSERT INTO {fts}({fts}, rowid, {cols}) VALUES ('delete', old.id, {old});"  # noqa: S608
    )
    insert = f"INSERT INTO {fts}(rowid, {cols}) VALUES (new.id, {new});"  # noqa: S608
    return [
        f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5({cols}, "
        f"content='{table}', content_rowid='id', tokenize='unicode61')",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ai AFTER INSERT ON {table} "
        f"BEGIN {insert} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_ad AFTER DELETE ON {table} "
        f"BEGIN {delete} END",
        f"CREATE TRIGGER IF NOT EXISTS {fts}_au AFTER UPDATE ON {table} "
        f"BEGIN {delete} {insert} END",
        f"INSERT INTO {fts}({fts}) VALUES ('rebuild')",  # noqa: S608
    ]


def sqlite_drop(source: FullTextSource) -> list[str]:
    """Remove the FTS5 table and its triggers."""
    fts = source.fts_table
    triggers = [f"DROP TRIGGER IF EXISTS {fts}_{t}" for t in ("ai", "ad", "au")]
    return [*triggers, f"DROP TABLE IF EXISTS {fts}"]


@event.listens_for(Base.metadata, "after_create")
def _create_sqlite_fts(target: Any, connection: Any, **_: Any) -> None:
    """``create_all`` on SQLite makes the FTS5 tables and triggers too."""
    if connection.dialect.name != "sqlite":
        return
    for source in SOURCES.values():
        for statement in sqlite_ddl(source):
            connection.exec_driver_sql(statement)
