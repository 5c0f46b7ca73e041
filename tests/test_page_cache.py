"""The overview from the page cache: right for every reader, new after a change."""

from __future__ import annotations

import re
from typing import Any

from conftest import CSRF_RE, login, make_test_app, post_form
from factories import make_assignment, make_person, make_plan
from flask import Flask, g
from flask.testing import FlaskClient
from flask_wtf.csrf import generate_csrf
from sqlalchemy import event

from tracker import page_cache
from tracker.db import Base, get_session
from tracker.models.people import Role
from tracker.page_cache import reader_part
from tracker.services.programme import stages


def build(app: Flask, fn: Any) -> Any:
    with app.app_context():
        result = fn(get_session())
        get_session().commit()
        return result


def test_a_cached_overview_names_each_reader_and_gives_them_a_working_token(
    app: Flask,
) -> None:
    build(
        app,
        lambda s: (
            make_plan(s, title="Gemensam plan"),
            make_person(
                s, name="Ada Ledare", email="ada@test.se", role=Role.LEADERSHIP
            ),
            make_person(s, name="Bo Ledare", email="bo@test.se", role=Role.LEADERSHIP),
        ),
    )
    ada, bo = app.test_client(), app.test_client()
    login(ada, "ada@test.se")
    login(bo, "bo@test.se")
    ada.get("/")  # the login's welcome message is shown, so not cached
    first = ada.get("/").get_data(as_text=True)
    assert "Gemensam plan" in first and reader(first) == "Ada Ledare"
    page = bo.get("/").get_data(as_text=True)
    page = bo.get("/").get_data(as_text=True)  # now from the cache Ada filled
    assert "Gemensam plan" in page
    assert reader(page) == "Bo Ledare"
    token = CSRF_RE.search(page)
    assert token is not None and token[1] not in first
    out = bo.post("/logout", data={"csrf_token": token[1]})
    assert out.status_code == 302
    assert bo.get("/").status_code == 302  # logged out: to the login page


def reader(page: str) -> str:
    """Whose name the header's logout form shows."""
    found = re.search(r'class="logout-form".*?<span>([^<]*)</span>', page, re.S)
    assert found is not None
    return found[1]


def test_a_message_for_one_reader_is_shown_once_beside_a_cached_overview(
    app: Flask, client: FlaskClient
) -> None:
    build(app, lambda s: make_person(s, email="cc@test.se"))
    other = app.test_client()
    build(app, lambda s: make_person(s, email="dd@test.se"))
    login(other, "dd@test.se")
    other.get("/")
    other.get("/")  # cached for staff now
    login(client, "cc@test.se")
    welcome = client.get("/").get_data(as_text=True)
    assert 'class="flashes"' in welcome
    again = client.get("/").get_data(as_text=True)
    assert 'class="flashes"' not in again


def test_the_overview_for_staff_lacks_leadership_buttons_even_when_cached(
    app: Flask,
) -> None:
    build(
        app,
        lambda s: (
            make_person(s, email="lead@test.se", role=Role.LEADERSHIP),
            make_person(s, email="staff@test.se"),
        ),
    )
    leader, staff = app.test_client(), app.test_client()
    login(leader, "lead@test.se")
    login(staff, "staff@test.se")
    for browser in (leader, staff, leader, staff):
        browser.get("/")
    assert "Ny handlingsplan" in leader.get("/").get_data(as_text=True)
    assert "Ny handlingsplan" not in staff.get("/").get_data(as_text=True)


def test_a_cached_plan_page_moves_with_its_assignments(app: Flask) -> None:
    def setup(s: Any) -> str:
        make_person(s, email="lead@test.se", role=Role.LEADERSHIP)
        make_person(s, email="staff@test.se")
        plan = make_plan(s, title="Planen")
        make_assignment(s, plan, title="Uppdraget")
        return str(plan.slug)

    slug = build(app, setup)
    leader, staff = app.test_client(), app.test_client()
    login(leader, "lead@test.se")
    login(staff, "staff@test.se")
    for browser in (leader, staff, leader, staff):
        browser.get(f"/plans/{slug}")
    page = leader.get(f"/plans/{slug}").get_data(as_text=True)
    assert "Flytta till" in page
    assert "Flytta till" not in staff.get(f"/plans/{slug}").get_data(as_text=True)
    stage = re.search(r'<option value="(\d+)">Pågår</option>', page)
    move = re.search(r'action="(/assignments/\d+/move)"', page)
    token = CSRF_RE.search(page)
    assert stage and move and token
    moved = leader.post(move[1], data={"stage_id": stage[1], "csrf_token": token[1]})
    assert moved.status_code == 302
    after = staff.get(f"/plans/{slug}").get_data(as_text=True)
    assert re.search(r"Pågår <span class=\"count\">\(1\)", after)
    assert staff.get("/plans/ingen-sadan-plan").status_code == 404


