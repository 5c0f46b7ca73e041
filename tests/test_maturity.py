"""Maturity measurement: rounds, anonymous answers, results only for groups of five."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from factories import make_department, make_person, make_plan
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.maturity import MaturityParticipation, MaturityRound
from tracker.models.people import Department, Person
from tracker.services.governance import aims, answers, chart, maturity, results

TODAY = date(2026, 11, 10)


def open_round(
    session: Session,
    departments: list[Department],
    *,
    opens_on: date = date(2026, 11, 1),
    closes_on: date = date(2026, 11, 30),
    title: str = "Hösten 2026",
) -> MaturityRound:
    values = maturity.RoundValues(title, opens_on, closes_on, departments)
    return maturity.open_round(session, None, values)


def all_at(measured: MaturityRound, level: int) -> dict[int, int | None]:
    return {d.id: level for d in measured.model.dimensions}


def staff(session: Session, department: Department, n: int) -> list[Person]:
    return [make_person(session, department=department) for _ in range(n)]


def test_default_model_has_six_dimensions_with_five_levels(session: Session) -> None:
    model = maturity.default_model(session)
    names = [d.name for d in model.dimensions]
    assert names[0] == "Processägarskap" and names[-1] == "Lärande"
    assert len(names) == 6
    assert all(len(d.levels) == 5 for d in model.dimensions)
    assert maturity.default_model(session).id == model.id  # made once


@pytest.mark.parametrize(
    ("opens_on", "closes_on", "chosen", "field"),
    [
        (date(2026, 11, 1), date(2026, 10, 1), True, "closes_on"),
        (date(2026, 11, 1), date(2026, 11, 30), False, "department_ids"),
        (None, date(2026, 11, 30), True, "opens_on"),
    ],
)
def test_bad_round_is_refused_and_nothing_is_made(
    session: Session,
    opens_on: date | None,
    closes_on: date,
    chosen: bool,
    field: str,
) -> None:
    department = make_department(session)
    values = maturity.RoundValues(
        "Hösten", opens_on, closes_on, [department] if chosen else []
    )
    with pytest.raises(DomainError) as caught:
        maturity.open_round(session, None, values)
    assert caught.value.field == field
    assert session.scalar(select(func.count(MaturityRound.id))) == 0


def test_answer_counts_without_keeping_who_chose_what(session: Session) -> None:
    department = make_department(session)
    measured = open_round(session, [department])
    person = make_person(session, department=department)
    answers.answer(session, person, measured, all_at(measured, 4), today=TODAY)
    assert answers.has_answered(session, measured, person)
    # no table that knows the person also knows a level
    columns = {c.key for c in inspect(MaturityParticipation).columns}
    assert columns == {"round_id", "person_id"}


def test_second_answer_is_refused_and_not_counted(session: Session) -> None:
    department = make_department(session)
    measured = open_round(session, [department])
    people = staff(session, department, 5)
    for person in people:
        answers.answer(session, person, measured, all_at(measured, 2), today=TODAY)
    with pytest.raises(DomainError, match=r"redan svarat|already answered"):
        answers.answer(session, people[0], measured, all_at(measured, 5), today=TODAY)
    measured.closed_at = datetime(2026, 11, 20, tzinfo=UTC)
    result = results.round_result(session, measured, min_group=5)
    cell = result.rows[0].cells[department.id]
    assert cell is not None and cell.count == 5 and cell.mean == 2


def test_answer_outside_department_closed_round_or_bad_level(session: Session) -> None:
    asked, other = make_department(session), make_department(session)
    measured = open_round(session, [asked])
    outsider = make_person(session, department=other)
    with pytest.raises(DomainError):
        answers.answer(session, outsider, measured, all_at(measured, 3), today=TODAY)
    insider = make_person(session, department=asked)
    with pytest.raises(DomainError):  # after the round
        answers.answer(
            session, insider, measured, all_at(measured, 3), today=date(2026, 12, 1)
        )
    with pytest.raises(DomainError) as caught:
        answers.answer(session, insider, measured, all_at(measured, 6), today=TODAY)
    assert caught.value.field is not None and caught.value.field.startswith("d")
    assert not answers.has_answered(session, measured, insider)


def test_department_with_four_answers_shows_nothing(session: Session) -> None:
    big, small = make_department(session, "Stora"), make_department(session, "Lilla")
    measured = open_round(session, [big, small])
    for person in staff(session, big, 5):
        answers.answer(session, person, measured, all_at(measured, 3), today=TODAY)
    for person in staff(session, small, 4):
        answers.answer(session, person, measured, all_at(measured, 5), today=TODAY)
    later = date(2026, 12, 5)
    result = results.round_result(session, measured, min_group=5)
    assert results.shown(measured, later)
    for row in result.rows:
        assert row.cells[small.id] is None
        big_cell = row.cells[big.id]
        assert big_cell is not None and big_cell.count == 5
        # the total is only the shown departments: the small one adds nothing
        assert row.total is not None and row.total.count == 5 and row.total.mean == 3


def test_change_since_previous_round_and_chart(session: Session) -> None:
    department = make_department(session)
    spring = open_round(
        session,
        [department],
        opens_on=date(2026, 3, 1),
        closes_on=date(2026, 3, 31),
        title="Våren",
    )
    for person in staff(session, department, 5):
        answers.answer(
            session, person, spring, all_at(spring, 2), today=date(2026, 3, 10)
        )
    autumn = open_round(session, [department])
    for person in staff(session, department, 6):
        answers.answer(session, person, autumn, all_at(autumn, 3), today=TODAY)
    result = results.latest_result(session, date(2026, 12, 5), min_group=5)
    assert result is not None and result.previous is not None
    assert result.previous.id == spring.id
    assert result.rows[0].total is not None
    assert result.rows[0].total.change == 1.0
    drawn = chart.bars(result)
    assert drawn is not None and drawn.bars[0].before == 2.0
    assert drawn.bars[0].now_width > drawn.bars[0].before_width  # type: ignore[operator]


def test_plan_aims_show_beside_the_dimension(session: Session) -> None:
    department = make_department(session)
    measured = open_round(session, [department])
    plan = make_plan(session)
    first = measured.model.dimensions[0]
    aims.set_plan_dimensions(session, None, plan, [first.id, 999999])
    assert [d.id for d in aims.dimensions_of(session, plan)] == [first.id]
    result = results.round_result(session, measured, min_group=5)
    assert [p.id for p in result.rows[0].plans] == [plan.id]
    assert result.rows[1].plans == []


def test_round_mail_invites_once_and_reminds_only_who_has_not_answered(
    session: Session,
) -> None:
    from tracker.models.mail import OutboxMessage
    from tracker.services.governance import invitations

    department = make_department(session)
    people = staff(session, department, 3)
    measured = open_round(session, [department])
    settings = invitations.RoundMail("https://tracker.test", reminder_days=3)
    now = datetime(2026, 11, 10, 6, tzinfo=UTC)

    def sent() -> list[OutboxMessage]:
        return list(session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))

    assert invitations.send_round_mail(session, settings, today=TODAY, now=now) == 3
    assert invitations.send_round_mail(session, settings, today=TODAY, now=now) == 0
    first = sent()[0]
    assert first.subject == "Svara på Hösten 2026"
    assert f"/mognad/omgang/{measured.id}/svara" in first.body
    answers.answer(session, people[0], measured, all_at(measured, 3), today=TODAY)
    near = date(2026, 11, 28)
    assert invitations.send_round_mail(session, settings, today=near, now=now) == 2
    reminders = sent()[3:]
    assert {m.person_id for m in reminders} == {people[1].id, people[2].id}
    assert all(m.subject.startswith("Påminnelse") for m in reminders)
    assert invitations.send_round_mail(session, settings, today=near, now=now) == 0
