"""Leadership's selection page, guarded and honest: no confirming while the call is
open without a written reason, a summary before confirming, a changed panel never
called the widest, the selected first with what each adds in words."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

import pytest
from conftest import login, post_form
from factories import (
    make_application,
    make_competence,
    make_department,
    make_open_call,
    make_person,
)
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models.activity import ActivityEvent
from tracker.models.applications import SelectionRun
from tracker.models.groups import WorkingGroup
from tracker.models.people import Role


def text_of(html: str) -> str:
    """The page's words, tags and repeated white space removed."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def call(session: Session, client: FlaskClient) -> tuple[WorkingGroup, dict[str, Any]]:
    """Two seats; Anna (Vård) and Cecilia (Vård, worked in Skola before) and Bo
    (Ekonomi); the call is open until 2099. Leadership is logged in."""
    group = make_open_call(session, seats=2, signup_deadline=date(2099, 1, 1))
    care, economy, school = (
        make_department(session, n) for n in ("Vård", "Ekonomi", "Skola")
    )
    talk, law = make_competence(session, "Samtal"), make_competence(session, "Juridik")
    people = {}
    for name, department, former, competences in (
        ("Anna", care, [], [talk]),
        ("Bo", economy, [], [law]),
        ("Cecilia", care, [school], [talk]),
    ):
        person = make_person(session, name=f"{name} Andersson")
        people[name] = make_application(
            session,
            group,
            person,
            department=department,
            former_departments=former,
            competences=competences,
        )
    make_person(session, role=Role.LEADERSHIP, email="ledare@test.se")
    session.commit()
    login(client, "ledare@test.se")
    return group, people


def propose(client: FlaskClient, group: WorkingGroup, session: Session) -> SelectionRun:
    post_form(client, f"/anmalningar/{group.slug}/urval", {"seed": 7})
    return session.scalars(select(SelectionRun)).one()


def test_breadth_counts_former_departments(
    client: FlaskClient, session: Session, call: Any
) -> None:
    group, people = call
    run = propose(client, group, session)
    # Cecilia brings Vård and Skola, so she and Bo cover three departments
    assert sorted(run.proposal["selected"]) == sorted(
        [people["Bo"].id, people["Cecilia"].id]
    )
    assert run.proposal["breadth"]["departments"] == 3
    page = client.get(f"/anmalningar/{group.slug}/urval").get_data(as_text=True)
    assert "tidigare: Skola" in page


def test_selected_come_first_with_what_they_add_in_words(
    client: FlaskClient, session: Session, call: Any
) -> None:
    group, _people = call
    propose(client, group, session)
    page = client.get(f"/anmalningar/{group.slug}/urval").get_data(as_text=True)
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = [text_of(row) for row in body.split("<tr>")[1:]]
    assert "Anna Andersson" in rows[-1]  # the one not selected comes last
    assert any("tillför 2 nya verksamhetsdelar och 1 ny kompetens" in r for r in rows)
    assert any("tillför 1 ny verksamhetsdel och 1 ny kompetens" in r for r in rows)
    assert "bevisat den största möjliga bredden" in page
    assert "Vem som tillfrågas först när en plats blir ledig." in page


def test_a_changed_panel_is_shown_against_the_widest_and_never_called_optimal(
    client: FlaskClient, session: Session, call: Any
) -> None:
    group, people = call
    run = propose(client, group, session)
    post_form(
        client,
        f"/anmalningar/urval/{run.id}/byt",
        {"out_id": people["Cecilia"].id, "in_id": people["Anna"].id, "reason": "Tid"},
    )
    page = text_of(
        client.get(f"/anmalningar/{group.slug}/urval").get_data(as_text=True)
    )
    assert "2 · 2 · 0 av möjliga 3 · 2 · 0" in page
    assert "bevisat" not in page.lower() and "optimal" not in page.lower()
    group.signup_deadline = clock.today() - timedelta(days=1)
    session.commit()
    post_form(client, f"/anmalningar/urval/{run.id}/bekrafta")
    page = text_of(
        client.get(f"/anmalningar/{group.slug}/urval").get_data(as_text=True)
    )
    assert "Bekräftat urval" in page
    assert "2 · 2 · 0 av möjliga 3 · 2 · 0" in page and "bevisat" not in page.lower()


