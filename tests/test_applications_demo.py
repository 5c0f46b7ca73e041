"""The demo's open call: 25 applications for 8 seats from at least 6 departments."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker import demo
from tracker.config import DEFAULTS
from tracker.services import groups
from tracker.services.recruitment import applications
from tracker.services.selection import runs as selection_runs


def test_demo_multiteam_has_25_applications_and_can_be_selected(
    session: Session,
) -> None:
    demo.load(session, password="demo")
    demo.load(session, password="demo")  # idempotent
    group = groups.get_by_slug(session, "multiteamsgruppen")
    assert group is not None
    rows = applications.applications_to(session, group)
    assert len(rows) == 25
    assert len({a.department for a in rows}) >= 6
    run = selection_runs.run_selection(
        session, None, group, selection_runs.Choices(seed=2026), DEFAULTS["RECRUITMENT"]
    )
    assert len(run.proposal["selected"]) == 8 and run.proposal["optimal"]
