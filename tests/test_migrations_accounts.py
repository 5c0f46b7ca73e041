"""The accounts migration keeps every existing login able to log in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic import command
from sqlalchemy import Engine

from tracker.db import make_engine
from tracker.migrations import alembic_config, upgrade_to_head


@pytest.fixture
def empty_engine(fresh_db_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_db_url)
    yield engine
    engine.dispose()


def test_people_with_a_password_keep_their_login(empty_engine: Engine) -> None:
    command.upgrade(alembic_config(empty_engine), "0001")
    with empty_engine.begin() as connection:
        for name, password in (("Med Lösen", "scrypt:x$y$z"), ("Utan Lösen", None)):
            connection.execute(
                sa.text(
                    "INSERT INTO people (name, role, password_hash, active, external,"
                    " consent_note, digest_opt_out, created_at) VALUES (:name,"
                    " 'STAFF', :password, true, false, '', false, CURRENT_TIMESTAMP)"
                ),
                {"name": name, "password": password},
            )
    upgrade_to_head(empty_engine)
    with empty_engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT name, login_enabled, session_generation FROM people"
                " ORDER BY name"
            )
        ).all()
    assert [(r[0], bool(r[1]), r[2]) for r in rows] == [
        ("Med Lösen", True, 1),
        ("Utan Lösen", False, 1),
    ]
