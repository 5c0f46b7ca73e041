"""Change stamps: a part of a page kept while other tables change, new after its own."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from conftest import build, logged_in, make_test_app
from factories import (
    make_application,
    make_assignment,
    make_group,
    make_open_call,
    make_person,
    make_plan,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select, update
from test_page_cache import dispose

from tracker import clock, page_cache
from tracker.db import Base, get_session
from tracker.models.groups import WorkingGroup
from tracker.models.people import Person, Role
from tracker.models.plans import ActionPlan
from tracker.models.stamps import ChangeStamp


def stamps_of(engine: sa.Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(select(ChangeStamp.name, ChangeStamp.stamp))
        return {name: stamp for name, stamp in rows}


def test_every_kind_of_write_raises_its_tables_stamp_and_a_rollback_none(
    fresh_db_url: str,
) -> None:
    app = make_test_app(fresh_db_url)
    engine = app.extensions["tracker.engine"]
    Base.metadata.create_all(engine)
    try:
        build(app, lambda s: make_plan(s, title="Planen"))  # the ORM's flush
        first = stamps_of(engine)
        assert first["action_plans"] == 1
        assert first["activity_events"] >= 1  # the service logged it, same commit
        with engine.begin() as connection:  # a textual statement
            connection.exec_driver_sql("UPDATE action_plans SET title = 'Nytt namn'")
        assert stamps_of(engine)["action_plans"] == 2
        with engine.connect() as connection:  # Core, rolled back: nothing changed
            connection.execute(update(ActionPlan).values(title="Ångrat"))
            connection.rollback()
        assert stamps_of(engine)["action_plans"] == 2
        assert stamps_of(engine)["activity_events"] == first["activity_events"]
        read_engine = app.extensions.get("tracker.read_engine")
        if read_engine is not None:  # PostgreSQL's autocommit pool for reads
            with read_engine.connect() as connection:
                connection.exec_driver_sql("DELETE FROM action_plans WHERE id < 0")
            assert stamps_of(engine)["action_plans"] == 3
    finally:
        dispose(app)


def reads_of(connection: Connection, client: FlaskClient, url: str) -> list[str]:
    """The SQL of *client* getting *url*, on the test's connection."""
    seen: list[str] = []

    def note(*args: Any) -> None:
        seen.append(args[2])

    sa.event.listen(connection.engine, "before_cursor_execute", note)
    try:
        assert client.get(url).status_code == 200
    finally:
        sa.event.remove(connection.engine, "before_cursor_execute", note)
    marks = ("SAVEPOINT", "RELEASE", "ROLLBACK TO")
    return [text for text in seen if not text.startswith(marks)]


def test_the_overview_keeps_its_recruiting_list_until_a_group_or_application_changes(
    app: Flask, connection: Connection
) -> None:
    def setup(s: Any) -> None:
        make_person(s, email="ledare@test.se", role=Role.LEADERSHIP)
        make_person(s, email="sokande@test.se")
        make_open_call(s, name="Multiteamsgruppen", signup_deadline=date(2099, 1, 31))

    build(app, setup)
    client = logged_in(app, "ledare@test.se")
    page = client.get("/").get_data(as_text=True)
    assert "Multiteamsgruppen" in page and "0 anmälningar" in page
    # a write to other tables: the page is rendered again, the list is kept
    build(app, lambda s: make_plan(s, title="En ny plan"))
    kept = reads_of(connection, client, "/")
    assert "En ny plan" in client.get("/").get_data(as_text=True)
    build(app, lambda s: make_plan(s, title="En plan till"))
    kept_values = app.extensions["tracker.shared_values"]
    for key in [k for k in kept_values if "recruiting" in repr(k)]:
        del kept_values[key]  # as a new worker has it
    cold = reads_of(connection, client, "/")
    extra = [text for text in cold if text not in kept]
    assert len(extra) == len(cold) - len(kept) == 2, extra
    assert "FROM working_groups" in extra[0] and "FROM applications" in extra[1]

    def apply(s: Any) -> None:
        group = s.scalar(
            select(WorkingGroup).where(WorkingGroup.name == "Multiteamsgruppen")
        )
        person = s.scalar(select(Person).where(Person.email == "sokande@test.se"))
        make_application(s, group, person, today=clock.today())

    build(app, apply)
    assert "1 anmälan" in client.get("/").get_data(as_text=True)


def test_a_kept_value_reading_a_table_it_does_not_name_is_refused(app: Flask) -> None:
    build(app, lambda s: make_plan(s, title="Planen"))

    def titles() -> list[str]:
        return list(get_session().scalars(select(ActionPlan.title)))

    with app.test_request_context("/"):
        with pytest.raises(AssertionError, match="action_plans"):
            page_cache.shared_on(("people",), "titles", titles)
        assert page_cache.shared_on(("action_plans",), "titles", titles) == ["Planen"]


