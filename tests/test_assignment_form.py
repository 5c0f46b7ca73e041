"""The assignment form's milestone rows and responsible list, the group checklist."""

from __future__ import annotations

import re
from typing import Any

import pytest
from conftest import login, post_form
from factories import make_assignment, make_department, make_person, make_plan
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from tracker.db import get_session
from tracker.models.assignments import Assignment, Milestone
from tracker.models.groups import WorkingGroup
from tracker.models.people import Role
from tracker.services import people

NOT_RESPONSIBLE = "Välj en aktiv medarbetare som ansvarig."


def build(app: Flask, fn: Any) -> Any:
    with app.app_context():
        result = fn(get_session())
        get_session().commit()
        return result


def count(app: Flask, model: type) -> int:
    with app.app_context():
        return get_session().scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def leader(app: Flask, client: FlaskClient) -> FlaskClient:
    build(app, lambda s: make_person(s, email="ledare@form.se", role=Role.LEADERSHIP))
    login(client, "ledare@form.se")
    return client


def make_citizen(session: Any, name: str) -> Any:
    """A citizen: external, no login, consent recorded."""
    from datetime import date

    return people.create_person(
        session,
        None,
        people.PersonValues(name=name),
        external=True,
        consent_on=date(2026, 1, 5),
    )


def test_two_filled_milestone_rows_and_a_blank_one_give_two_milestones(
    app: Flask, leader: FlaskClient
) -> None:
    plan = build(app, make_plan)
    response = post_form(
        leader,
        f"/assignments/new/{plan.slug}",
        {
            "title": "Kartlägga flöden",
            "new_milestones-0-title": "Intervjuer klara",
            "new_milestones-0-due_on": "2026-03-01",
            "new_milestones-1-title": "",
            "new_milestones-1-due_on": "",
            "new_milestones-2-title": "Rapport till ledningen",
            "new_milestones-2-due_on": "",
        },
    )
    assert response.status_code == 302
    page = leader.get(response.headers["Location"]).get_data(as_text=True)
    assert "Intervjuer klara" in page and "Rapport till ledningen" in page
    with app.app_context():
        assignment = (
            get_session()
            .scalars(select(Assignment).where(Assignment.title == "Kartlägga flöden"))
            .one()
        )
        titles = sorted(
            (m.title, m.due_on.isoformat() if m.due_on else None)
            for m in assignment.milestones
        )
    assert titles == [
        ("Intervjuer klara", "2026-03-01"),
        ("Rapport till ledningen", None),
    ]


