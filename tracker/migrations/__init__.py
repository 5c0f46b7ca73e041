"""Alembic migrations; `upgrade_to_head` is what `tracker init-db` runs."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine

if TYPE_CHECKING:  # Alembic (with Mako and Pygments, ~10 MB) loads when a command
    from alembic.config import Config  # migrates, not in every web worker

HERE = Path(__file__).parent
# Tables other software owns in the same database (APScheduler's job store).
FOREIGN_TABLES = {"apscheduler_jobs"}
FULL_TEXT_PREFIX = "fts_"  # full-text indexes and FTS5 tables (models/fulltext.py)


def include_object(
    obj: object, name: str | None, kind: str, reflected: bool, _: object
) -> bool:
    """Leave foreign tables and full-text objects out of autogenerate."""
    if kind == "table" and name in FOREIGN_TABLES:
        return False
    full_text = (name or "").startswith(FULL_TEXT_PREFIX)
    return not (kind in ("table", "index") and full_text)


def alembic_config(engine: Engine) -> Config:
    """An Alembic config pointing at these migrations and *engine*."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(HERE))
    config.attributes["engine"] = engine
    return config


def upgrade_to_head(engine: Engine) -> None:
    """Bring the schema to the newest revision."""
    from alembic import command

    command.upgrade(alembic_config(engine), "head")
