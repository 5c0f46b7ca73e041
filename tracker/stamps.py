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

Scopes: a few tables hold rows that belong to one assignment or one working group
(SCOPED: assignments, milestones, progress reports, activity events). A row that the
ORM flushes raises the stamp of its scope ("assignment:42", "group:7", from the
model's change_scopes()) instead of making every reader of the table miss; any
other write to such a table (a Core or textual statement, a write in autocommit)
raises "<table>!", which every scoped reader of the table reads as well. A page
that shows one assignment's rows of these tables (the assignment page, a group
page) is then kept until a write in its scope, or an unscoped write to the table.
An assignment's scope raises its plan's ("plan:3") as well, read from the database
as the transaction commits, so a value per plan (the plan's part of "Läget nu") is
kept until a write in one of its assignments; an assignment that moves to another
plan raises both (Assignment.change_scopes).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection, Hashable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from types import SimpleNamespace
from typing import Any, Generic, TypeVar
from weakref import WeakSet

from flask import g, has_request_context
from sqlalchemy import (
    ColumnElement,
    CompoundSelect,
    Connection,
    Engine,
    Integer,
    Select,
    String,
    bindparam,
    cast,
    column,
    event,
    inspect,
    literal,
    or_,
    select,
    table,
)
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
# the plans of the assignments whose scopes a transaction raises: their scopes too
PLANS_OF = "SELECT DISTINCT plan_id FROM assignments WHERE id IN ({})"
ASSIGNMENT_SCOPE = re.compile(r"assignment:(\d+)")
# the tables read while a value for shared_on() is computed (checked in tests)
_reading: ContextVar[set[str] | None] = ContextVar("tracker_reading", default=None)
# tables whose rows the ORM writes by scope (a model's change_scopes()); their other
# writes raise UNSCOPED.format(table)
SCOPED = frozenset({"assignments", "milestones", "progress_reports", "activity_events"})
UNSCOPED = "{}!"
FLUSHING = "tracker.flushing"
_autocommit: WeakSet[Engine] = WeakSet()


def watch(
    engine: Engine, *, autocommit: bool = False, at_savepoints: bool = False
) -> None:
    """Raise the stamps of the tables written through *engine*: at each commit, after
    each write in *autocommit*, or also at each released savepoint where the app's
    commits are savepoints in one outer transaction (the tests)."""
    # the driver's own placeholder: psycopg's %s, SQLite's ?
    qmark = engine.dialect.paramstyle == "qmark"
    raise_sql = RAISE.replace("%s", "?") if qmark else RAISE
    mark = "?" if qmark else "%s"

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
            touched = conn.info.setdefault(TOUCHED, set())
            touched.add(name)
            # the ORM's flush names the scopes of its rows (_flushing, _flushed)
            if name in SCOPED and not conn.info.get(FLUSHING):
                touched.add(UNSCOPED.format(name))

    def raise_stamps(conn: Connection) -> None:
        touched: set[str] = conn.info.pop(TOUCHED, None) or set()
        ids = [int(m[1]) for n in touched if (m := ASSIGNMENT_SCOPE.fullmatch(n))]
        if ids:
            marks = ", ".join([mark] * len(ids))
            plans = conn.exec_driver_sql(PLANS_OF.format(marks), tuple(ids))
            touched |= {f"plan:{plan_id}" for (plan_id,) in plans}
        for name in sorted(touched):
            conn.exec_driver_sql(raise_sql, (name,))

    if autocommit:
        _autocommit.add(engine)

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
        conn.info.pop(FLUSHING, None)

    @event.listens_for(engine, "rollback_savepoint")
    def failed(conn: Connection, *_args: Any) -> None:
        conn.info.pop(FLUSHING, None)  # what the savepoint wrote is kept: a miss


@event.listens_for(Session, "before_flush")
def _flushing(session: Session, *_args: Any) -> None:
    """The scopes of the rows about to change or go, as they were before."""
    conn = session.connection()
    if conn.engine in _autocommit:
        return  # each write commits alone: raised as unscoped
    if conn.get_execution_options().get(UNSTAMPED):
        return  # a migration: no stamps at all
    conn.info[FLUSHING] = True
    changed = [*session.dirty, *session.deleted]
    conn.info.setdefault(TOUCHED, set()).update(_scopes(changed, before=True))


@event.listens_for(Session, "after_flush")
def _flushed(session: Session, *_args: Any) -> None:
    """The scopes of the rows added or changed, with their new keys and ids."""
    conn = session.connection()
    if conn.info.pop(FLUSHING, None):
        changed = [*session.new, *session.dirty]
        conn.info.setdefault(TOUCHED, set()).update(_scopes(changed, before=False))


def _scopes(instances: list[object], *, before: bool) -> set[str]:
    found: set[str] = set()
    for instance in instances:
        scopes_of = getattr(type(instance), "change_scopes", None)
        if scopes_of is None:
            continue
        found |= scopes_of(instance)
        if before:  # the scopes it leaves: its keys before this flush
            state = inspect(instance)
            keys = [prop.key for prop in state.mapper.column_attrs]
            old = {
                key: state.attrs[key].history.deleted[0]
                for key in keys
                if state.attrs[key].history.deleted
            }
            if old:
                values = {key: getattr(instance, key) for key in keys}
                found |= scopes_of(SimpleNamespace(**(values | old)))
    return found


def current(session: Session, tables: Collection[str]) -> dict[str, int]:
    """The stamps of *tables* (every table of the app: not the scopes'), read once
    per request (before the data they key)."""
    if "change_stamps" not in g:
        rows = session.execute(
            select(STAMPS.c.name, STAMPS.c.stamp).where(STAMPS.c.name.in_(tables))
        )
        g.change_stamps = {name: stamp for name, stamp in rows}
    stamps: dict[str, int] = g.change_stamps
    return stamps


def of(
    session: Session, names: Collection[str], tables: Collection[str]
) -> tuple[int, ...]:
    """The stamps of *names*, among current(*tables*) (0 for a table never written
    since the stamps began)."""
    stamps = current(session, tables)
    return tuple(stamps.get(name, 0) for name in sorted(names))


def scoped(
    session: Session,
    tables: Collection[str],
    scopes: Collection[str],
    linked: Select[Any] | CompoundSelect[Any] | None = None,
    **parameters: Any,
) -> tuple[tuple[str, int], ...]:
    """The stamps that a page showing *scopes*' rows of the SCOPED *tables* (and the
    other *tables* whole) depends on, in one query: the other tables', the scoped
    tables' unscoped writes, and each scope's, with the scopes that *linked*
    selects with *parameters* (e.g. a group's assignments). A stamp never raised is
    left out."""
    names = {UNSCOPED.format(t) if t in SCOPED else t for t in tables} | set(scopes)
    parameters["names"] = sorted(names)
    rows = session.execute(_by_name(linked), parameters)
    return tuple((row.name, row.stamp) for row in rows)


@cache
def _by_name(
    linked: Select[Any] | CompoundSelect[Any] | None,
) -> Select[tuple[str, int]]:
    # built once per *linked* (a module's constant): the query runs on every request
    where: ColumnElement[bool] = STAMPS.c.name.in_(bindparam("names", expanding=True))
    if linked is not None:
        where = or_(where, STAMPS.c.name.in_(linked))
    return select(STAMPS.c.name, STAMPS.c.stamp).where(where).order_by(STAMPS.c.name)


class Reading:
    """The words of the statements run inside the block: every table they read is
    among them (page_cache.shared_on's check, under app.testing)."""

    def __enter__(self) -> set[str]:
        self.tables: set[str] = set()
        self._token = _reading.set(self.tables)
        return self.tables

    def __exit__(self, *_exc: object) -> None:
        _reading.reset(self._token)
        declare(self.tables)  # a reading inside another: the outer one read them too


def declare(tables: Collection[str]) -> None:
    """Count *tables* as read by the reading under way, if any: a value kept apart
    (page_cache.shared_on) that is part of a page makes the page read its tables,
    computed now or not."""
    if (reading := _reading.get()) is not None:
        reading.update(tables)


T = TypeVar("T")
# what a value per plan may read: the tables whose writes name the plan, and those
# whose writes change every plan's values
PER_PLAN_TABLES = frozenset({*SCOPED, "action_plans", "stages"})
PER_PLAN_NAMES = {UNSCOPED.format(t) if t in SCOPED else t for t in PER_PLAN_TABLES}
# the scope names of every plan, for scoped(linked=…)
PLAN_SCOPES = select(
    literal("plan:", String) + cast(column("id", Integer), String)
).select_from(table("action_plans", column("id")))


def _plan_stamps(session: Session) -> dict[str, int]:
    """Every plan's scope stamp and PER_PLAN_TABLES', read once per request."""
    in_request = has_request_context()  # a request's g only: an app context may
    kept: dict[str, int] | None = g.get("plan_stamps") if in_request else None
    if kept is not None:  # last for hours (the scheduler's)
        return kept
    found = dict(scoped(session, PER_PLAN_TABLES, (), PLAN_SCOPES))
    if in_request:
        g.plan_stamps = found
    return found


@dataclass(frozen=True)
class PerPlan(Generic[T]):
    """Values per plan id, and the stamps they were read at: the plans' scopes and
    the whole tables' (a write that names no plan). What per_plan() reuses."""

    key: Hashable
    marks: tuple[tuple[str, int], ...]
    stamps: Mapping[int, int]
    values: Mapping[int, T]
    read_at: float  # time.monotonic() when every plan's were read


def per_plan(
    session: Session,
    tables: Collection[str],
    key: Hashable,
    read: Callable[[set[int] | None], dict[int, T]],
    kept: PerPlan[T] | None,
    lifetime: float = 60.0,
) -> PerPlan[T]:
    """Values per plan that read *tables* (and depend on *key*, e.g. the day): the
    *kept* ones of the plans whose stamp has not moved since, read(plan ids) for
    the others, in one query; read(None) for every plan when *kept* is of another
    key or a whole table's stamp moved (a write in *tables* that names no plan,
    a plan created or removed), and *lifetime* seconds after the last such read (a
    write from outside the app raises no stamp). read() returns no entry for a plan
    without one."""
    found = _plan_stamps(session)  # before the data
    wanted = (*tables, "action_plans")
    names = {UNSCOPED.format(t) if t in SCOPED else t for t in wanted}
    if not names <= PER_PLAN_NAMES:
        raise ValueError(f"per_plan() keeps values of {sorted(PER_PLAN_TABLES)} only")
    marks = tuple((name, n) for name, n in found.items() if name in names)
    stamps = {int(name[5:]): n for name, n in found.items() if name.startswith("plan:")}
    now = time.monotonic()
    if (
        kept is None
        or (kept.key, kept.marks) != (key, marks)
        or not 0 <= now - kept.read_at < lifetime
    ):
        return PerPlan(key, marks, stamps, read(None), now)
    changed = {
        plan_id
        for plan_id in stamps.keys() | kept.stamps.keys()
        if stamps.get(plan_id, 0) != kept.stamps.get(plan_id, 0)
    }
    values = {key: v for key, v in kept.values.items() if key not in changed}
    if changed:
        values |= read(changed)
    return PerPlan(key, marks, stamps, values, kept.read_at)
