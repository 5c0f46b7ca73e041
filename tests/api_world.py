"""The objects the API tests read and change: logins with tokens, a plan, a group
with an external member, and an open call with an applicant."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from factories import (
    make_application,
    make_assignment,
    make_group,
    make_open_call,
    make_person,
    make_plan,
)
from flask import Flask

from tracker import clock
from tracker.db import get_session
from tracker.models.accounts import TokenScope
from tracker.models.groups import MemberRole
from tracker.models.people import Person, Role
from tracker.services import groups, people
from tracker.services.accounts import api_tokens
from tracker.services.governance import decisions
from tracker.services.programme import milestones, stages


@dataclass
class World:
    """Logins with tokens, a plan with assignments, a group with an external member."""

    tokens: dict[str, str]
    plan_slug: str
    assignment_id: int
    milestone_id: int
    group_slug: str
    open_call_slug: str
    applicant: Person
    external: Person


def token_for(person: Person, scope: TokenScope = TokenScope.READ_WRITE) -> str:
    _token, secret = api_tokens.create_token(
        get_session(),
        person,
        name="test",
        scope=scope,
        expires_on=clock.today() + timedelta(days=30),
        today=clock.today(),
    )
    return secret


@pytest.fixture
def api_world(app: Flask) -> World:
    """The objects the API tests read and change."""
    with app.app_context():
        db = get_session()
        stages.ensure_stages(db, app.config["WORKFLOW_STAGES"])
        leader = make_person(db, role=Role.LEADERSHIP, email="chef@api.se")
        staff = make_person(db, email="personal@api.se")
        member = make_person(db, email="medlem@api.se")
        external = people.create_person(
            db,
            None,
            people.PersonValues(name="Ester Extern"),
            external=True,
            consent_on=date(2026, 1, 2),
            consent_note="Muntligt samtycke.",
        )
        plan = make_plan(db, owner=leader)
        for number in range(5):
            make_assignment(db, plan, title=f"Extra {number}")
        assignment = make_assignment(db, plan, title="Kartlägga flödet")
        group = make_group(db, assignments=[assignment])
        for person in (member, external):
            groups.add_member(
                db, None, group, person, role=MemberRole.MEMBER, today=date(2026, 1, 5)
            )
        milestone = milestones.add_milestone(
            db, None, assignment, title="Start", due_on=None
        )
        decisions.ensure_bodies(db)
        decisions.record_decision(
            db,
            leader,
            decisions.DecisionValues(
                decided_on=date(2026, 1, 10),
                body_id=decisions.list_bodies(db)[0].id,
                title="Starta kartläggningen",
                owner_id=leader.id,
                plans=[plan],
                assignments=[assignment],
                groups=[group],
            ),
        )
        open_call = make_open_call(db)
        applicant = make_person(db, name="Anna Sökande", email="sokande@api.se")
        make_application(db, open_call, applicant, motivation="Hemlig motivering")
        tokens = {
            "leader": token_for(leader),
            "staff": token_for(staff),
            "member": token_for(member),
            "reader": token_for(leader, TokenScope.READ),
        }
        db.commit()
        return World(
            tokens,
            plan.slug,
            assignment.id,
            milestone.id,
            group.slug,
            open_call.slug,
            applicant,
            external,
        )
