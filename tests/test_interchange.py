"""CSV export and import: the round trip, Swedish Excel, bad files change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from conftest import login, post_form
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import demo
from tracker.db import get_session
from tracker.models.assignments import Assignment, Milestone
from tracker.models.plans import ActionPlan
from tracker.services import interchange
from tracker.services.interchange import tables
from tracker.services.interchange.cells import quote, unquote
from tracker.services.programme import stages

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
SEMICOLON = interchange.CsvOptions(separator=";")


@pytest.fixture
def db(app: Flask) -> Iterator[Session]:
    """The app's session with the demo programme, in a request context (Swedish)."""
    with app.test_request_context():
        session = get_session()
        stages.ensure_stages(session, app.config["WORKFLOW_STAGES"])
        demo.load(session, password="demo-lösen")
        session.flush()
        yield session


def export_bytes(session: Session, options: interchange.CsvOptions) -> dict[str, bytes]:
    return {
        name: interchange.export_table(session, name, options) for name in tables.FILES
    }


def problems_of(session: Session, files: dict[str, bytes]) -> list[str]:
    with pytest.raises(interchange.ImportProblems) as caught:
        interchange.import_files(session, files, actor=None, now=NOW)
    return [str(problem) for problem in caught.value.problems]


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_export_import_export_is_byte_identical_on_the_demo(db: Session) -> None:
    first = export_bytes(db, SEMICOLON)
    summary = interchange.import_files(db, first, actor=None, now=NOW)
    assert summary.created == {} and summary.updated == {}
    second = export_bytes(db, SEMICOLON)
    assert second == first
    rows = sum(data.count(b"\r\n") - 1 for data in first.values())
    assert rows > 50


def test_files_open_in_swedish_excel(db: Session) -> None:
    data = export_bytes(db, SEMICOLON)[tables.PLANS]
    assert data.startswith("\ufeff".encode())
    header = data.decode("utf-8-sig").split("\r\n")[0]
    assert header == ";".join(tables.COLUMNS[tables.PLANS])
    assert (
        "Invånaren".encode() in export_bytes(db, SEMICOLON)[tables.PLANS]
        or "å".encode() in data
    )


def test_formulas_are_neutralised_and_come_back_unchanged(db: Session) -> None:
    plan = db.scalars(select(ActionPlan)).first()
    assert plan is not None
    plan.goal = '=HYPERLINK("http://evil.test","klicka")'
    plan.title = "@summa"
    db.flush()
    data = export_bytes(db, interchange.CsvOptions())
    assert "'=HYPERLINK" in data[tables.PLANS].decode("utf-8-sig")
    assert "'@summa" in data[tables.PLANS].decode("utf-8-sig")
    interchange.import_files(db, data, actor=None, now=NOW)
    db.refresh(plan)
    assert plan.title == "@summa" and plan.goal.startswith("=HYPERLINK")
    for text in ["=1+1", "'=1", "''+2", "'plain", "-", "\ttab", "", "vanlig text"]:
        assert unquote(quote(text)) == text


def test_import_updates_by_key_and_creates_new_rows(db: Session) -> None:
    plans_before, assignments_before = count(db, ActionPlan), count(db, Assignment)
    text = interchange.export_table(db, tables.PLANS, SEMICOLON).decode("utf-8-sig")
    first_slug = text.split("\r\n")[1].split(";")[0]
    text += "ny-plan;En ny plan;Målet.;ledning@demo.se;9;active\r\n"
    text = text.replace(f"{first_slug};", f"{first_slug};Nytt namn;", 1)
    lines = text.split("\r\n")
    parts = lines[1].split(";")
    del parts[2]  # the old title: "Nytt namn" took its place
    lines[1] = ";".join(parts)
    assignments_csv = (
        "id,plan,title,description,stage,responsible,starts_on,ends_on,"
        "documents_link,outcome,position,groups\r\n"
        ",ny-plan,Första uppdraget,,Planerad,,2026-04-01,2026-06-30,,,0,\r\n"
    )
    summary = interchange.import_files(
        db,
        {
            tables.PLANS: "\r\n".join(lines).encode(),
            tables.ASSIGNMENTS: assignments_csv.encode(),
        },
        actor=None,
        now=NOW,
    )
    assert summary.created == {tables.PLANS: 1, tables.ASSIGNMENTS: 1}
    assert summary.updated == {tables.PLANS: 1}
    assert count(db, ActionPlan) == plans_before + 1
    assert count(db, Assignment) == assignments_before + 1
    renamed = db.scalar(select(ActionPlan).where(ActionPlan.slug == first_slug))
    assert renamed is not None and renamed.title == "Nytt namn"
    again = interchange.import_files(
        db, export_bytes(db, SEMICOLON), actor=None, now=NOW
    )
    assert again.created == {}