def test_a_worker_keeps_only_the_pages_used_last(app: Flask, monkeypatch: Any) -> None:
    monkeypatch.setattr(page_cache, "SIZE", 2)
    slugs = build(
        app,
        lambda s: (
            make_person(s, email="staff@test.se"),
            [str(make_plan(s, title=f"Plan {n}").slug) for n in range(3)],
        )[1],
    )
    client = app.test_client()
    login(client, "staff@test.se")
    client.get("/")
    for path in ["/", *(f"/plans/{slug}" for slug in slugs), "/"]:
        assert client.get(path).status_code == 200
    kept = [key[0] for key in app.extensions["tracker.page_cache"]]
    assert kept == [f"/plans/{slugs[2]}?", "/?"]


def test_a_page_is_kept_in_its_newest_version_only(app: Flask) -> None:
    """A write makes a new version of every page: the one it replaces is dropped,
    not kept beside it until the worker's cache is full."""
    build(app, lambda s: make_person(s, email="staff@test.se"))
    client = app.test_client()
    login(client, "staff@test.se")
    for title in ("Första", "Andra", "Tredje"):
        build(app, lambda s, title=title: make_plan(s, title=title))
        assert title in client.get("/").get_data(as_text=True)
    kept = [key[0] for key in app.extensions["tracker.page_cache"]]
    assert kept.count("/?") == 1


def test_a_change_from_another_connection_shows_at_once(
    fresh_db_url: str, monkeypatch: Any
) -> None:
    app = make_test_app(fresh_db_url)
    engine = app.extensions["tracker.engine"]
    Base.metadata.create_all(engine)

    def setup(s: Any) -> None:
        stages.ensure_stages(s, app.config["WORKFLOW_STAGES"])
        make_person(s, email="ledare@test.se", role=Role.LEADERSHIP)
        make_plan(s, title="Planen som byter namn")

    build(app, setup)
    client = app.test_client()
    login(client, "ledare@test.se")
    client.get("/")
    assert "Planen som byter namn" in client.get("/").get_data(as_text=True)
    with engine.begin() as connection:  # no service, so no activity event
        connection.exec_driver_sql("UPDATE action_plans SET title = 'Nytt namn'")
    if engine.dialect.name == "sqlite":
        # SQLite has no commit marker to read: the page waits out its lifetime
        monkeypatch.setattr(page_cache, "LIFETIME_SECONDS", 0)
    assert "Nytt namn" in client.get("/").get_data(as_text=True)
    dispose(app)


