"""Recruitment through HTTP, CSRF on: apply, Mina sidor, select, confirm, receipt."""

from __future__ import annotations

import json
from datetime import date, timedelta

from conftest import csrf_token, login, post_form
from factories import make_application, make_department, make_open_call, make_person
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models.activity import ActivityEvent
from tracker.models.applications import Application, ApplicationStatus, SelectionRun
from tracker.models.people import Role
from tracker.services import groups


def make_call(session: Session, n: int = 5) -> object:
    group = make_open_call(session, seats=2, signup_deadline=date(2099, 1, 1))
    for _ in range(n):
        make_application(session, group, department=make_department(session))
    session.commit()
    return group


def test_staff_applies_sees_edits_and_withdraws(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    group = make_open_call(session, signup_deadline=date(2099, 1, 1))
    dept = make_department(session, "Vård")
    person = make_person(session, department=dept, email="sokande@test.se")
    session.commit()
    login(client, "sokande@test.se")
    page = client.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert f"/anmalningar/{group.slug}/ansok" in page
    form = client.get(f"/anmalningar/{group.slug}/ansok").get_data(as_text=True)
    assert f'<option selected value="{dept.id}">' in form  # prefilled from the profile
    missing = post_form(
        client, f"/anmalningar/{group.slug}/ansok", {"department_id": dept.id}
    )
    assert "motivering" in missing.get_data(as_text=True)
    sent = post_form(
        client,
        f"/anmalningar/{group.slug}/ansok",
        {"department_id": dept.id, "years_experience": 3, "motivation": "Gärna!"},
        follow_redirects=True,
    )
    page = sent.get_data(as_text=True)
    assert "Inskickad" in page and group.name in page
    again = post_form(
        client,
        f"/anmalningar/{group.slug}/ansok",
        {"department_id": dept.id, "motivation": "Igen"},
    )
    assert "redan" in again.get_data(as_text=True)
    application = session.scalars(
        select(Application).where(Application.person_id == person.id)
    ).one()
    post_form(
        client,
        f"/anmalningar/{application.id}/andra",
        {"department_id": dept.id, "motivation": "Ny text"},
    )
    session.refresh(application)
    assert application.motivation == "Ny text"
    post_form(client, f"/anmalningar/{application.id}/aterkalla")
    session.refresh(application)
    assert application.status is ApplicationStatus.WITHDRAWN
    data = json.loads(client.get("/me/data.json").get_data(as_text=True))
    assert data["applications"][0]["status"] == "withdrawn"


def test_leadership_selects_swaps_confirms_and_applicants_see_receipts(
    app: Flask, client: FlaskClient, session: Session
) -> None:
    group = make_call(session)
    group.signup_deadline = clock.today() - timedelta(days=1)  # the call has closed
    make_person(session, role=Role.LEADERSHIP, email="ledare@test.se")
    session.commit()
    login(client, "ledare@test.se")
    page = client.get(f"/anmalningar/{group.slug}/urval").get_data(as_text=True)
    assert "Frö" in page or "frö" in page
    post_form(client, f"/anmalningar/{group.slug}/urval", {"seed": 99})
    page = client.get(f"/anmalningar/{group.slug}/urval").get_data(as_text=True)
    assert "bevisat den största möjliga bredden" in page and "Täckning" in page
    run = session.scalars(select(SelectionRun)).one()
    out_id = run.proposal["selected"][0]
    in_id = next(
        c["id"]
        for c in run.inputs["candidates"]
        if c["id"] not in run.proposal["selected"]
    )
    url = f"/anmalningar/urval/{run.id}/byt"
    post_form(client, url, {"out_id": out_id, "in_id": in_id, "reason": ""})
    session.refresh(run)
    assert run.changes == []
    post_form(client, url, {"out_id": out_id, "in_id": in_id, "reason": "Språkkunskap"})
    session.refresh(run)
    assert run.changes[0]["reason"] == "Språkkunskap"
    post_form(client, f"/anmalningar/urval/{run.id}/bekrafta")
    session.refresh(run)
    assert run.confirmed_at is not None
    assert groups.count_members(session, group) == 2
    verify = client.get(f"/anmalningar/urval/{run.id}/verifiera").get_data(as_text=True)
    assert "stämmer" in verify
    client.get(f"/anmalningar/ansokan/{in_id}")
    viewed = session.scalars(
        select(ActivityEvent).where(ActivityEvent.verb == "application_viewed")
    ).all()
    assert len(viewed) == 1
    loser = session.scalars(
        select(Application).where(Application.status == ApplicationStatus.NOT_SELECTED)
    ).first()
    assert loser is not None and loser.person is not None
    applicant = app.test_client()
    login(applicant, loser.person.email or "")
    receipt = applicant.get(f"/anmalningar/{loser.id}/kvitto").get_data(as_text=True)
    assert "99" in receipt and "Inte utvald" in receipt
    other = next(c["id"] for c in run.inputs["candidates"] if c["id"] != loser.id)
    assert applicant.get(f"/anmalningar/{other}/kvitto").status_code == 404


def test_pins_beyond_seats_show_a_clear_error(
    client: FlaskClient, session: Session
) -> None:
    group = make_call(session, 4)
    make_person(session, role=Role.LEADERSHIP, email="ledare2@test.se")
    session.commit()
    login(client, "ledare2@test.se")
    ids = [a.id for a in session.scalars(select(Application))]
    token = csrf_token(client, f"/anmalningar/{group.slug}/urval")
    page = client.post(
        f"/anmalningar/{group.slug}/urval",
        data={"csrf_token": token, "seed": 1, "pinned": ids[:3]},
    ).get_data(as_text=True)
    assert "bara 2 platser" in page or "only 2 seats" in page
    assert session.scalars(select(SelectionRun)).first() is None


def test_select_command_prints_json(app: Flask, session: Session) -> None:
    group = make_call(session, 6)
    result = app.test_cli_runner().invoke(
        args=["select", group.slug, "--seed", "5", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["seed"] == 5 and len(data["selected"]) == 2
    assert data["proven_optimal"] is True
    assert len(data["applicants"]) == 6 and set(data["probabilities"]) == {
        str(a["id"]) for a in data["applicants"]
    }
    assert session.scalars(select(SelectionRun)).first() is None  # nothing stored


def test_admin_outbox_shows_what_would_have_been_sent(
    client: FlaskClient, session: Session
) -> None:
    group = make_call(session, 1)
    make_person(session, role=Role.ADMIN, email="admin@test.se")
    session.commit()
    login(client, "admin@test.se")
    page = client.get("/admin/outbox/").get_data(as_text=True)
    assert "SMTP är inte inställt" in page and group.name in page  # type: ignore[attr-defined]
