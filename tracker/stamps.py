"""Change stamps: a count per table, raised in the same transaction as each write.

The page cache keeps a page while the data version stands, and any commit anywhere
moves that. A value that reads a few tables only (the overview's maturity figures,
the groups recruiting) can be kept longer: page_cache.shared_on() keys it on the
stamps of the tables it reads, so a write elsewhere leaves it be.

Every write that goes through SQLAlchemy counts, whatever made it (the ORM's flush,
a Core or textual statement, the scheduler, the CLI): its table is read from the
SQL as it is sent. The stamps are raised just before the transaction commits, in
the order of the tables' names (two writers never wait on each other crosswise),
and commit with the data, so on every host a reader either sees the data and the
new stamp or neither. A connection in autocommit raises them after each write.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from contextvars import ContextVar
from typing import Any

from flask import g
from sqlalchemy import Connection, Engine, column, event, select, table
from sqlalchemy.orm import Session

WRITE = re.compile(
    r'\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)', re.I
)
# a table read is named in the SQL: after FROM or JOIN, or as table.column
WORD = re.compile(r"\w+")
TOUCHED = "tracker.touched_tables"
TABLE = (
    "change_stamps"  # tracker.models.stamps.ChangeStamp; Core here: no import circle
)
STAMPS = table(TABLE, column("name"), column("stamp"))
# a connection with this execution option raises no stamps (the migrations, which
# write before the table exists)
UNSTAMPED = "tracker_unstamped"
RAISE = (
    "INSERT INTO change_stamps (name, stamp) VALUES (%s, 1) ON CONFLICT (name) "
    "DO UPDATE SET stamp = change_stamps.stamp + 1"
)
# the tables read while a value for shared_on() is computed (checked in tests)
_reading: ContextVar[set[str] | None] = ContextVar("tracker_reading", default=None)


def watch(
    engine: Engine, *, autocommit: bool = False, at_savepoints: bool = False
) -> None:
    """Raise the stamps of the tables written through *engine*: at each commit, after
    each write in *autocommit*, or also at each released savepoint where the app's
    commits are savepoints in one outer transaction (the tests)."""
    # the driver's own placeholder: psycopg's %s, SQLite's ?
    qmark = engine.dialect.paramstyle == "qmark"
    raise_sql = RAISE.replace("%s", "?") if qmark else RAISE

    @event.listens_for(engine, "before_cursor_execute")
    def seen(
        conn: Connection,
        _cursor: Any,
        statement: str,
        _parameters: Any,
        _context: Any,
        _executemany: bool,
    ) -> None:
        written = WRITE.match(statement)
        if written is None:
            if (reading := _reading.get()) is not None:
                reading.update(WORD.findall(statement.lower()))
            return
        if conn.get_execution_options().get(UNSTAMPED):
            return
        name = written[1].lower()
        if name != TABLE:
            conn.info.setdefault(TOUCHED, set()).add(name)

    def raise_stamps(conn: Connection) -> None:
        touched: set[str] | None = conn.info.pop(TOUCHED, None)
        for name in sorted(touched or ()):
            conn.exec_driver_sql(raise_sql, (name,))

    if autocommit:

        @event.listens_for(engine, "after_cursor_execute")
        def raised_now(conn: Connection, *_args: Any) -> None:
            if TOUCHED in conn.info:
                raise_stamps(conn)

        return

    event.listen(engine, "commit", raise_stamps)
    if at_savepoints:
        event.listen(engine, "release_savepoint", lambda conn, *_: raise_stamps(conn))

    @event.listens_for(engine, "rollback")
    def forget(conn: Connection) -> None:
        conn.info.pop(TOUCHED, None)


def current(session: Session) -> dict[str, int]:
    """Every table's stamp, read once per request (before the data it keys)."""
    if "change_stamps" not in g:
        rows = session.execute(select(STAMPS.c.name, STAMPS.c.stamp))
        g.change_stamps = {name: stamp for name, stamp in rows}
    stamps: dict[str, int] = g.change_stamps
    return stamps


def of(session: Session, tables: Collection[str]) -> tuple[int, ...]:
    """The stamps of *tables* (0 for a table never written since the stamps began)."""
    stamps = current(session)
    return tuple(stamps.get(name, 0) for name in sorted(tables))


class Reading:
    """The words of the statements run inside the block: every table they read is
    among them (page_cache.shared_on's check, under app.testing)."""

    def __enter__(self) -> set[str]:
        self.tables: set[str] = set()
        self._token = _reading.set(self.tables)
        return self.tables

    def __exit__(self, *_exc: object) -> None:
        _reading.reset(self._token)