def test_a_write_from_outside_the_app_shows_once_a_kept_part_has_lived_out(
    fresh_db_url: str, monkeypatch: Any
) -> None:
    """psql raises no stamp: the groups recruiting wait out the page cache's
    lifetime, and then show the change."""
    app = make_test_app(fresh_db_url)
    engine = app.extensions["tracker.engine"]
    Base.metadata.create_all(engine)

    def setup(s: Any) -> None:
        from tracker.services.programme import stages

        stages.ensure_stages(s, app.config["WORKFLOW_STAGES"])
        make_person(s, email="ledare@test.se", role=Role.LEADERSHIP)
        make_open_call(s, name="Gammalt namn", signup_deadline=date(2099, 1, 31))

    try:
        build(app, setup)
        client = logged_in(app, "ledare@test.se")
        assert "Gammalt namn" in client.get("/").get_data(as_text=True)
        outside = sa.create_engine(fresh_db_url)  # not the app's: no stamps raised
        with outside.begin() as connection:
            connection.exec_driver_sql("UPDATE working_groups SET name = 'Nytt namn'")
        outside.dispose()
        monkeypatch.setattr(page_cache, "LIFETIME_SECONDS", 0)  # as after 60 s
        assert "Nytt namn" in client.get("/").get_data(as_text=True)
    finally:
        dispose(app)


def page_data_read(connection: Connection, client: FlaskClient, url: str) -> bool:
    """Whether *client* getting *url* read the page's data (a miss: its audit
    history), not only the login, the stamps and the reader's own parts (a hit)."""
    history = "ORDER BY activity_events.created_at DESC"
    return any(history in text for text in reads_of(connection, client, url))


def test_an_assignment_page_is_kept_until_a_write_in_its_own_scope(
    app: Flask, connection: Connection
) -> None:
    """Writes to other assignments leave the page cached; any write to its own
    rows shows at once: a report, a milestone moved in from another assignment, a
    textual statement (unscoped: every scoped page of the table misses)."""
    from tracker.models.assignments import Assignment, Milestone
    from tracker.services.programme import milestones, reports

    def setup(s: Any) -> tuple[int, int]:
        make_person(s, email="ledare@test.se", role=Role.LEADERSHIP)
        plan = make_plan(s)
        own = make_assignment(s, plan, title="Kartläggning")
        other = make_assignment(s, plan, title="Annat uppdrag")
        milestones.add_milestone(s, None, other, title="Flyttbar", due_on=None)
        return own.id, other.id

    own, other = build(app, setup)
    client = logged_in(app, "ledare@test.se")
    page = f"/assignments/{own}"
    assert "Kartläggning" in client.get(page).get_data(as_text=True)
    assert not page_data_read(connection, client, page)  # a hit

    def report(assignment_id: int, body: str) -> Any:
        def write(s: Any) -> None:
            leader = s.scalar(select(Person).where(Person.email == "ledare@test.se"))
            assignment = s.get(Assignment, assignment_id)
            reports.add_report(
                s, leader, assignment, body=body, reported_on=clock.today()
            )

        return write

    build(app, report(other, "Läget i det andra."))
    assert not page_data_read(connection, client, page)  # kept
    build(app, report(own, "Läget i vårt."))
    assert "Läget i vårt." in client.get(page).get_data(as_text=True)

    def move_milestone(s: Any) -> None:
        s.scalar(
            select(Milestone).where(Milestone.title == "Flyttbar")
        ).assignment_id = own

    def milestone_list(url: str) -> str:
        text = client.get(url).get_data(as_text=True)
        return text[text.index('<section id="milestones"') :].split("</ul>")[0]

    assert "Flyttbar" in milestone_list(f"/assignments/{other}")
    build(app, move_milestone)  # its old assignment's scope and its new one's
    assert "Flyttbar" in milestone_list(page)
    assert "Flyttbar" not in milestone_list(f"/assignments/{other}")

    build(
        app,
        lambda s: s.execute(
            sa.text("UPDATE assignments SET title = 'Omdöpt' WHERE id = :id"),
            {"id": own},
        ),
    )
    assert "Omdöpt" in client.get(page).get_data(as_text=True)


def test_a_group_page_follows_its_own_assignments_and_keeps_across_others(
    app: Flask, connection: Connection
) -> None:
    from tracker.models.assignments import Assignment

    def setup(s: Any) -> tuple[str, int, int]:
        make_person(s, email="ledare@test.se", role=Role.LEADERSHIP)
        plan = make_plan(s)
        own = make_assignment(s, plan, title="Gruppens uppdrag")
        other = make_assignment(s, plan, title="Någon annans")
        group = make_group(s, name="Gruppen", assignments=[own])
        return group.slug, own.id, other.id

    slug, own, other = build(app, setup)
    client = logged_in(app, "ledare@test.se")
    page = f"/groups/{slug}"
    assert "Gruppens uppdrag" in client.get(page).get_data(as_text=True)
    assert not page_data_read(connection, client, page)  # a hit

    def rename(assignment_id: int, title: str) -> Any:
        def write(s: Any) -> None:
            s.get(Assignment, assignment_id).title = title

        return write

    build(app, rename(other, "Fortfarande någon annans"))
    assert not page_data_read(connection, client, page)  # kept
    build(app, rename(own, "Nytt namn på uppdraget"))
    assert "Nytt namn på uppdraget" in client.get(page).get_data(as_text=True)
