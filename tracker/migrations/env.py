"""Alembic environment: runs against the engine handed over in config.attributes."""

from __future__ import annotations

from alembic import context

import tracker.models  # noqa: F401 - registers every table on Base.metadata
from tracker.db import Base
from tracker.migrations import include_object
from tracker.stamps import UNSTAMPED

engine = context.config.attributes["engine"]

# the change stamps' table may not exist yet while the migrations write
with engine.connect().execution_options(**{UNSTAMPED: True}) as connection:
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