def test_a_row_with_a_date_but_no_title_saves_nothing(
    app: Flask, leader: FlaskClient
) -> None:
    plan = build(app, make_plan)
    assignments_before, milestones_before = (
        count(app, Assignment),
        count(app, Milestone),
    )
    response = post_form(
        leader,
        f"/assignments/new/{plan.slug}",
        {
            "title": "Halvfärdigt uppdrag",
            "new_milestones-0-title": "Ett bra delmål",
            "new_milestones-1-title": " ",
            "new_milestones-1-due_on": "2026-04-01",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Skriv vad milstolpen är, eller ta bort datumet." in page
    assert 'aria-invalid="true"' in page
    assert count(app, Assignment) == assignments_before
    assert count(app, Milestone) == milestones_before


def test_rows_added_by_the_script_beyond_the_first_three_are_saved(
    app: Flask, leader: FlaskClient
) -> None:
    """rows.js numbers copied rows on; the server takes them like the first ones."""
    plan = build(app, make_plan)
    data = {"title": "Många milstolpar"}
    for index in range(5):
        data[f"new_milestones-{index}-title"] = f"Steg {index + 1}"
    assert post_form(leader, f"/assignments/new/{plan.slug}", data).status_code == 302
    with app.app_context():
        assignment = (
            get_session()
            .scalars(select(Assignment).where(Assignment.title == "Många milstolpar"))
            .one()
        )
        assert len(assignment.milestones) == 5


def test_editing_adds_new_milestones_and_keeps_the_old(
    app: Flask, leader: FlaskClient
) -> None:
    assignment = build(app, lambda s: make_assignment(s, title="Befintligt"))
    path = f"/assignments/{assignment.id}/edit"
    first = post_form(
        leader, path, {"title": "Befintligt", "new_milestones-0-title": "Först"}
    )
    assert first.status_code == 302
    form = leader.get(path).get_data(as_text=True)
    assert "Först" in form  # shown as a milestone so far, not as an editable row
    assert 'value="Först"' not in form
    second = post_form(
        leader, path, {"title": "Befintligt", "new_milestones-0-title": "Sedan"}
    )
    assert second.status_code == 302
    with app.app_context():
        stored = get_session().get(Assignment, assignment.id)
        assert stored is not None
        assert sorted(m.title for m in stored.milestones) == ["Först", "Sedan"]


def test_the_responsible_list_is_grouped_by_department_without_citizens(
    app: Flask, leader: FlaskClient
) -> None:
    def setup(s: Any) -> Any:
        social = make_department(s, "Socialtjänst")
        make_person(s, name="Karin Lund", department=social)
        left = make_person(s, name="Olle Slutat", department=social, login=False)
        left.active = False
        make_citizen(s, "Invånare Amira")
        return make_plan(s)

    plan = build(app, setup)
    page = leader.get(f"/assignments/new/{plan.slug}").get_data(as_text=True)
    select_html = re.search(
        r'<select[^>]*name="responsible_id".*?</select>', page, re.S
    )
    assert select_html is not None
    options = select_html.group(0)
    group = re.search(r'<optgroup label="Socialtjänst">(.*?)</optgroup>', options)
    assert group is not None and "Karin Lund" in group.group(1)
    assert "Invånare Amira" not in options
    assert "Olle Slutat" not in options
    assert "data-combobox" in options and "combobox.js" in page


def test_a_forged_citizen_as_responsible_is_refused(
    app: Flask, leader: FlaskClient
) -> None:
    def setup(s: Any) -> tuple[Any, Any]:
        return make_citizen(s, "Invånare Bengt"), make_assignment(s, title="Mitt")

    citizen, assignment = build(app, setup)
    before = count(app, Assignment)
    plan_slug = build(app, lambda s: s.get(Assignment, assignment.id).plan.slug)
    created = post_form(
        leader,
        f"/assignments/new/{plan_slug}",
        {"title": "Smugglat", "responsible_id": str(citizen.id)},
    )
    assert created.status_code == 200
    assert NOT_RESPONSIBLE in created.get_data(as_text=True)
    assert count(app, Assignment) == before
    edited = post_form(
        leader,
        f"/assignments/{assignment.id}/edit",
        {"title": "Mitt", "responsible_id": str(citizen.id)},
    )
    assert NOT_RESPONSIBLE in edited.get_data(as_text=True)
    with app.app_context():
        stored = get_session().get(Assignment, assignment.id)
        assert stored is not None and stored.responsible_id is None


def test_a_staff_member_can_be_made_responsible(
    app: Flask, leader: FlaskClient
) -> None:
    def setup(s: Any) -> tuple[Any, Any]:
        return make_person(s, name="Karin Lund"), make_assignment(s, title="Mitt")

    karin, assignment = build(app, setup)
    response = post_form(
        leader,
        f"/assignments/{assignment.id}/edit",
        {"title": "Mitt", "responsible_id": str(karin.id)},
    )
    assert response.status_code == 302
    with app.app_context():
        stored = get_session().get(Assignment, assignment.id)
        assert stored is not None and stored.responsible_id == karin.id


def test_group_form_checklist_saves_the_ticked_assignments(
    app: Flask, leader: FlaskClient
) -> None:
    def setup(s: Any) -> tuple[Any, Any, Any]:
        plan = make_plan(s, title="Processorganisation")
        return (
            make_assignment(s, plan, title="Kartlägga"),
            make_assignment(s, plan, title="Pilot"),
            make_assignment(s, plan, title="Utbilda"),
        )

    first, second, third = build(app, setup)
    form = leader.get("/groups/new").get_data(as_text=True)
    assert "<legend>Processorganisation</legend>" in form
    assert f'type="checkbox" name="assignment_ids" value="{first.id}"' in form
    assert "checklist.js" in form
    response = post_form(
        leader,
        "/groups/new",
        {
            "name": "Checklistegruppen",
            "seats": "5",
            "recruitment": "invited",
            "assignment_ids": [str(first.id), str(third.id)],
        },
    )
    assert response.status_code == 302
    with app.app_context():
        group = (
            get_session()
            .scalars(
                select(WorkingGroup).where(WorkingGroup.name == "Checklistegruppen")
            )
            .one()
        )
        assert sorted(a.title for a in group.assignments) == ["Kartlägga", "Utbilda"]
    edit = leader.get(response.headers["Location"] + "/edit").get_data(as_text=True)
    assert f'value="{first.id}" id="assignment_ids-{first.id}" checked' in edit
    assert f'value="{second.id}" id="assignment_ids-{second.id}">' in edit


def test_an_old_assignment_keeps_a_responsible_who_is_no_longer_eligible(
    app: Flask, leader: FlaskClient
) -> None:
    """Set before the rule (or since left): saving other fields does not fail."""

    def setup(s: Any) -> tuple[Any, Any]:
        gone = make_person(s, name="Gunnel Slutat", login=False)
        assignment = make_assignment(s, title="Gammalt", responsible=gone)
        gone.active = False
        return gone, assignment

    gone, assignment = build(app, setup)
    path = f"/assignments/{assignment.id}/edit"
    assert "Gunnel Slutat" in leader.get(path).get_data(as_text=True)
    response = post_form(
        leader, path, {"title": "Gammalt nytt", "responsible_id": str(gone.id)}
    )
    assert response.status_code == 302
    with app.app_context():
        stored = get_session().get(Assignment, assignment.id)
        assert stored is not None
        assert (stored.title, stored.responsible_id) == ("Gammalt nytt", gone.id)


def test_no_way_in_makes_a_citizen_or_a_leaver_responsible(session: Any) -> None:
    """The rule is the domain's, so the JSON API, the CSV import and the CLI keep it
    too: creating or changing an assignment refuses them; who already is may stay."""
    from tracker.errors import DomainError
    from tracker.services.programme import assignments

    citizen = make_citizen(session, "Invånare Bengt")
    leaver = make_person(session, name="Lars Slutat", email="lars@test.se")
    leaver.active = False
    plan = make_plan(session, title="Planen")
    for person in (citizen, leaver):
        with pytest.raises(DomainError):
            assignments.create_assignment(
                session,
                None,
                plan,
                assignments.AssignmentValues(title="Nytt", responsible=person),
            )
    kept = make_assignment(session, plan, title="Gammalt")
    kept.responsible = leaver  # made responsible while still employed
    session.flush()
    assignments.update_assignment(
        session,
        None,
        kept,
        assignments.AssignmentValues(title="Gammalt, nytt namn", responsible=leaver),
    )
    with pytest.raises(DomainError):
        assignments.update_assignment(
            session,
            None,
            kept,
            assignments.AssignmentValues(title="Gammalt", responsible=citizen),
        )
    assert kept.responsible_id == leaver.id