def test_confirming_while_the_call_is_open_needs_a_written_reason(
    client: FlaskClient, session: Session, call: Any
) -> None:
    group, _people = call
    run = propose(client, group, session)
    refused = post_form(
        client, f"/anmalningar/urval/{run.id}/bekrafta", {"confirm-reason": "  "}
    )
    text = text_of(refused.get_data(as_text=True))
    assert refused.status_code == 200
    assert "Anmälan är öppen till och med 1 jan. 2099" in text
    session.refresh(run)
    assert run.confirmed_at is None
    done = post_form(
        client,
        f"/anmalningar/urval/{run.id}/bekrafta",
        {"confirm-reason": "Gruppen behöver börja nu."},
    )
    assert done.status_code == 302
    session.refresh(run)
    session.refresh(group)
    assert run.confirmed_at is not None
    assert group.signup_deadline == clock.today()
    event = session.scalars(
        select(ActivityEvent).where(ActivityEvent.verb == "call_closed_early")
    ).one()
    assert event.after is not None
    assert event.after["reason"] == "Gruppen behöver börja nu."
    history = text_of(client.get(f"/groups/{group.slug}").get_data(as_text=True))
    assert "stängde anmälan i förtid till" in history
    assert "Skäl: – → Gruppen behöver börja nu." in history


def test_confirming_opens_a_summary_as_a_dialog_or_a_page_of_its_own(
    client: FlaskClient, session: Session, call: Any
) -> None:
    group, _people = call
    run = propose(client, group, session)
    page = client.get(f"/anmalningar/{group.slug}/urval").get_data(as_text=True)
    confirm_url = f"/anmalningar/urval/{run.id}/bekrafta"
    assert f'href="{confirm_url}" data-dialog="confirm-dialog"' in page
    dialog = page.split('<dialog id="confirm-dialog"', 1)[1].split("</dialog>", 1)[0]
    assert 'aria-labelledby="confirm-dialog-heading"' in dialog
    for html in (dialog, client.get(confirm_url).get_data(as_text=True)):
        text = text_of(html)
        assert "2 blir utvalda Bo Andersson, Cecilia Andersson" in text
        assert "1 sökande får besked om det" in text
        assert "Stäng anmälan och bekräfta" in text
    session.refresh(run)
    assert run.confirmed_at is None  # looking changes nothing


def test_apply_again_after_withdrawing(session: Session, client: FlaskClient) -> None:
    group = make_open_call(session, signup_deadline=date(2099, 1, 1))
    department = make_department(session, "Vård")
    make_person(session, department=department, email="sokande@test.se")
    session.commit()
    login(client, "sokande@test.se")
    values = {"department_id": department.id, "motivation": "Gärna!"}
    post_form(client, f"/anmalningar/{group.slug}/ansok", values)
    page = client.get("/me/").get_data(as_text=True)
    application_id = re.search(r"/anmalningar/(\d+)/aterkalla", page).group(1)  # type: ignore[union-attr]
    post_form(client, f"/anmalningar/{application_id}/aterkalla")
    page = client.get(f"/groups/{group.slug}").get_data(as_text=True)
    assert "Anmäl dig igen" in page
    again = post_form(client, f"/anmalningar/{group.slug}/ansok", values)
    assert again.status_code == 302
    page = text_of(client.get(f"/groups/{group.slug}").get_data(as_text=True))
    assert "Din anmälan: Inskickad" in page and "Anmäl dig igen" not in page


def test_leadership_finds_people_to_invite_by_department_and_competence(
    session: Session, client: FlaskClient
) -> None:
    from factories import make_group

    from tracker.models.groups import RecruitmentMode

    group = make_group(session, recruitment=RecruitmentMode.INVITED)
    care, school = make_department(session, "Vård"), make_department(session, "Skola")
    law = make_competence(session, "Juridik")
    make_person(session, name="Ada Vård", department=care, competences=[law])
    make_person(session, name="Bertil Vård", department=care)
    make_person(session, name="Cilla Skola", department=school, competences=[law])
    make_person(session, role=Role.LEADERSHIP, email="ledare@test.se")
    session.commit()
    login(client, "ledare@test.se")
    url = f"/groups/{group.slug}?department={care.id}&competence={law.id}"
    page = text_of(client.get(url).get_data(as_text=True))
    assert "Bjud in Ada Vård" in page
    assert "Bertil Vård" not in page and "Cilla Skola" not in page
    page = client.get(url).get_data(as_text=True)
    email = re.search(r'name="person" value="([^"]+)"', page).group(1)  # type: ignore[union-attr]
    post_form(client, f"/anmalningar/{group.slug}/bjud-in", {"person": email})
    page = text_of(client.get(url).get_data(as_text=True))
    assert "Bjud in Ada Vård" not in page  # invited already
    assert "Ingen passar som inte redan är medlem" in page
    bad = client.get(f"/groups/{group.slug}?department=x&competence=99999")
    assert bad.status_code == 200
