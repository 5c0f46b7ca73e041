"""Fixtures: schema once per backend, a rolled-back transaction per test, CSRF on."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import sqlalchemy as sa

# the JSON API's objects and tokens, for tests/test_api*.py
from api_world import api_world  # noqa: F401 - the JSON API tests' fixture
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session

import tracker.models  # noqa: F401 - every table on Base.metadata
from tracker import create_app, stamps
from tracker.config import DEFAULTS
from tracker.db import Base, make_engine
from tracker.services.programme import stages

POSTGRES_URL = os.environ.get(
    "TRACKER_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
CSRF_RE = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def backend_url(name: str, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The database URL of a backend; PostgreSQL skips (or fails on CI) when down."""
    if name == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"
    try:
        probe = sa.create_engine(POSTGRES_URL)
        with probe.connect():
            pass
        probe.dispose()
    except sa.exc.OperationalError as error:
        message = f"PostgreSQL is unreachable at {POSTGRES_URL}: {error.orig}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return POSTGRES_URL


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> str:
    """One URL per backend; every database test runs on both."""
    return backend_url(request.param, tmp_path_factory)


@pytest.fixture(scope="session")
def engine(db_url: str) -> Iterator[Engine]:
    """The schema, created once per backend, with the default workflow stages."""
    engine = make_engine(db_url)
    # the app's commits are savepoints in each test's outer transaction
    stamps.watch(engine, at_savepoints=True)
    Base.metadata.drop_all(engine)
    with engine.begin() as connection:
        connection.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        stages.ensure_stages(session, DEFAULTS["WORKFLOW_STAGES"])
        session.commit()
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[Connection]:
    """An outer transaction, rolled back after the test; the code gets SAVEPOINTs."""
    with engine.connect() as connection:
        transaction = connection.begin()
        yield connection
        transaction.rollback()


@pytest.fixture
def session(connection: Connection) -> Iterator[Session]:
    """A session inside the test's transaction."""
    session = Session(
        bind=connection,
        join_transaction_mode="create_savepoint",
        expire_on_commit=False,
    )
    yield session
    session.close()


def make_test_app(db_url: str, **overrides: Any) -> Flask:
    """An app for tests with CSRF on (the protection itself is under test)."""
    config = {
        "TESTING": True,
        "SECRET_KEY": "test",
        "DATABASE_URL": db_url,
        "PUBLIC_URL": "https://tracker.test",
    }
    config.update(overrides)
    return create_app(config)


@pytest.fixture
def app(db_url: str, connection: Connection) -> Flask:
    """The app, its sessions joined to the test's transaction."""
    app = make_test_app(db_url)
    app.extensions["tracker.sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    return app


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A browser without a login."""
    return app.test_client()


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """Read the CSRF token from a page, the way a browser gets it."""
    page = client.get(path).get_data(as_text=True)
    match = CSRF_RE.search(page)
    assert match, f"no CSRF token on {path}"
    return match.group(1)


def post_form(
    client: FlaskClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> Any:
    """POST like a browser: with the CSRF token of the session."""
    payload = dict(data or {})
    payload["csrf_token"] = csrf_token(client)
    return client.post(path, data=payload, **kwargs)


def login(client: FlaskClient, email: str, password: str = "password123") -> Any:
    """Log in through the login form."""
    return post_form(client, "/login", {"email": email, "password": password})


def build(app: Flask, fn: Any) -> Any:
    """Run fn(session) in the app's context and commit; return what it returned."""
    from tracker.db import get_session

    with app.app_context():
        result = fn(get_session())
        get_session().commit()
        return result


def logged_in(app: Flask, email: str) -> FlaskClient:
    """A client logged in as *email*, its welcome message already shown."""
    client = app.test_client()
    login(client, email)
    client.get("/")  # the welcome message goes with this page, not the next
    return client


def statements_of(app: Flask, client: FlaskClient, url: str) -> list[str]:
    """The SQL statements (without BEGIN and savepoints) of *client* getting *url*."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        if not args[2].lstrip().upper().startswith(("BEGIN", "SAVEPOINT", "RELEASE")):
            statements.append(args[2])

    engines = {
        app.extensions[k]
        for k in ("tracker.engine", "tracker.read_engine")
        if k in app.extensions
    }
    for engine in engines:
        sa.event.listen(engine, "before_cursor_execute", count)
    try:
        assert client.get(url).status_code == 200
    finally:
        for engine in engines:
            sa.event.remove(engine, "before_cursor_execute", count)
    return statements


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """An empty database of its own (a new PostgreSQL database, dropped afterwards)."""
    url = backend_url(request.param, tmp_path_factory)
    if request.param == "sqlite":
        yield url
        return
    name = f"tracker_fresh_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    try:
        yield sa.make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
        admin.dispose()
