"""Decisions, evaluations, method steps and maturity over HTTP, as users meet them."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from conftest import login, post_form
from factories import (
    make_assignment,
    make_department,
    make_group,
    make_person,
    make_plan,
)
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tracker import clock
from tracker.db import get_session
from tracker.models.decisions import Decision
from tracker.models.groups import GroupState
from tracker.models.maturity import MaturityParticipation
from tracker.models.people import Role
from tracker.services import groups
from tracker.services.governance import answers, maturity


def build(app: Flask, fn: Any) -> Any:
    with app.app_context():
        result = fn(get_session())
        get_session().commit()
        return result


def leader_in(app: Flask, client: FlaskClient, role: Role = Role.LEADERSHIP) -> None:
    build(app, lambda s: make_person(s, role=role, email="chef@test.se"))
    login(client, "chef@test.se")


def decision_count(app: Flask) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count(Decision.id))) or 0


def test_leadership_records_a_decision_that_shows_on_the_plan(
    app: Flask, client: FlaskClient
) -> None:
    plan = build(app, lambda s: make_plan(s, title="Bli en processorganisation"))
    plan_id, slug = plan.id, plan.slug
    leader_in(app, client)
    page = client.get("/beslut/nytt").get_data(as_text=True)
    assert "Beslutande organ" in page and "Nämnd" in page
    with app.app_context():
        from tracker.services.governance import decisions

        body_id = decisions.list_bodies(get_session())[0].id
    response = post_form(
        client,
        "/beslut/nytt",
        {
            "decided_on": "2026-11-12",
            "body_id": str(body_id),
            "reference": "AMN 2026/123",
            "title": "Handlingsplanen antas",
            "text": "Nämnden antar *planen*.",
            "owner_id": "",
            "plan_ids": [str(plan_id)],
        },
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "Beslutet är registrerat" in text and "AMN 2026/123" in text
    assert "Handlingsplanen antas" in client.get(f"/plans/{slug}").get_data(
        as_text=True
    )
    assert "registrerade beslutet" in client.get("/activity/").get_data(as_text=True)
    assert "Handlingsplanen antas" in client.get("/beslut/?q=antas").get_data(
        as_text=True
    )


def test_decision_without_date_body_or_title_changes_nothing(
    app: Flask, client: FlaskClient
) -> None:
    leader_in(app, client)
    client.get("/beslut/nytt")
    response = post_form(
        client, "/beslut/nytt", {"decided_on": "", "body_id": "", "title": ""}
    )
    text = response.get_data(as_text=True)
    assert response.status_code == 200
    for message in (
        "Ange datum för beslutet.",
        "Välj vilket organ som beslutade.",
        "Skriv beslutets rubrik.",
    ):
        assert message in text
    assert decision_count(app) == 0


def test_staff_reads_decisions_but_cannot_record(
    app: Flask, client: FlaskClient
) -> None:
    build(app, lambda s: make_person(s, email="anna@test.se"))
    login(client, "anna@test.se")
    assert client.get("/beslut/").status_code == 200
    assert client.get("/beslut/nytt").status_code == 403


def test_closed_group_evaluation_appears_among_the_plans_lessons(
    app: Flask, client: FlaskClient
) -> None:
    def world(session: Any) -> tuple[str, str]:
        plan = make_plan(session)
        group = make_group(session, assignments=[make_assignment(session, plan)])
        groups.set_state(session, None, group, GroupState.CLOSED, clock.now())
        return plan.slug, group.slug

    plan_slug, group_slug = build(app, world)
    leader_in(app, client)
    assert "Utvärdera" in client.get(f"/groups/{group_slug}").get_data(as_text=True)
    waiting = client.get("/utvarderingar/").get_data(as_text=True)
    assert "Väntar på din utvärdering" in waiting
    assert f"/utvarderingar/grupp/{group_slug}" in waiting
    response = post_form(
        client,
        f"/utvarderingar/grupp/{group_slug}",
        {
            "evaluated_on": "2026-11-20",
            "worked": "Korta möten.",
            "adjust": "Vi bjuder in invånare tidigare.",
            "interview_count": "25",
            "interview_roles": "handläggare, chefer",
            "findings": "Invånare vill ha en kontaktperson.\nEn bild saknas.",
        },
        follow_redirects=True,
    )
    assert "Utvärderingen är sparad" in response.get_data(as_text=True)
    plan_page = client.get(f"/plans/{plan_slug}").get_data(as_text=True)
    assert "Lärdomar" in plan_page
    assert "Invånare vill ha en kontaktperson." in plan_page
    found = client.get("/utvarderingar/?q=kontaktperson").get_data(as_text=True)
    assert "Invånare vill ha en kontaktperson." in found
    assert "Väntar på din utvärdering" not in found


def test_evaluation_without_any_text_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    def world(session: Any) -> str:
        group = make_group(session)
        groups.set_state(session, None, group, GroupState.CLOSED, clock.now())
        return group.slug

    slug = build(app, world)
    leader_in(app, client)
    response = post_form(
        client,
        f"/utvarderingar/grupp/{slug}",
        {"evaluated_on": "2026-11-20", "interview_count": "-3"},
    )
    text = response.get_data(as_text=True)
    assert "Ange antalet intervjuer som ett heltal, 0 eller fler." in text
    response = post_form(
        client, f"/utvarderingar/grupp/{slug}", {"evaluated_on": "2026-11-20"}
    )
    assert "Skriv åtminstone vad som fungerade" in response.get_data(as_text=True)


def test_plan_moves_to_a_method_step(app: Flask, client: FlaskClient) -> None:
    slug = build(app, lambda s: make_plan(s).slug)
    leader_in(app, client)
    page = client.get(f"/metod/{slug}").get_data(as_text=True)
    assert "Steg 1 Förbereda och förankra" in page
    response = post_form(
        client,
        f"/metod/{slug}",
        {
            "step_id": _option_value(page, "Steg 1 Förbereda och förankra"),
            "entered_on": "2026-10-01",
            "purpose": "Förankra planen i ledningen.",
            "goal": "",
        },
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "Steg 1 Förbereda och förankra" in text
    assert "Förankra planen i ledningen." in text
    assert "Steg 1 Förbereda och förankra" in client.get("/").get_data(as_text=True)


def test_group_mandate_is_asked_for_and_shown(app: Flask, client: FlaskClient) -> None:
    leader_in(app, client)
    assert "Hur ska ni följa upp ert arbete?" in client.get("/groups/new").get_data(
        as_text=True
    )
    response = post_form(
        client,
        "/groups/new",
        {
            "name": "Mandatgruppen",
            "mandate": "Gruppen får besluta om sina arbetsformer.",
            "ambition": "Ett förslag till våren.",
            "follow_up": "Månadsvis avstämning.",
            "seats": "6",
            "recruitment": "invited",
        },
        follow_redirects=True,
    )
    text = response.get_data(as_text=True)
    assert "Gruppen får besluta om sina arbetsformer." in text
    assert "Månadsvis avstämning." in text


def _option_value(page: str, label: str) -> str:
    match = re.search(
        rf'<option[^>]*value="(\d+)"[^>]*>{re.escape(label)}</option>', page
    )
    assert match, label
    return match.group(1)


def open_round(app: Flask, sizes: dict[str, int]) -> tuple[int, dict[str, int]]:
    """A round asking departments of the given sizes; returns its id and dept ids."""

    def world(session: Any) -> tuple[int, dict[str, int]]:
        departments = {name: make_department(session, name) for name in sizes}
        for name, size in sizes.items():
            for number in range(size):
                make_person(
                    session,
                    department=departments[name],
                    email=f"{name.lower()}{number}@test.se",
                )
        today = clock.today()
        measured = maturity.open_round(
            session,
            None,
            maturity.RoundValues(
                "Hösten",
                today - timedelta(days=1),
                today + timedelta(days=10),
                list(departments.values()),
            ),
        )
        return measured.id, {n: d.id for n, d in departments.items()}

    return build(app, world)


def test_staff_answer_once_and_a_department_of_four_shows_nothing(
    app: Flask, client: FlaskClient
) -> None:
    round_id, _ids = open_round(app, {"Stora": 5, "Lilla": 4})
    login(client, "stora0@test.se")
    assert "Hösten" in client.get("/mognad/").get_data(as_text=True)
    page = client.get(f"/mognad/omgang/{round_id}/svara").get_data(as_text=True)
    fields = sorted(set(re.findall(r'name="(d\d+)"', page)))
    assert len(fields) == 6
    bad = post_form(
        client, f"/mognad/omgang/{round_id}/svara", dict.fromkeys(fields, "7")
    )
    assert "Välj en nivå från 1 till 5." in bad.get_data(as_text=True)
    good = post_form(
        client,
        f"/mognad/omgang/{round_id}/svara",
        dict.fromkeys(fields, "4"),
        follow_redirects=True,
    )
    assert "Ditt svar är räknat, anonymt" in good.get_data(as_text=True)
    again = post_form(
        client, f"/mognad/omgang/{round_id}/svara", dict.fromkeys(fields, "2")
    )
    assert "Du har redan svarat" in again.get_data(as_text=True)

    def the_rest(session: Any) -> None:
        from tracker.models.maturity import MaturityRound
        from tracker.models.people import Person

        measured = session.get(MaturityRound, round_id)
        people = session.scalars(
            select(Person).where(Person.email.like("%@test.se"))
        ).all()
        for person in people:
            if person.email != "stora0@test.se" and person.department_id:
                levels = {d.id: 1 for d in measured.model.dimensions}
                answers.answer(session, person, measured, levels, today=clock.today())
        measured.closed_at = datetime.now(UTC)

    build(app, the_rest)
    with app.app_context():
        counted = get_session().scalar(
            select(func.count()).select_from(MaturityParticipation)
        )
    assert counted == 9
    page = client.get(f"/mognad/omgang/{round_id}").get_data(as_text=True)
    assert "Visas inte" in page
    assert "5 svar" in page  # the big department
    assert not re.search(r"\b4 svar", page), re.findall(r".{80}\b4 svar.{20}", page)
    assert "<svg" in page and "<table" in page
    overview = client.get("/").get_data(as_text=True)
    assert "Mognadsmätning" in overview and "Processägarskap" in overview


def test_answering_outside_ones_department_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    round_id, _ids = open_round(app, {"Stora": 1})
    build(
        app,
        lambda s: make_person(
            s, department=make_department(s, "Annan"), email="annan@test.se"
        ),
    )
    login(client, "annan@test.se")
    page = client.get(f"/mognad/omgang/{round_id}/svara").get_data(as_text=True)
    assert "Din verksamhetsdel är inte tillfrågad" in page
    fields = sorted(set(re.findall(r'name="(d\d+)"', page)))
    response = post_form(
        client, f"/mognad/omgang/{round_id}/svara", dict.fromkeys(fields, "3")
    )
    assert "Din verksamhetsdel är inte tillfrågad" in response.get_data(as_text=True)
    with app.app_context():
        assert (
            get_session().scalar(
                select(func.count()).select_from(MaturityParticipation)
            )
            == 0
        )


def test_admin_round_with_no_departments_or_ending_first_is_refused(
    app: Flask, client: FlaskClient
) -> None:
    leader_in(app, client, Role.ADMIN)
    build(app, lambda s: make_department(s, "Enheten"))
    client.get("/mognad/omgang/ny")
    response = post_form(
        client,
        "/mognad/omgang/ny",
        {"title": "Våren", "opens_on": "2026-12-10", "closes_on": "2026-12-01"},
    )
    text = response.get_data(as_text=True)
    assert "Omgången kan inte stänga innan den öppnar." in text
    response = post_form(
        client,
        "/mognad/omgang/ny",
        {"title": "Våren", "opens_on": "2026-12-01", "closes_on": "2026-12-10"},
    )
    assert "Välj minst en verksamhetsdel att fråga." in response.get_data(as_text=True)
    with app.app_context():
        assert maturity.list_rounds(get_session()) == []


def test_responsible_staff_is_asked_for_their_ended_assignment_only(
    app: Flask, client: FlaskClient
) -> None:
    def world(session: Any) -> tuple[int, int]:
        from tracker.services.programme import assignments

        anna = make_person(session, email="anna@test.se")
        mine = make_assignment(session, responsible=anna, title="Annas uppdrag")
        theirs = make_assignment(session, title="Någon annans uppdrag")
        for ended in (mine, theirs):
            assignments.close_assignment(
                session, None, ended, outcome="Klart.", now=clock.now()
            )
        return mine.id, theirs.id

    mine, theirs = build(app, world)
    login(client, "anna@test.se")
    page = client.get("/utvarderingar/").get_data(as_text=True)
    assert "Annas uppdrag" in page and "Någon annans uppdrag" not in page
    assert "Utvärdera" in client.get(f"/assignments/{mine}").get_data(as_text=True)
    assert client.get(f"/utvarderingar/uppdrag/{theirs}").status_code == 403
    response = post_form(
        client,
        f"/utvarderingar/uppdrag/{mine}",
        {"evaluated_on": "2026-11-20", "did_not_work": "För lite tid."},
        follow_redirects=True,
    )
    assert "Utvärderingen är sparad" in response.get_data(as_text=True)
