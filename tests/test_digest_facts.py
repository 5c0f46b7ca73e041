"""The digest's facts are read from the activity log for the month in Stockholm."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from factories import happened_at, make_assignment, make_group, make_person, make_plan
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.errors import DomainError
from tracker.models.groups import GroupState, RecruitmentMode
from tracker.models.trello import TrelloBoard
from tracker.services import groups
from tracker.services.digest.facts import collect_facts
from tracker.services.digest.months import Month
from tracker.services.programme import assignments, milestones, stages

MARCH = Month(2026, 3)
FEB = datetime(2026, 2, 10, 12, tzinfo=STOCKHOLM)
MID_MARCH = datetime(2026, 3, 15, 12, tzinfo=STOCKHOLM)
APRIL = datetime(2026, 4, 1, 12, tzinfo=STOCKHOLM)
NOW = datetime(2026, 4, 2, 8, tzinfo=STOCKHOLM)
URL = "https://tracker.test"


def facts(session: Session, month: Month = MARCH, now: datetime = NOW) -> dict:  # type: ignore[type-arg]
    return collect_facts(session, month, now=now, public_url=URL)


def titles(listed: dict) -> list[str]:  # type: ignore[type-arg]
    return [row["title"] for row in listed["rows"]]


@pytest.fixture
def plan_in_march(session: Session):  # type: ignore[no-untyped-def]
    """A plan whose assignments move in February, March and April."""
    _first, middle, done = stages.list_stages(session)
    plan = make_plan(session, title="Digital service")
    with happened_at(session, FEB):
        a = {n: make_assignment(session, plan, title=n) for n in "ABCD"}
        assignments.move_assignment(session, None, a["B"], middle)
        assignments.move_assignment(session, None, a["C"], done)
    with happened_at(session, MID_MARCH):
        a["E"] = make_assignment(session, plan, title="E")
        assignments.move_assignment(session, None, a["A"], middle)
        assignments.move_assignment(session, None, a["B"], done)
        assignments.close_assignment(session, None, a["D"], outcome="", now=MID_MARCH)
    with happened_at(session, APRIL):  # after the month: must not count
        assignments.move_assignment(session, None, a["E"], done)
    session.flush()
    return plan, a


def test_progress_is_counted_at_the_month_end_with_the_change(
    session: Session, plan_in_march
) -> None:  # type: ignore[no-untyped-def]
    plan, _ = plan_in_march
    (row,) = [p for p in facts(session)["plans"] if p["title"] == plan.title]
    assert (row["done"], row["total"], row["percent"]) == (2, 4, 50)
    assert (row["done_before"], row["change"]) == (1, 1)
    assert row["change_text"] == "1 fler klara uppdrag än i februari"
    assert row["bar_url"] == f"{URL}/blogg/stapel/1/2/4.svg"
    assert row["url"] == f"{URL}/plans/{plan.slug}"


def test_assignments_new_started_finished_and_ended_in_the_month(
    session: Session, plan_in_march
) -> None:  # type: ignore[no-untyped-def]
    listed = facts(session)["assignments"]
    assert titles(listed["new"]) == ["E"]
    assert titles(listed["started"]) == ["A"]
    assert titles(listed["finished"]) == ["B"]
    assert titles(listed["ended"]) == ["D"]
    assert listed["new"]["rows"][0]["plan"] == "Digital service"


def test_what_happened_after_the_month_changes_nothing(
    session: Session, plan_in_march
) -> None:  # type: ignore[no-untyped-def]
    _, a = plan_in_march
    with happened_at(session, APRIL):
        assignments.reopen_assignment(session, None, a["D"])
    listed = facts(session)["assignments"]
    assert titles(listed["ended"]) == ["D"]  # it was ended at the month's end
    (row,) = facts(session)["plans"]
    assert row["total"] == 4


def test_milestones_reached_but_not_those_reopened_again(session: Session) -> None:
    assignment = make_assignment(session, title="Utbildning")
    kept = milestones.add_milestone(
        session, None, assignment, title="Kursplan klar", due_on=None
    )
    undone = milestones.add_milestone(
        session, None, assignment, title="Lokal bokad", due_on=None
    )
    with happened_at(session, MID_MARCH):
        milestones.set_done(session, None, kept, True, MID_MARCH)
        milestones.set_done(session, None, undone, True, MID_MARCH)
        milestones.set_done(session, None, undone, False, MID_MARCH)
    reached = facts(session)["milestones"]
    assert titles(reached) == ["Kursplan klar"]
    assert reached["rows"][0]["assignment"] == "Utbildning"


def test_groups_started_and_closed(session: Session) -> None:
    started, closed = make_group(session, name="Startar"), make_group(session)
    with happened_at(session, MID_MARCH):
        groups.set_state(session, None, started, GroupState.ACTIVE, MID_MARCH)
        groups.set_state(session, None, closed, GroupState.CLOSED, MID_MARCH)
    result = facts(session)
    assert [r["name"] for r in result["groups_started"]["rows"]] == ["Startar"]
    assert [r["name"] for r in result["groups_closed"]["rows"]] == [closed.name]


def test_new_members_are_counted_but_only_named_if_not_opted_out(
    session: Session,
) -> None:
    group = make_group(session, name="Språkstöd")
    named = make_person(session, name="Amina Berg")
    hidden = make_person(session, name="Hemlig Person", digest_opt_out=True)
    earlier = make_person(session, name="Tidigare Medlem")
    for person, day in ((named, 3), (hidden, 20), (earlier, -5)):
        joined = date(2026, 3, 1) + timedelta(days=day)
        groups.add_member(session, None, group, person, today=joined)
    members = facts(session)["members"]
    assert members["count"] == 2
    (entry,) = members["groups"]
    assert entry["names"] == ["Amina Berg"]
    assert entry["unnamed"] == 1


def open_call(session: Session, name: str, deadline: date, opened: datetime):  # type: ignore[no-untyped-def]
    group = make_group(
        session,
        name=name,
        recruitment=RecruitmentMode.FIRST_COME,
        signup_deadline=deadline,
    )
    group.created_at = opened - timedelta(days=1)
    with happened_at(session, opened):
        groups.set_state(session, None, group, GroupState.RECRUITING, opened)
    return group


def test_open_calls_are_those_open_at_the_months_end_with_their_state_now(
    session: Session,
) -> None:
    later = open_call(session, "Öppen grupp", date(2026, 4, 20), MID_MARCH)
    nearest = open_call(session, "Öppen grupp 2", date(2026, 4, 10), MID_MARCH)
    open_call(session, "Öppnad i april", date(2026, 4, 30), APRIL)
    open_call(session, "Stängd i mars", date(2026, 3, 20), MID_MARCH)
    with happened_at(session, APRIL):  # closed after the month, before publishing
        groups.set_state(session, None, later, GroupState.ACTIVE, APRIL)
    result = facts(session)
    calls = {c["name"]: c for c in result["open_calls"]}
    assert list(calls) == [nearest.name, later.name]  # the nearest deadline first
    assert calls[nearest.name]["deadline_label"] == "10 april 2026"
    assert calls[nearest.name]["open_now"] and not calls[later.name]["open_now"]
    assert result["apply_url"] == f"{URL}/anmalningar/"
    assert result["summary"][2].startswith("Härnäst i april 2026: 1 arbetsgrupp")


def test_next_month_lists_milestones_and_assignment_ends(session: Session) -> None:
    assignment = make_assignment(session, title="Pilot", ends_on=date(2026, 4, 30))
    milestones.add_milestone(
        session, None, assignment, title="Halvtid", due_on=date(2026, 4, 15)
    )
    coming = facts(session)["coming"]
    assert [r["title"] for r in coming["milestones"]["rows"]] == ["Halvtid"]
    assert coming["milestones"]["rows"][0]["date_label"] == "15 april 2026"
    assert [r["title"] for r in coming["ending"]["rows"]] == ["Pilot"]


def test_trello_board_links_appear_when_a_board_is_linked(session: Session) -> None:
    linked, unlinked = make_plan(session), make_plan(session)
    session.add(
        TrelloBoard(plan_id=linked.id, board_id="b1", url="https://trello.com/b/x")
    )
    session.flush()
    rows = {p["title"]: p for p in facts(session)["plans"]}
    assert rows[linked.title]["trello_url"] == "https://trello.com/b/x"
    assert rows[unlinked.title]["trello_url"] == ""


def test_an_empty_month_is_marked_empty(session: Session) -> None:
    make_plan(session)
    result = facts(session, Month(2026, 1))
    assert result["empty"] is True


def test_the_current_month_is_a_preview_so_far(session: Session) -> None:
    result = facts(session, Month(2026, 4), now=NOW)
    assert result["partial"] is True
    assert result["as_of_label"] == "2 april 2026"


def test_a_month_not_begun_cannot_be_drafted(session: Session) -> None:
    with pytest.raises(DomainError):
        facts(session, Month(2026, 5), now=NOW)


def test_the_month_window_is_stockholm_time(session: Session) -> None:
    # 23:30 on 31 March in Stockholm is 21:30 UTC: still March
    late = datetime(2026, 3, 31, 23, 30, tzinfo=STOCKHOLM)
    with happened_at(session, late):
        make_assignment(session, title="Sent i mars")
    assert titles(facts(session)["assignments"]["new"]) == ["Sent i mars"]
    assert facts(session, Month(2026, 4))["assignments"]["new"]["count"] == 0


def test_long_lists_are_capped_with_a_count(session: Session) -> None:
    plan = make_plan(session)
    with happened_at(session, MID_MARCH):
        for n in range(30):
            make_assignment(session, plan, title=f"Uppdrag {n:02d}")
    new = facts(session)["assignments"]["new"]
    assert (new["count"], len(new["rows"]), new["more"]) == (30, 25, 5)


@pytest.mark.parametrize(
    ("text", "month"), [("2026-3", (2026, 3)), ("2026-12", (2026, 12))]
)
def test_months_parse(text: str, month: tuple[int, int]) -> None:
    assert (Month.parse(text).year, Month.parse(text).month) == month


@pytest.mark.parametrize("text", ["2026", "2026-13", "mars", "1999-01", ""])
def test_bad_months_are_refused_in_swedish_terms(text: str) -> None:
    with pytest.raises(DomainError):
        Month.parse(text)


def test_an_assignment_reopened_in_the_month_was_ended_at_its_start(
    session: Session,
) -> None:
    plan = make_plan(session)
    with happened_at(session, FEB):
        back = make_assignment(session, plan, title="Tillbaka")
        assignments.close_assignment(session, None, back, outcome="", now=FEB)
    with happened_at(session, MID_MARCH):
        assignments.reopen_assignment(session, None, back)
    (row,) = [p for p in facts(session)["plans"] if p["title"] == plan.title]
    assert (row["total"], row["done_before"]) == (1, 0)
    listed = facts(session)["assignments"]
    assert listed["ended"]["count"] == 0 and listed["new"]["count"] == 0
    before = facts(session, Month(2026, 2))["assignments"]
    assert titles(before["ended"]) == ["Tillbaka"]
