"""The decision register's services: what it refuses, where a decision shows, mail."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from factories import make_assignment, make_group, make_person, make_plan
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.activity import ActivityEvent
from tracker.models.decisions import Decision
from tracker.models.mail import OutboxMessage
from tracker.models.people import Role
from tracker.services.governance import decisions

NOW = datetime(2026, 11, 20, 6, tzinfo=UTC)


def values(session: Session, **overrides: Any) -> decisions.DecisionValues:
    decisions.ensure_bodies(session)
    body = decisions.list_bodies(session)[0]
    fields: dict[str, Any] = {
        "decided_on": date(2026, 11, 12),
        "body_id": body.id,
        "title": "Handlingsplanen antas",
    } | overrides
    return decisions.DecisionValues(**fields)


@pytest.mark.parametrize(
    ("override", "field"),
    [
        ({"decided_on": None}, "decided_on"),
        ({"body_id": None}, "body_id"),
        ({"title": "  "}, "title"),
        ({"follow_up_on": date(2026, 1, 1)}, "follow_up_on"),
    ],
)
def test_bad_decision_is_refused_and_nothing_recorded(
    session: Session, override: dict[str, Any], field: str
) -> None:
    with pytest.raises(DomainError) as caught:
        decisions.record_decision(session, None, values(session, **override))
    assert caught.value.field == field
    assert session.scalar(select(func.count(Decision.id))) == 0


def test_decision_shows_for_what_it_concerns_and_in_the_activity(
    session: Session,
) -> None:
    plan, other = make_plan(session), make_plan(session)
    assignment = make_assignment(session, other)
    group = make_group(session)
    leader = make_person(session, role=Role.LEADERSHIP)
    made = decisions.record_decision(
        session,
        leader,
        values(session, plans=[plan], assignments=[assignment], groups=[group]),
    )
    assert decisions.decisions_for(session, plan_id=plan.id) == [made]
    assert decisions.decisions_for(session, assignment_id=assignment.id) == [made]
    assert decisions.decisions_for(session, group_id=group.id) == [made]
    assert decisions.decisions_for(session, plan_id=other.id) == []
    event = session.scalars(
        select(ActivityEvent).where(ActivityEvent.object_type == "Decision")
    ).one()
    assert (event.verb, event.plan_id, event.group_id) == ("decided", plan.id, group.id)
    assert decisions.list_decisions(session, text="antas") == [made]
    assert decisions.list_decisions(session, text="finns inte") == []


def test_digest_lists_the_months_decisions(session: Session) -> None:
    decisions.record_decision(session, None, values(session, reference="AMN 1"))
    decisions.record_decision(
        session, None, values(session, title="Senare", decided_on=date(2026, 12, 2))
    )
    facts = decisions.digest_facts(
        session, date(2026, 11, 1), date(2026, 11, 30), "https://t.se"
    )
    assert facts["month_name"] == "november" and facts["count"] == 1
    assert facts["rows"][0]["reference"] == "AMN 1"
    assert facts["rows"][0]["date_label"] == "12 november 2026"


def test_owner_is_mailed_once_when_the_follow_up_date_comes(session: Session) -> None:
    owner = make_person(session, email="agare@test.se")
    decisions.record_decision(
        session,
        None,
        values(session, owner_id=owner.id, follow_up_on=date(2026, 11, 25)),
    )
    early = decisions.send_follow_ups(
        session, "https://t.se", today=date(2026, 11, 24), now=NOW
    )
    assert early == 0
    due = decisions.send_follow_ups(
        session, "https://t.se", today=date(2026, 11, 25), now=NOW
    )
    assert due == 1
    again = decisions.send_follow_ups(
        session, "https://t.se", today=date(2026, 11, 26), now=NOW
    )
    assert again == 0
    message = session.scalars(select(OutboxMessage)).one()
    assert message.to == ["agare@test.se"]
    assert message.subject == "Dags att följa upp beslutet: Handlingsplanen antas"


def test_the_digest_of_the_month_has_its_decisions_and_closed_round(
    session: Session,
) -> None:
    from factories import make_department

    from tracker.services.digest import template
    from tracker.services.digest.facts import collect_facts
    from tracker.services.digest.months import Month
    from tracker.services.governance import maturity

    decisions.record_decision(
        session, None, values(session, title="Multiteam införs", reference="AMN 9")
    )
    maturity.open_round(
        session,
        None,
        maturity.RoundValues(
            "Hösten 2026",
            date(2026, 11, 1),
            date(2026, 11, 20),
            [make_department(session)],
        ),
    )
    facts = collect_facts(
        session,
        Month(2026, 11),
        now=datetime(2026, 12, 2, 8, tzinfo=UTC),
        public_url="https://t.se",
    )
    text = template.render(template.default_template(), facts)
    assert "## Beslut i november" in text
    assert "Multiteam införs" in text and "(AMN 9)" in text
    assert "## Mognadsmätning" in text and "Hösten 2026" in text
