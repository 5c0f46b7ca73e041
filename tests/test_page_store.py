"""Pages shared by a host's workers (PAGE_CACHE_DIR): rendered once, right for each."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from conftest import build, logged_in, make_test_app
from factories import make_person, make_plan
from flask import Flask
from sqlalchemy import Connection, event

from tracker import page_store
from tracker.models.people import Role


def worker(db_url: str, connection: Connection, pages: Path | None) -> Flask:
    """An app as one gunicorn worker is: its own caches, the test's database."""
    app = make_test_app(db_url, PAGE_CACHE_DIR=str(pages or ""))
    app.extensions["tracker.sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    return app


def people(session: Any) -> None:
    make_plan(session, title="Delad plan")
    make_person(session, name="Ada Ledare", email="ada@test.se", role=Role.LEADERSHIP)
    make_person(session, name="Bo Ledare", email="bo@test.se", role=Role.LEADERSHIP)


def test_a_page_one_worker_rendered_is_read_by_another_with_its_reader_s_values(
    db_url: str, connection: Connection, tmp_path: Path
) -> None:
    first, second = (worker(db_url, connection, tmp_path) for _ in range(2))
    alone = worker(db_url, connection, None)
    build(first, people)
    ada, bo = logged_in(first, "ada@test.se"), logged_in(second, "bo@test.se")
    cy = logged_in(alone, "ada@test.se")
    page = ada.get("/").get_data(as_text=True)
    assert "Delad plan" in page and "<span>Ada Ledare</span>" in page
    stored = counted(connection, lambda: bo.get("/"))  # as another worker stored it
    rendered = counted(connection, lambda: cy.get("/"))  # a worker with no directory
    assert 0 < stored < rendered / 2
    shown = bo.get("/").get_data(as_text=True)
    assert "Delad plan" in shown and "<span>Bo Ledare</span>" in shown  # its reader
    assert "<span>Ada Ledare</span>" not in shown
    assert bo.post("/logout", data={"csrf_token": token(shown)}).status_code == 302

    build(first, lambda s: make_plan(s, title="Ny plan"))  # a write: a new version
    assert "Ny plan" in logged_in(second, "bo@test.se").get("/").get_data(as_text=True)


def counted(connection: Connection, request: Any) -> int:
    """The SQL statements that *request* sends (the apps share the connection)."""
    seen: list[str] = []

    def count(*args: Any) -> None:
        if not args[2].lstrip().upper().startswith(("SAVEPOINT", "RELEASE")):
            seen.append(args[2])

    event.listen(connection.engine, "before_cursor_execute", count)
    try:
        assert request().status_code == 200
    finally:
        event.remove(connection.engine, "before_cursor_execute", count)
    return len(seen)


def token(page: str) -> str:
    return page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]


def test_a_damaged_file_or_a_query_string_is_rendered_and_nothing_is_shared(
    db_url: str, connection: Connection, tmp_path: Path
) -> None:
    first, second = (worker(db_url, connection, tmp_path) for _ in range(2))
    build(first, people)
    ada, bo = logged_in(first, "ada@test.se"), logged_in(second, "bo@test.se")
    ada.get("/")
    with first.app_context():
        folder = page_store.directory()
    assert folder is not None
    files = list(folder.iterdir())
    assert len(files) == 1
    files[0].write_text('{"identity": "kaputt', encoding="utf-8")
    assert "Delad plan" in bo.get("/").get_data(as_text=True)
    before = sorted(path.name for path in folder.iterdir())
    assert ada.get("/?sida=1").status_code == 200  # any query string: never stored
    assert sorted(path.name for path in folder.iterdir()) == before


def test_apps_on_other_databases_keep_their_pages_apart(tmp_path: Path) -> None:
    one = make_test_app(f"sqlite:///{tmp_path}/a.db", PAGE_CACHE_DIR=str(tmp_path))
    two = make_test_app(f"sqlite:///{tmp_path}/b.db", PAGE_CACHE_DIR=str(tmp_path))
    with one.app_context():
        first = page_store.directory()
    with two.app_context():
        second = page_store.directory()
    assert first is not None and second is not None and first != second
    assert first.stat().st_mode & 0o777 == 0o700  # nobody else reads the pages


def test_a_directory_others_may_write_to_is_not_used(tmp_path: Path) -> None:
    shared = tmp_path / "delad"
    shared.mkdir(mode=0o777)
    shared.chmod(0o777)  # anyone could put a page there for the readers
    app = make_test_app(f"sqlite:///{tmp_path}/a.db", PAGE_CACHE_DIR=str(shared))
    with app.app_context():
        assert page_store.directory() is None
        page_store.save("/ a", "1", {"text": "x"}, 60)
        assert page_store.load("/ a", "1", 60) is None
    shared.chmod(0o700)
    again = make_test_app(f"sqlite:///{tmp_path}/a.db", PAGE_CACHE_DIR=str(shared))
    with again.app_context():
        assert page_store.directory() is not None


def test_files_older_than_the_lifetime_are_swept(tmp_path: Path) -> None:
    app = make_test_app(f"sqlite:///{tmp_path}/a.db", PAGE_CACHE_DIR=str(tmp_path))
    with app.app_context():
        page_store.save("/ a", "1", {"text": "x"}, 60)
        page_store.save("/ b", "1", {"text": "y"}, 60)
        folder = page_store.directory()
        assert folder is not None
        os.utime(next(folder.iterdir()), (0, 0))
        assert page_store.sweep(folder, 60) == 1
        assert len(list(folder.iterdir())) == 1
        assert page_store.load("/ a", "1", 60) or page_store.load("/ b", "1", 60)
        assert page_store.load("/ b", "2", 60) is None  # another version: a miss