def test_every_bad_row_is_reported_in_swedish_and_nothing_changes(db: Session) -> None:
    before = export_bytes(db, SEMICOLON)
    assignment_id = db.scalars(select(Assignment.id)).first()
    milestones = (
        "id;assignment;title;due_on;done\r\n"
        ";99999999;Fel uppdrag;31/02/2026;kanske\r\n"
        f";{assignment_id};;2026-02-31;ja\r\n"
    )
    plans_csv = (
        "slug;title;goal;owner;position;state\r\n"
        "en-plan;Plan A;;okand@demo.se;1;active\r\n"
        "en-plan;Plan B;;;x;paused\r\n"
    )
    problems = problems_of(
        db, {tables.MILESTONES: milestones.encode(), tables.PLANS: plans_csv.encode()}
    )
    text = "\n".join(problems)
    assert "milestones.csv, rad 2, kolumn assignment" in text
    assert "milestones.csv, rad 2, kolumn due_on: 31/02/2026 är inget datum" in text
    assert "milestones.csv, rad 2, kolumn done" in text
    assert "milestones.csv, rad 3, kolumn title" in text
    assert "milestones.csv, rad 3, kolumn due_on" in text
    assert "plans.csv, rad 2, kolumn owner" in text
    assert "plans.csv, rad 3, kolumn slug: en-plan finns också på rad 2" in text
    assert "plans.csv, rad 3, kolumn position" in text
    assert "plans.csv, rad 3, kolumn state" in text
    assert len(problems) == 9
    assert export_bytes(db, SEMICOLON) == before


def test_a_missing_column_and_an_unknown_file_are_refused(db: Session) -> None:
    problems = problems_of(
        db,
        {
            tables.PLANS: b"slug,title,goal,owner,position\r\nx,X,,,1\r\n",
            "people.csv": b"name\r\nA\r\n",
            tables.GROUPS: b"\xff\xfe",
            tables.MILESTONES: b"id,assignment,title,due_on,done\r\n,1,\x00,,nej\r\n",
        },
    )
    text = "\n".join(problems)
    assert "plans.csv: Kolumn saknas: state." in text
    assert "people.csv: Okänt filnamn." in text
    assert "groups.csv: Filen är inte UTF-8" in text
    assert "milestones.csv: Filen innehåller NUL-tecken" in text


def test_bom_or_not_comma_or_semicolon_windows_or_unix_line_ends(db: Session) -> None:
    for options in (
        interchange.CsvOptions(),
        interchange.CsvOptions(separator=";", bom=False),
    ):
        for name, data in export_bytes(db, options).items():
            unix = data.replace(b"\r\n", b"\n")
            for variant in (data, unix):
                summary = interchange.import_files(
                    db, {name: variant}, actor=None, now=NOW
                )
                assert summary.created == {} and summary.updated == {}, name


def test_milestone_done_and_membership_dates(db: Session) -> None:
    milestone = db.scalars(select(Milestone).where(Milestone.done.is_(False))).first()
    assert milestone is not None
    csv = (
        "id;assignment;title;due_on;done\r\n"
        f"{milestone.id};{milestone.assignment_id};{milestone.title};;ja\r\n"
    )
    interchange.import_files(db, {tables.MILESTONES: csv.encode()}, actor=None, now=NOW)
    assert milestone.done and milestone.done_at == NOW and milestone.due_on is None
    bad = (
        "id;group;person;role;joined_on;left_on\r\n"
        ";utvecklingsgruppen;ledning@demo.se;lead;2026-05-01;2026-04-01\r\n"
        ";utvecklingsgruppen;;member;;\r\n"
    )
    text = "\n".join(problems_of(db, {tables.MEMBERSHIPS: bad.encode()}))
    assert "rad 2, kolumn left_on: Slutdatum får inte vara före startdatum." in text
    assert "rad 3, kolumn person" in text and "rad 3, kolumn joined_on" in text


def test_the_cli_exports_checks_and_imports(
    app: Flask, db: Session, tmp_path: Path
) -> None:
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "csv", str(tmp_path), "--separator", ";"])
    assert result.exit_code == 0, result.output
    assert "plans.csv" in result.output
    (tmp_path / tables.PLANS).write_bytes(
        b"slug;title;goal;owner;position;state\r\nx;;;;1;active\r\n"
    )
    result = runner.invoke(args=["import", "csv", str(tmp_path), "--dry-run"])
    assert result.exit_code != 0
    assert "plans.csv, rad 2, kolumn title" in result.output


