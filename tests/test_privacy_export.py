"""/me/data.json holds every row about the person, compared with the database.

The expected rows come from the schema itself (every foreign key to people or to
applications, every e-mail to the person's address), not from the registry the
export is written from, so a table the registry forgot makes this test fail.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from typing import Any

import pytest
from conftest import login
from factories import make_assignment, make_department, make_group, make_plan
from flask import Flask
from route_world import World, build_world
from sqlalchemy import Table, or_, select
from sqlalchemy.orm import Session
from visitors import make_visitor

import tracker.models
from tracker import clock
from tracker.config import DEFAULTS
from tracker.db import Base, get_session
from tracker.models.activity import ActivityEvent
from tracker.models.applications import Application, SelectionRun
from tracker.models.groups import MemberRole
from tracker.models.people import Person
from tracker.services import groups, mail
from tracker.services.digest import drafts, editing
from tracker.services.programme import reports
from tracker.services.recruitment import applications
from tracker.services.selection import runs as selection_runs

# shaped per person (a run holds every applicant): compared on its own below
OWN_SHAPE = {"selection_runs"}
# never exported: a password hash, and an address a failed login may have come from
# that is someone else's
NOT_EXPORTED = {
    ("people", "password_hash"),
    ("login_failures", "remote_addr"),
    ("login_sessions", "key_hash"),
    ("login_sessions", "id_token"),
    ("password_link_requests", "remote_addr"),
    ("feed_tokens", "nonce"),
    ("feed_tokens", "token_hash"),
}


@pytest.fixture
def world(app: Flask) -> World:
    """The routes' objects; the communicator login is the person exported."""
    with app.app_context():
        world = build_world(get_session())
        get_session().commit()
    return world


def give_her_a_history(app: Flask, world: World) -> tuple[int, int]:
    """Everything a person can leave: returns (person id, application id)."""
    with app.app_context():
        session = get_session()
        person = session.get(Person, world.logins["communicator"].id)
        leader = session.get(Person, world.logins["leadership"].id)
        assert person is not None and leader is not None
        person.digest_opt_out = True
        make_plan(session, title="Hennes plan", owner=person)
        make_assignment(session, title="Hennes uppdrag", responsible=person)
        shared = session.get(tracker.models.Assignment, world.shared_assignment_id)
        assert shared is not None
        reports.add_report(
            session, person, shared, body="Vi har börjat.", reported_on=date(2026, 1, 9)
        )
        team = make_group(session, name="Hennes grupp")
        groups.add_member(
            session, leader, team, person, role=MemberRole.LEAD, today=clock.today()
        )
        group = groups.get_by_slug(session, world.open_group_slug)
        assert group is not None
        application = applications.apply(
            session,
            group,
            person,
            applications.ApplicationValues(
                department=make_department(session), motivation="Min motivering."
            ),
            today=clock.today(),
        )
        selection_runs.run_selection(
            session,
            leader,
            group,
            selection_runs.Choices(seed=11),
            DEFAULTS["RECRUITMENT"],
        )
        mail.queue(session, to=[str(person.email)], subject="Före länken", body="…")
        digest = drafts.get_by_period(session, world.extra["period"])
        assert digest is not None
        newest = drafts.newest_version(session, digest)
        editing.save_text(
            session,
            person,
            digest,
            title="Hennes rubrik",
            body=digest.body + "\n.",
            base_version=newest.number if newest else 0,
        )
        session.commit()
        return person.id, application.id


