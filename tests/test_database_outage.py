"""The database away or restarted: a Swedish 503 to come back to, never a 500.

Nothing here stops the shared PostgreSQL: an app points at a closed port, and a
"restart" ends only this test's own connections to a database of its own.
"""

from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from conftest import CSRF_RE, login, make_test_app
from factories import make_person
from flask import Flask

from tracker.db import Base, get_session


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://tracker@127.0.0.1:1/tracker",  # nothing listens there
        "sqlite:////nonexistent-folder/tracker.sqlite",
    ],
)
def test_an_unreachable_database_gives_a_swedish_503_with_retry_after(
    url: str,
) -> None:
    app = make_test_app(url, PUBLIC_READ=True)
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)  # needs no database
    token = CSRF_RE.search(page)
    assert token is not None
    answers = [
        client.get("/"),  # the overview reads the database
        client.post(
            "/login",
            data={"email": "a@b.se", "password": "x" * 12, "csrf_token": token[1]},
        ),
    ]
    for response in answers:
        assert response.status_code == 503
        assert response.headers["Retry-After"] == "30"
        text = response.get_data(as_text=True)
        assert "Vi når inte databasen just nu" in text
        assert '<html lang="sv">' in text


def test_pooled_connections_outlive_a_database_restart(fresh_db_url: str) -> None:
    """pool_pre_ping: a connection the server ended is replaced before use."""
    app = make_test_app(fresh_db_url)
    engines = [app.extensions["tracker.engine"]]
    engines += (
        [app.extensions["tracker.read_engine"]] if "postgresql" in fresh_db_url else []
    )
    Base.metadata.create_all(engines[0])
    with app.app_context():
        make_person(get_session(), email="kvar@test.se")
        get_session().commit()
    client = app.test_client()
    login(client, "kvar@test.se")
    assert client.get("/plans/").status_code == 200
    assert all(engine.pool._pre_ping for engine in engines)  # type: ignore[attr-defined]
    if "postgresql" in fresh_db_url:
        assert end_every_connection(fresh_db_url) >= 1  # what a restart does
    for _ in range(3):  # each pooled connection in turn
        assert client.get("/plans/").status_code == 200
    for engine in engines:
        engine.dispose()


def end_every_connection(url: str) -> int:
    """End every session on this test's own database, as a restart would."""
    admin = sa.create_engine(url)
    with admin.connect() as connection:
        ended = connection.execute(
            sa.text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar_one()
    admin.dispose()
    return int(ended)


def test_pages_for_a_logged_in_reader_are_never_stored(app: Flask) -> None:
    with app.app_context():
        make_person(get_session(), email="privat@test.se")
        get_session().commit()
    client = app.test_client()
    assert "no-store" not in client.get("/login").headers.get("Cache-Control", "")
    login(client, "privat@test.se")
    for path in ("/me/", "/me/data.json", "/", "/finns-inte", "/activity/"):
        response: Any = client.get(path)
        assert response.headers["Cache-Control"] == "no-store", path
    static = client.get("/static/tracker.css")
    assert "no-store" not in static.headers.get("Cache-Control", "")
    static.close()
