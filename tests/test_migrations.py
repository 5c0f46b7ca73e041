"""Alembic's head equals the models, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine

import tracker.models  # noqa: F401
from tracker.db import Base, make_engine
from tracker.migrations import include_object, upgrade_to_head


@pytest.fixture
def empty_engine(fresh_db_url: str) -> Iterator[Engine]:
    engine = make_engine(fresh_db_url)
    yield engine
    engine.dispose()


def test_migrations_match_models(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)
    with empty_engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object}
        )
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_upgrade_twice_changes_nothing(empty_engine: Engine) -> None:
    upgrade_to_head(empty_engine)
    upgrade_to_head(empty_engine)
    assert "assignments" in sa.inspect(empty_engine).get_table_names()