def test_reads_run_outside_a_transaction_and_writes_inside_one(
    fresh_db_url: str,
) -> None:
    app = make_test_app(fresh_db_url)
    engine = app.extensions["tracker.engine"]
    Base.metadata.create_all(engine)
    build(app, lambda s: make_person(s, email="ledare@test.se", role=Role.LEADERSHIP))
    seen: list[tuple[str, bool]] = []
    engines = [engine, app.extensions.get("tracker.read_engine", engine)]

    def note(conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        dbapi = conn.connection.dbapi_connection
        if statement.startswith("BEGIN"):  # SQLite's own, issued by tracker.db
            return
        inside = (
            dbapi.in_transaction
            if engine.dialect.name == "sqlite"
            else not dbapi.autocommit
        )
        seen.append((statement.split()[0], inside))

    for each in engines:
        event.listen(each, "before_cursor_execute", note)
    client = app.test_client()
    login(client, "ledare@test.se")
    seen.clear()
    client.get("/plans/")
    reads = list(seen)
    seen.clear()
    created = post_form(client, "/plans/new", {"title": "Ny plan", "goal": "Mål"})
    assert created.status_code == 302
    writes = [inside for verb, inside in seen if verb == "INSERT"]
    sqlite = engine.dialect.name == "sqlite"
    # on PostgreSQL a read needs no BEGIN and ROLLBACK; SQLite keeps its transaction
    assert reads and all(inside is sqlite for _, inside in reads)
    assert writes and all(writes)
    assert "Ny plan" in client.get("/plans/").get_data(as_text=True)
    dispose(app)


def dispose(app: Flask) -> None:
    for name in ("tracker.engine", "tracker.read_engine"):
        if name in app.extensions:
            app.extensions[name].dispose()


def test_a_plan_card_on_the_overview_follows_its_progress_and_title(app: Flask) -> None:
    def setup(s: Any) -> str:
        make_person(s, email="lead@test.se", role=Role.LEADERSHIP)
        plan = make_plan(s, title="Kortets plan")
        make_assignment(s, plan, title="Första")
        make_assignment(s, plan, title="Andra")
        return str(plan.slug)

    slug = build(app, setup)
    leader = app.test_client()
    login(leader, "lead@test.se")
    leader.get("/")
    assert "0 av 2 uppdrag klara" in leader.get("/").get_data(as_text=True)
    page = leader.get(f"/plans/{slug}").get_data(as_text=True)
    done = re.findall(r'<option value="(\d+)">([^<]+)</option>', page)[-1]
    move = re.search(r'action="(/assignments/\d+/move)"', page)
    token = CSRF_RE.search(page)
    assert move and token
    leader.post(move[1], data={"stage_id": done[0], "csrf_token": token[1]})
    assert "1 av 2 uppdrag klara" in leader.get("/").get_data(as_text=True)
    post_form(leader, f"/plans/{slug}/edit", {"title": "Nytt namn", "goal": "Mål"})
    overview = leader.get("/").get_data(as_text=True)
    cards = re.findall(r"<h3><a [^>]*>([^<]+)</a></h3>", overview)
    assert cards == ["Nytt namn"]


def test_a_kept_piece_of_a_page_never_holds_a_readers_token(app: Flask) -> None:
    template = (
        '{% call fragment("with-form") %}<input value="{{ csrf_token() }}">'
        '{% endcall %}{% call fragment("part") %}{{ own }}{% endcall %}'
    )
    renders = []
    for _reader in range(2):
        with app.test_request_context("/"):
            g.page_cache_parts = {}  # as while a page is rendered for the cache
            own = reader_part("unread")  # a marker for this reader's own part
            page = app.jinja_env.from_string(template).render(own=own)
            renders.append((page, generate_csrf()))
    kept = app.extensions["tracker.fragments"]
    (first, first_token), (second, second_token) = renders
    assert first_token != second_token
    assert first_token in first and second_token in second and first_token not in second
    assert all(first_token not in str(text) for text in kept.values())
    assert "\ue000" in first  # the marker was in the piece, so it was not kept
    assert [key[-1] for key in kept] == ["with-form"]


def test_a_kept_event_line_follows_a_changed_label(app: Flask) -> None:
    """Lines of the feed and rows of a history are kept by content: an event whose
    labels change (the privacy purge rewrites them) shows the new ones at once."""
    from tracker.models.activity import ActivityEvent

    def setup(s: Any) -> int:
        make_person(s, email="lead@test.se", role=Role.LEADERSHIP)
        return int(make_assignment(s, make_plan(s), title="Kartläggning").id)

    assignment_id = build(app, setup)
    leader = app.test_client()
    login(leader, "lead@test.se")
    post_form(
        leader,
        f"/assignments/{assignment_id}/reports",
        {"body": "Det går bra.", "reported_on": "2026-03-02"},
    )
    history = f"/assignments/{assignment_id}"
    for path in ("/activity/?page=1", history):  # the feed's lines, the history's rows
        assert "Kartläggning" in leader.get(path).get_data(as_text=True)

    def relabel(s: Any) -> None:
        for e in s.query(ActivityEvent).filter_by(assignment_id=assignment_id):
            e.object_label = "Omdöpt uppdrag"

    build(app, relabel)
    # not from the page cache (SQLite's data version follows new events only): a
    # filtered feed, and another address of the assignment page
    for path in ("/activity/?page=1", f"{history}?historik=alla"):
        page = leader.get(path).get_data(as_text=True)
        assert "Omdöpt uppdrag" in page, path
