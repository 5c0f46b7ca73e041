"""Alembic environment: runs against the engine handed over in config.attributes."""

from __future__ import annotations

from alembic import context

import tracker.models  # noqa: F401 - registers every table on Base.metadata
from tracker.db import Base

engine = context.config.attributes["engine"]
# Tables other software owns in the same database (APScheduler's job store).
FOREIGN_TABLES = {"apscheduler_jobs"}


def include_object(
    obj: object, name: str | None, kind: str, reflected: bool, _: object
) -> bool:
    """Leave tables that are not the tracker's out of autogenerate's comparison."""
    return not (kind == "table" and name in FOREIGN_TABLES)


with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
        include_object=include_object,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
