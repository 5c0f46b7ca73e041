"""The assignment workflow: stages in order, the last one meaning done."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.assignments import Stage


def list_stages(session: Session) -> list[Stage]:
    """Stages in workflow order."""
    return list(session.scalars(select(Stage).order_by(Stage.position, Stage.id)))


def ensure_stages(session: Session, names: Sequence[str]) -> list[Stage]:
    """Create the configured stages that are missing and put all in config order."""
    existing = {stage.name: stage for stage in list_stages(session)}
    for position, name in enumerate(names):
        stage = existing.get(name)
        if stage is None:
            stage = Stage(name=name)
            session.add(stage)
        stage.position = position
    extra = [stage for name, stage in existing.items() if name not in names]
    for offset, stage in enumerate(extra, start=len(names)):
        stage.position = offset  # kept for history, placed after the configured ones
    session.flush()
    return list_stages(session)


def first_stage(session: Session) -> Stage:
    """Where new assignments start."""
    stage = session.scalars(
        select(Stage).order_by(Stage.position, Stage.id).limit(1)
    ).first()
    if stage is None:
        raise DomainError(
            _l("No workflow stages are configured. Run 'tracker init-db'.")
        )
    return stage


def done_stage_id(session: Session) -> int | None:
    """The id of the last stage, where an assignment counts as done."""
    return session.scalar(
        select(Stage.id).order_by(Stage.position.desc(), Stage.id.desc()).limit(1)
    )


def rename_stage(session: Session, stage: Stage, name: str) -> None:
    """Rename a stage (admins)."""
    name = name.strip()
    clash = session.scalar(
        select(Stage.id).where(
            func.lower(Stage.name) == name.lower(), Stage.id != stage.id
        )
    )
    if clash is not None:
        raise DomainError(_l("A stage with this name already exists."), field="name")
    stage.name = name
