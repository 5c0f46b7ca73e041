"""An action plan's documents link: the same rule and display as an assignment's."""

from __future__ import annotations

from sqlalchemy.orm import Session

from tracker.models.people import Person
from tracker.models.plans import ActionPlan
from tracker.services import activity
from tracker.services.programme import documents


def set_documents_link(
    session: Session, actor: Person | None, plan: ActionPlan, link: str
) -> None:
    """Store *plan*'s documents link; refuse what documents.check_link refuses.

    An older value the rule no longer accepts may stay as it is (as for assignments).
    """
    link = link.strip()
    if link == plan.documents_link:
        return
    documents.check_link(link)
    before, after = {"documents_link": plan.documents_link}, {"documents_link": link}
    plan.documents_link = link
    session.flush()
    activity.record(
        session, actor, "updated", plan, before=before, after=after, plan_id=plan.id
    )