def jsonable(value: Any) -> Any:
    """A database value as the export writes it."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return value.value
    return json.loads(json.dumps(value, ensure_ascii=False)) if value else value


def expected_rows(
    session: Session, table: Table, person: Person, own: set[int]
) -> list[dict[str, Any]]:
    """The rows of *table* about *person*, found from the schema alone."""
    clauses = []
    for column in table.columns:
        for key in column.foreign_keys:
            if key.column.table.name == "people":
                clauses.append(column == person.id)
            if key.column.table.name == "applications":
                clauses.append(column.in_(own))
    if table.name == "people":
        clauses.append(table.c.id == person.id)
    if table.name == "activity_events":
        clauses.append(
            (table.c.object_type == "Application") & table.c.object_id.in_(own)
        )
    if table.name == "login_failures":
        clauses.append(table.c.email == person.email)
    rows = (
        [
            dict(r)
            for r in session.execute(select(table).where(or_(*clauses))).mappings()
        ]
        if clauses
        else []
    )
    if table.name == "outbox_messages":
        everything = session.execute(select(table)).mappings()
        mailed = [dict(r) for r in everything if person.email in r["recipients"]]
        rows += [r for r in mailed if r not in rows]
    return rows


def key_of(table: Table, row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(row[c.name] for c in table.primary_key.columns)


def test_the_export_holds_every_row_about_the_person(
    app: Flask, world: World, capsys: Any
) -> None:
    person_id, application_id = give_her_a_history(app, world)
    leader = make_visitor(app, "leadership", world)
    read = leader.client.get(f"/anmalningar/ansokan/{application_id}")
    assert read.status_code == 200  # leadership reads her application
    browser = make_visitor(app, "communicator", world).client
    failed = app.test_client()  # after her own login, which clears earlier ones
    assert login(failed, str(world.logins["communicator"].email), "fel").status_code
    response = browser.get("/me/data.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    checked = compare(app, data, person_id, application_id)
    with capsys.disabled():
        print(f"\nexport: {checked} rows compared with the database")
    assert checked >= 15


def compare(
    app: Flask, data: dict[str, Any], person_id: int, application_id: int
) -> int:
    """Every expected row is exported with its values; nothing else is."""
    checked = 0
    with app.app_context():
        session = get_session()
        person = session.get(Person, person_id)
        assert person is not None
        own = {application_id}
        for table in Base.metadata.sorted_tables:
            if table.name in OWN_SHAPE:
                continue
            expected = expected_rows(session, table, person, own)
            exported = {key_of(table, r): r for r in data.get(table.name, [])}
            assert set(exported) == {key_of(table, r) for r in expected}, table.name
            for row in expected:
                got = exported[key_of(table, row)]
                for column, value in row.items():
                    if (table.name, column) in NOT_EXPORTED:
                        assert column not in got
                        continue
                    assert got[column] == jsonable(value), (table.name, column)
                checked += 1
        checked += compare_runs(session, data, application_id)
        assert_the_issue_list(session, data, person, application_id)
    return checked


def compare_runs(session: Session, data: dict[str, Any], application_id: int) -> int:
    """Her part of each run: her snapshot and her own chance, nobody else's."""
    runs = session.scalars(select(SelectionRun)).all()
    mine = [
        r for r in runs if application_id in [c["id"] for c in r.inputs["candidates"]]
    ]
    exported = {row["id"]: row for row in data["selection_runs"]}
    assert mine and set(exported) >= {r.id for r in mine}
    for run in mine:
        row = exported[run.id]
        probability = run.proposal["probabilities"][str(application_id)]
        assert row["your_probability"] == probability
        assert row["your_details_as_weighed"]["id"] == application_id
        assert "inputs" not in row and "proposal" not in row
    return len(mine)


def assert_the_issue_list(
    session: Session, data: dict[str, Any], person: Person, application_id: int
) -> None:
    """What the reviewers found missing, named one by one."""
    assert data["progress_reports"][0]["body"] == "Vi har börjat."
    assert {a["title"] for a in data["assignments"]} == {"Hennes uppdrag"}
    readers = [e for e in data["activity_events"] if e["verb"] == "application_viewed"]
    assert readers and all(e["actor_id"] != person.id for e in readers)
    by_others = [e for e in data["activity_events"] if e["actor_id"] != person.id]
    assert {"member_added", "application_viewed"} <= {e["verb"] for e in by_others}
    subjects = {m["subject"] for m in data["outbox_messages"]}
    assert "Före länken" in subjects and len(subjects) >= 2
    assert data["publication_of_your_name"]["may_be_named"] is False
    assert data["applications"][0]["id"] == application_id
    assert data["login_failures"] and "remote_addr" not in data["login_failures"][0]
    assert data["memberships"][0].get("group_name")
    application = session.get(Application, application_id)
    assert application is not None
    events = session.scalars(
        select(ActivityEvent.id).where(ActivityEvent.subject_id == person.id)
    ).all()
    assert {e["id"] for e in data["activity_events"]} >= set(events)