def test_the_plan_and_group_pages_download_their_rows_for_logins_only(
    app: Flask, client: FlaskClient
) -> None:
    from factories import make_assignment, make_group, make_person, make_plan

    from tracker.models.groups import MemberRole
    from tracker.services import groups

    with app.app_context():
        session = get_session()
        stages.ensure_stages(session, app.config["WORKFLOW_STAGES"])
        make_person(session, email="las@csv.se")
        member = make_person(session, email="medlem@csv.se")
        plan, other = make_plan(session), make_plan(session)
        make_assignment(session, plan, title="=SUMMA(A1)")
        make_assignment(session, other, title="Annan plans uppdrag")
        group, other_group = make_group(session), make_group(session)
        groups.add_member(
            session, None, group, member, role=MemberRole.MEMBER, today=NOW.date()
        )
        slugs = plan.slug, group.slug, other_group.slug
        session.commit()
    plan_url, group_url = (
        f"/plans/{slugs[0]}/uppdrag.csv",
        f"/groups/{slugs[1]}/medlemmar.csv",
    )
    assert client.get(plan_url).status_code == 302  # to the login page
    login(client, "las@csv.se")
    page = client.get(f"/plans/{slugs[0]}").get_data(as_text=True)
    assert plan_url in page and "Ladda ner uppdragen (CSV för Excel)" in page
    download = client.get(plan_url)
    assert download.status_code == 200 and download.mimetype == "text/csv"
    assert "attachment" in download.headers["Content-Disposition"]
    text = download.data.decode("utf-8")
    assert text.startswith("\ufeffid;plan;title;")  # Swedish Excel: BOM and `;`
    assert "'=SUMMA(A1)" in text  # the formula neutralised
    assert "Annan plans uppdrag" not in text
    assert len(text.strip().split("\r\n")) == 2
    assert group_url in client.get(f"/groups/{slugs[1]}").get_data(as_text=True)
    members = client.get(group_url).data.decode("utf-8")
    assert "medlem@csv.se" in members and len(members.strip().split("\r\n")) == 2
    empty = client.get(f"/groups/{slugs[2]}/medlemmar.csv").data.decode("utf-8")
    assert len(empty.strip().split("\r\n")) == 1  # the header only
    assert client.get("/plans/finns-inte/uppdrag.csv").status_code == 404


def test_leadership_downloads_an_application_list_and_the_download_is_logged(
    app: Flask, client: FlaskClient
) -> None:
    from factories import make_application, make_open_call, make_person

    from tracker.models.activity import ActivityEvent
    from tracker.models.people import Role

    with app.app_context():
        session = get_session()
        make_person(session, email="chef@csv.se", role=Role.LEADERSHIP)
        make_person(session, email="las@csv.se")
        call = make_open_call(session)
        applicant = make_person(session, name="Anna Sökande", email="anna@csv.se")
        make_application(session, call, applicant, motivation="Hemlig motivering")
        slug = call.slug
        session.commit()
    url = f"/anmalningar/{slug}/ansokningar.csv"
    login(client, "las@csv.se")
    assert client.get(url).status_code == 403
    post_form(client, "/logout")
    login(client, "chef@csv.se")
    assert url in client.get(f"/anmalningar/{slug}/urval").get_data(as_text=True)
    download = client.get(url)
    assert download.status_code == 200 and download.mimetype == "text/csv"
    text = download.data.decode("utf-8")
    assert text.startswith("\ufeffname;email;status;")
    assert "Anna Sökande;anna@csv.se;" in text
    assert "Hemlig motivering" not in text  # motivations stay in the tracker
    with app.app_context():
        events = get_session().scalars(
            select(ActivityEvent).where(ActivityEvent.verb == "applications_downloaded")
        )
        logged = [(e.actor_label, e.object_label, e.subject_id) for e in events]
    assert len(logged) == 1 and logged[0][2] is None  # who, of which call; nobody else
    feed = client.get("/activity/").get_data(as_text=True)
    assert "laddade ner listan över ansökningar till" in feed
    assert "/activity/handelser.csv" in feed
    rows = client.get("/activity/handelser.csv").data.decode("utf-8")
    assert rows.startswith("\ufefftime;actor;verb;object_type;object")
    assert "laddade ner listan över ansökningar till" in rows
    post_form(client, "/logout")
    login(client, "las@csv.se")
    staff_feed = client.get("/activity/").get_data(as_text=True)
    assert "laddade ner listan över ansökningar till" not in staff_feed
    staff_rows = client.get("/activity/handelser.csv").data.decode("utf-8")
    assert "laddade ner listan över ansökningar till" not in staff_rows
    assert "/activity/handelser.csv?actor=x" in client.get(
        "/activity/?actor=x"
    ).get_data(as_text=True)
