"""The privacy registry covers every column that can hold someone's data."""

from __future__ import annotations

import re
from collections.abc import Iterator

import sqlalchemy as sa

import tracker.models  # noqa: F401 - every table on Base.metadata
from tracker.db import Base
from tracker.services.privacy.registry import (
    APPLICATION,
    DETAIL,
    EVENT,
    NOT_PERSONAL,
    REGISTRY,
    TEXT,
)

# Columns named like this hold (or look like they hold) something about a person
PERSONAL_NAMES = re.compile(
    r"name|e_?mail|recipient|phone|mobile|department|competence|addr|ssn", re.I
)
# A foreign key to one of these makes a column someone's data
PERSONAL_TABLES = {"people", "applications", "activity_events"}


def needing_cover(metadata: sa.MetaData) -> Iterator[tuple[str, str]]:
    """(table, column) of every column the registry must account for."""
    for table in metadata.sorted_tables:
        for column in table.columns:
            referred = {key.column.table.name for key in column.foreign_keys}
            if referred & PERSONAL_TABLES or PERSONAL_NAMES.search(column.name):
                yield table.name, column.name


def uncovered(metadata: sa.MetaData) -> list[str]:
    """Columns that refer to people or look personal but are not in the registry."""
    covered = {(entry.table, name) for entry in REGISTRY for name in entry.columns}
    needed = needing_cover(metadata)
    return sorted(f"{t}.{c}" for t, c in needed if (t, c) not in covered)


def test_every_column_about_people_is_in_the_registry() -> None:
    """A new column referring to people or applications fails here until the purge
    and the export know it (tracker/services/privacy/registry.py)."""
    missing = uncovered(Base.metadata)
    assert missing == [], (
        "add these to REGISTRY in tracker/services/privacy/registry.py, saying what "
        "they hold: " + ", ".join(missing)
    )
    assert len(list(needing_cover(Base.metadata))) >= 30


def test_a_new_table_with_a_person_is_caught() -> None:
    """The check itself: a messages table nobody registered is reported."""
    metadata = sa.MetaData()
    for table in Base.metadata.sorted_tables:
        table.to_metadata(metadata)
    sa.Table(
        "unregistered_messages",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("person_id", sa.ForeignKey("people.id")),
        sa.Column("event_id", sa.ForeignKey("activity_events.id")),
        sa.Column("sender_name", sa.String(200)),
        sa.Column("body", sa.Text),
    )
    assert uncovered(metadata) == [
        "unregistered_messages.event_id",
        "unregistered_messages.person_id",
        "unregistered_messages.sender_name",
    ]


def test_the_registry_names_real_columns_and_says_why_some_are_not_personal() -> None:
    for entry in REGISTRY:
        table = Base.metadata.tables[entry.table]
        assert set(entry.columns) <= set(table.c.keys()), entry.table
        if NOT_PERSONAL in entry.columns.values():
            assert entry.why, entry.table
    assert len({entry.table for entry in REGISTRY}) == len(REGISTRY)


def test_what_the_purge_blanks_can_be_blanked() -> None:
    """Details of rows linked to an application: nullable, text or JSON."""
    for entry in REGISTRY:
        if not entry.holding(APPLICATION, EVENT):
            continue
        for column in entry.holding(DETAIL, TEXT):
            blankable = column.nullable or isinstance(
                column.type, sa.String | sa.Text | sa.JSON
            )
            assert blankable, f"{entry.table}.{column.name}"
