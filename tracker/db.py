"""Database plumbing: the declarative base, engines and the per-app-context session."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any, ClassVar, TypeVar

import sqlalchemy as sa
from flask import Flask, abort, current_app, g, has_request_context, request
from sqlalchemy import Engine, MetaData, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.types import TypeDecorator

from tracker import clock, stamps

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

ModelT = TypeVar("ModelT", bound="Base")
READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# The largest value of an integer column (PostgreSQL's int4): every id is one
DB_INT_MAX = 2**31 - 1


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime (the clock may be set)."""
    return clock.moment()


class UTCDateTime(TypeDecorator[datetime]):
    """Store aware datetimes as UTC; SQLite forgets tzinfo, so put it back on load."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(
        self, value: datetime | None, dialect: Any
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTCDateTime column")
        return value.astimezone(UTC)

    def process_result_value(
        self, value: datetime | None, dialect: Any
    ) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Base(DeclarativeBase):
    """Declarative base for every model of the tracker."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        date: sa.Date(),
        enum.Enum: sa.Enum(
            enum.Enum, native_enum=False, length=32, validate_strings=True
        ),
        dict[str, Any]: sa.JSON(),
    }


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine; SQLite gets foreign keys and real BEGINs so SAVEPOINTs work."""
    if url.startswith("sqlite"):
        kwargs.setdefault("connect_args", {"check_same_thread": False, "timeout": 30})
    engine = sa.create_engine(url, **kwargs)
    if engine.dialect.name == "sqlite":
        _tune_sqlite(engine)
    return engine


def _tune_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so concurrent writers queue instead
        # of failing half-way with "database is locked".
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def init_db(app: Flask) -> None:
    """Create *app*'s engine and session factory; close sessions at teardown."""
    # a pooled connection that died with a database restart is replaced, not used
    app.config["ENGINE_OPTIONS"] = {"pool_pre_ping": True} | dict(
        app.config["ENGINE_OPTIONS"]
    )
    engine = make_engine(app.config["DATABASE_URL"], **app.config["ENGINE_OPTIONS"])
    app.extensions["tracker.engine"] = engine
    stamps.watch(engine)
    app.extensions["tracker.sessionmaker"] = sessionmaker(
        bind=engine, expire_on_commit=False
    )
    if engine.dialect.name == "postgresql":
        # Under READ COMMITTED every statement takes a snapshot of its own, inside a
        # transaction or not, so a read-only request sees the same in autocommit and
        # is spared the BEGIN and ROLLBACK round trips. A pool of its own, so that
        # its connections are switched to autocommit once, not at every checkout.
        options = {
            **app.config["ENGINE_OPTIONS"],
            "isolation_level": "AUTOCOMMIT",
            "pool_reset_on_return": None,  # never a transaction to roll back
        }
        app.extensions["tracker.read_engine"] = read_engine = make_engine(
            app.config["DATABASE_URL"], **options
        )
        stamps.watch(read_engine, autocommit=True)
    app.teardown_appcontext(close_session)


def get_session() -> Session:
    """Return the session of the current app context, opening it on first use."""
    if "db_session" not in g:
        g.db_session = _open_session()
    session: Session = g.db_session
    return session


def _open_session() -> Session:
    maker: sessionmaker[Session] = current_app.extensions["tracker.sessionmaker"]
    read_engine = current_app.extensions.get("tracker.read_engine")
    if (
        read_engine is not None
        and has_request_context()
        and request.method in READ_ONLY_METHODS
        # tests bind the factory to a connection whose transaction they roll back
        and maker.kw.get("bind") is current_app.extensions["tracker.engine"]
    ):
        return maker(bind=read_engine)
    return maker()


def close_session(_exc: BaseException | None) -> None:
    """Close the app context's session; uncommitted work is rolled back."""
    if (session := g.pop("db_session", None)) is not None:
        session.close()


def get_or_404(session: Session, model: type[ModelT], ident: Any) -> ModelT:
    """Load *model* by primary key or answer 404 (an id out of range too)."""
    if isinstance(ident, int) and not -DB_INT_MAX - 1 <= ident <= DB_INT_MAX:
        abort(404)
    obj = session.get(model, ident)
    if obj is None:
        abort(404)
    return obj


def contains(text: str) -> str:
    """A LIKE pattern matching *text* anywhere, with its wildcards escaped by \\."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
