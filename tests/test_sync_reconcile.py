"""Reconcile: the board as the tracker says, Trello's changes back, one read a board."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from factories import make_assignment, make_group, make_person, make_plan
from fakes.trello import FakeTrello
from fakes.trello_app import run_sync, sync_app, writes
from flask import Flask
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.models.activity import ActivityEvent
from tracker.models.assignments import Assignment
from tracker.models.groups import GroupState, RecruitmentMode
from tracker.models.plans import ActionPlan
from tracker.models.trello import Side, TrelloBoard, TrelloCard, TrelloConflict
from tracker.services import groups
from tracker.services.programme import assignments, milestones, stages


@pytest.fixture
def fake() -> Iterator[FakeTrello]:
    with FakeTrello() as server:
        yield server


@pytest.fixture
def app(db_url: str, connection: Connection, fake: FakeTrello) -> Flask:
    return sync_app(db_url, connection, fake)


@pytest.fixture
def plan(session: Session) -> ActionPlan:
    """A plan with one assignment, served by a recruiting group, two milestones."""
    plan = make_plan(session, title="Invånaren som medskapare")
    assignment = make_assignment(
        session,
        plan,
        description="Vi bjuder in invånare.",
        starts_on=date(2026, 2, 1),
        ends_on=date(2026, 6, 30),
    )
    group = make_group(
        session,
        name="Referensgruppen",
        assignments=[assignment],
        recruitment=RecruitmentMode.OPEN_CALL,
        signup_deadline=date(2026, 3, 1),
    )
    groups.set_state(session, None, group, GroupState.RECRUITING, clock.now())
    first = milestones.add_milestone(
        session, None, assignment, title="Startmöte", due_on=date(2026, 2, 10)
    )
    milestones.set_done(session, None, first, True, clock.now())
    milestones.add_milestone(
        session, None, assignment, title="Delrapport", due_on=date(2026, 4, 1)
    )
    session.commit()
    return plan


def only_assignment(session: Session, plan: ActionPlan) -> Assignment:
    session.expire_all()
    return session.scalars(
        select(Assignment).where(Assignment.plan_id == plan.id).order_by(Assignment.id)
    ).first()  # type: ignore[return-value]


def only_card(fake: FakeTrello, plan: ActionPlan) -> dict:  # type: ignore[type-arg]
    [card] = fake.cards(fake.board_by_name(plan.title)["id"])
    return card


def test_first_sync_builds_the_board_as_the_tracker_says(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    [report] = run_sync(app)
    assert report.error == ""
    board = fake.board_by_name("Invånaren som medskapare")
    lists = sorted(
        (x for x in fake.store.lists.values() if x["idBoard"] == board["id"]),
        key=lambda x: x["pos"],
    )
    assert [x["name"] for x in lists] == ["Planerad", "Pågår", "Klar"]
    assignment = only_assignment(session, plan)
    card = only_card(fake, plan)
    assert card["name"] == assignment.title
    assert card["idList"] == lists[0]["id"]
    assert card["desc"].startswith("Vi bjuder in invånare.")
    assert f"https://tracker.test/assignments/{assignment.id}" in card["desc"]
    assert "Referensgruppen" in card["desc"]
    assert "https://tracker.test/anmalningar/" in card["desc"]
    assert f"[tracker:assignment:{assignment.id}]" in card["desc"]
    assert card["due"].startswith("2026-06-30") and card["start"].startswith(
        "2026-02-01"
    )
    labels = {fake.store.labels[i]["name"] for i in card["idLabels"]}
    assert labels == {"Referensgruppen", "Öppen anmälan"}
    [checklist] = [fake.store.checklists[i] for i in card["idChecklists"]]
    assert checklist["name"] == "Milstolpar"
    assert [(i["name"], i["state"]) for i in checklist["checkItems"]] == [
        ("Startmöte", "complete"),
        ("Delrapport", "incomplete"),
    ]
    assert report.created == 1 + 3 + 2 + 1 + 1 + 2  # board lists labels card list items


def test_a_reconcile_without_changes_is_one_request_per_board_and_no_writes(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    make_plan(session, title="Andra planen")
    session.commit()
    run_sync(app)
    mark = fake.request_count
    reports = run_sync(app)
    made = fake.requests_since(mark)
    assert len(made) == 2
    assert all(e.method == "GET" and e.path.startswith("/1/boards/") for e in made)
    assert [(r.created, r.updated, r.pulled, r.conflicts) for r in reports] == [
        (0, 0, 0, 0)
    ] * 2


def test_one_change_in_the_tracker_costs_one_write(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    assignment = only_assignment(session, plan)
    _edit(session, assignment, title="Nytt namn")
    mark = fake.request_count
    [report] = run_sync(app)
    [put] = writes(fake.requests_since(mark))
    assert (put.method, set(put.args)) == ("PUT", {"name"})
    assert only_card(fake, plan)["name"] == "Nytt namn"
    assert (report.updated, report.requests) == (1, 2)


def test_several_changed_fields_go_in_one_put(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    assignment = only_assignment(session, plan)
    _edit(session, assignment, title="Ny titel", ends_on=date(2026, 9, 30))
    mark = fake.request_count
    run_sync(app)
    [put] = writes(fake.requests_since(mark))
    assert set(put.args) == {"name", "due"}
    assert only_card(fake, plan)["due"].startswith("2026-09-30")


def test_a_card_moved_in_trello_moves_the_assignment(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    card = only_card(fake, plan)
    doing = fake.list_named(card["idBoard"], "Pågår")
    fake.update_card(card["id"], idList=doing["id"])
    mark = fake.request_count
    [report] = run_sync(app)
    assert writes(fake.requests_since(mark)) == []
    assignment = only_assignment(session, plan)
    assert assignment.stage.name == "Pågår"
    assert report.pulled == 1
    moved = session.scalars(
        select(ActivityEvent).where(
            ActivityEvent.assignment_id == assignment.id, ActivityEvent.verb == "moved"
        )
    ).all()
    assert [e.after for e in moved] == [{"stage": "Pågår"}]
    mark = fake.request_count
    run_sync(app)
    assert len(fake.requests_since(mark)) == 1  # and the echo changes nothing


def test_dates_and_title_edited_in_trello_are_pulled(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    card = only_card(fake, plan)
    fake.update_card(
        card["id"], name="Namn från Trello", due="2026-08-15T09:00:00.000Z"
    )
    run_sync(app)
    assignment = only_assignment(session, plan)
    assert (assignment.title, assignment.ends_on) == (
        "Namn från Trello",
        date(2026, 8, 15),
    )


def test_both_sides_changed_the_owner_wins_and_a_conflict_is_recorded(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    card = only_card(fake, plan)
    done_list = fake.list_named(card["idBoard"], "Klar")
    fake.update_card(card["id"], name="Trellos namn", idList=done_list["id"])
    assignment = only_assignment(session, plan)
    _edit(session, assignment, title="Trackerns namn")
    assignments.move_assignment(
        session, None, assignment, stages.list_stages(session)[1]
    )
    session.commit()
    [report] = run_sync(app)
    assignment = only_assignment(session, plan)
    card = only_card(fake, plan)
    assert card["name"] == assignment.title == "Trackerns namn"  # tracker owns titles
    assert card["idList"] == done_list["id"] and assignment.stage.name == "Klar"
    conflicts = {c.field: c for c in session.scalars(select(TrelloConflict)).all()}
    assert conflicts["name"].winner is Side.TRACKER
    assert conflicts["name"].trello_value == "Trellos namn"
    assert conflicts["list_id"].winner is Side.TRELLO
    assert report.conflicts == 2


def test_milestones_and_check_items_follow_each_other(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    card = only_card(fake, plan)
    item = next(i for i in fake.check_items(card["id"]) if i["name"] == "Delrapport")
    fake.tick(card["id"], item["id"])
    assignment = only_assignment(session, plan)
    start = next(m for m in assignment.milestones if m.title == "Startmöte")
    milestones.delete_milestone(session, None, start)
    milestones.add_milestone(
        session, None, assignment, title="Slutrapport", due_on=None
    )
    session.commit()
    run_sync(app)
    assignment = only_assignment(session, plan)
    assert {m.title: m.done for m in assignment.milestones} == {
        "Delrapport": True,
        "Slutrapport": False,
    }
    assert [(i["name"], i["state"]) for i in fake.check_items(card["id"])] == [
        ("Delrapport", "complete"),
        ("Slutrapport", "incomplete"),
    ]


def test_a_new_card_in_trello_becomes_a_proposed_assignment(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    board_id = fake.board_by_name(plan.title)["id"]
    doing = fake.list_named(board_id, "Pågår")
    card = fake.add_card(doing["id"], "Idé från en medarbetare", "Låt oss prova.")
    [report] = run_sync(app)
    session.expire_all()
    proposed = session.scalars(select(Assignment).where(Assignment.proposed)).one()
    assert (proposed.title, proposed.description) == (
        "Idé från en medarbetare",
        "Låt oss prova.",
    )
    assert proposed.stage.name == "Pågår" and proposed.plan_id == plan.id
    assert report.pulled == 1
    logged = session.scalars(
        select(ActivityEvent).where(ActivityEvent.assignment_id == proposed.id)
    ).all()
    assert any(e.after and e.after.get("proposed") is True for e in logged)
    assert f"[tracker:assignment:{proposed.id}]" in fake.store.cards[card["id"]]["desc"]
    mark = fake.request_count
    run_sync(app)
    assert len(fake.requests_since(mark)) == 1
    assert len(fake.cards(board_id)) == 2


def test_a_card_deleted_in_trello_unlinks_and_flags_its_assignment(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    fake.delete_card(only_card(fake, plan)["id"])
    run_sync(app)
    mark = fake.request_count
    run_sync(app)
    assert writes(fake.requests_since(mark)) == []  # not recreated behind anyone's back
    assignment = only_assignment(session, plan)
    link = session.scalars(select(TrelloCard)).one()
    assert assignment.closed_at is None and link.unlinked_at is not None


def test_a_lost_answer_to_a_card_post_is_found_by_its_marker_not_resent(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    fake.drop_next(method="POST", path="/1/cards")
    mark = fake.request_count
    [report] = run_sync(app)
    assert report.error == ""
    board_id = fake.board_by_name(plan.title)["id"]
    assert len(fake.cards(board_id)) == 1  # the card was made once, then found
    sent = [(e.method, e.path.split("/")[2]) for e in fake.requests_since(mark)]
    assert sent.count(("POST", "cards")) == 1
    assert ("GET", "lists") in sent  # the list's cards were read to find it
    [report] = run_sync(app)
    assert report.error == ""
    assert len(fake.cards(board_id)) == 1
    assert len(fake.boards_named(plan.title)) == 1
    session.expire_all()
    link = session.scalars(select(TrelloCard)).one()
    assert link.card_id == fake.cards(board_id)[0]["id"]
    assert len(fake.check_items(link.card_id)) == 2


def test_an_ended_assignment_archives_its_card(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    assignment = only_assignment(session, plan)
    assignments.close_assignment(
        session, None, assignment, outcome="Klart.", now=clock.now()
    )
    session.commit()
    run_sync(app)
    assert only_card(fake, plan)["closed"] is True


def test_group_members_with_a_trello_username_are_card_members(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    board_id = fake.board_by_name(plan.title)["id"]
    anna_id = fake.add_person("anna.a", board_id)
    anna = make_person(session, trello_username="Anna.A")
    bo = make_person(session, trello_username="bo_not_on_board")
    group = only_assignment(session, plan).groups[0]
    group.recruitment = RecruitmentMode.INVITED
    for person in (anna, bo):
        groups.add_member(session, None, group, person, today=clock.today())
    session.commit()
    run_sync(app)
    card = only_card(fake, plan)
    assert card["idMembers"] == [anna_id]
    assert anna.email not in card["desc"] and "Anna" not in card["desc"]


def test_labels_people_add_in_trello_are_kept(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    card = only_card(fake, plan)
    own = fake.store.create_label(
        {"idBoard": card["idBoard"], "name": "Brådskande", "color": "red"}
    )
    fake.update_card(card["id"], idLabels=[*card["idLabels"], own["id"]])
    group = only_assignment(session, plan).groups[0]
    groups.set_state(session, None, group, GroupState.ACTIVE, clock.now())
    session.commit()
    run_sync(app)
    names = {fake.store.labels[i]["name"] for i in only_card(fake, plan)["idLabels"]}
    assert names == {"Referensgruppen", "Brådskande"}  # the open call is over


def test_a_dry_run_changes_nothing_anywhere(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    card = only_card(fake, plan)
    fake.update_card(card["id"], idList=fake.list_named(card["idBoard"], "Klar")["id"])
    _edit(session, only_assignment(session, plan), title="Provnamn")
    mark = fake.request_count
    [report] = run_sync(app, dry_run=True)
    assert writes(fake.requests_since(mark)) == []
    assert only_card(fake, plan)["name"] != "Provnamn"
    assert only_assignment(session, plan).stage.name == "Planerad"
    assert any("Provnamn" in line for line in report.changes)
    assert report.pulled == 1


def test_b4_repeated_outages_never_stop_a_board(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    fake.fail_next(100, 503)
    for _ in range(5):
        [report] = run_sync(app)
        assert "Server error" in report.error and report.transient
    session.expire_all()
    link = session.scalars(select(TrelloBoard)).one()
    assert link.stopped_at is None and link.failures == 0
    assert link.error_kind == "transient"
    fake.faults.clear()  # Trello is back
    _edit(session, only_assignment(session, plan), title="Efter avbrottet")
    [report] = run_sync(app)
    assert report.error == "" and not report.skipped
    assert only_card(fake, plan)["name"] == "Efter avbrottet"
    session.expire_all()
    assert session.scalars(select(TrelloBoard)).one().error_kind == ""


def test_repeated_lasting_errors_stop_the_sync_and_keep_the_error(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    fake.fail_next(100, 401)  # the token was revoked
    for _ in range(3):
        [report] = run_sync(app)
        assert report.error and not report.transient
    mark = fake.request_count
    [report] = run_sync(app)
    assert fake.requests_since(mark) == []
    assert report.skipped and report.error
    session.expire_all()
    assert session.scalars(select(TrelloBoard)).one().error_kind == "lasting"
    assert only_assignment(session, plan).title  # nothing in the tracker was lost


def test_one_card_meeting_an_outage_does_not_hold_back_the_others(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    second = make_assignment(session, plan, title="Andra uppdraget")
    session.commit()
    run_sync(app)
    _edit(session, only_assignment(session, plan), title="Första, ändrad")
    _edit(session, second, title="Andra, ändrad")
    first_card = next(
        c
        for c in fake.cards(fake.board_by_name(plan.title)["id"])
        if c["name"] != "Andra uppdraget"
    )
    fake.fail_next(50, 500, method="PUT", path=f"/1/cards/{first_card['id']}")
    [report] = run_sync(app)
    assert report.transient and "1" in report.error
    names = {c["name"] for c in fake.cards(fake.board_by_name(plan.title)["id"])}
    assert "Andra, ändrad" in names and "Första, ändrad" not in names
    fake.faults.clear()
    [report] = run_sync(app)
    names = {c["name"] for c in fake.cards(fake.board_by_name(plan.title)["id"])}
    assert report.error == "" and names == {"Första, ändrad", "Andra, ändrad"}


def test_a_board_whose_answer_was_lost_is_found_in_the_same_run(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    fake.drop_next(method="POST", path="/1/boards")
    [report] = run_sync(app)
    assert report.error == ""
    assert len(fake.boards_named(plan.title)) == 1
    assert len(fake.cards(fake.board_by_name(plan.title)["id"])) == 1


def test_a_board_created_before_a_crash_is_found_again(
    db_url: str,
    connection: Connection,
    fake: FakeTrello,
    session: Session,
    plan: ActionPlan,
) -> None:
    app = sync_app(db_url, connection, fake, MAX_RETRIES=0)  # no second chance
    fake.drop_next(method="POST", path="/1/boards")
    [failed] = run_sync(app)
    assert failed.error
    [report] = run_sync(app)
    assert report.error == ""
    assert len(fake.boards_named(plan.title)) == 1
    assert len(fake.cards(fake.board_by_name(plan.title)["id"])) == 1


def test_a_board_of_the_same_name_is_not_taken_silently(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    fake.make_board(plan.title, ["Att göra"])
    [report] = run_sync(app)
    assert "tracker sync trello link" in report.error
    assert len(fake.boards_named(plan.title)) == 1


def _edit(session: Session, assignment: Assignment, **changes: object) -> None:
    values = assignments.AssignmentValues(
        title=assignment.title,
        description=assignment.description,
        responsible=assignment.responsible,
        starts_on=assignment.starts_on,
        ends_on=assignment.ends_on,
        documents_link=assignment.documents_link,
    )
    for name, value in changes.items():
        setattr(values, name, value)
    assignments.update_assignment(session, None, assignment, values)
    session.commit()


def test_a_renamed_plan_renames_its_board(
    app: Flask, fake: FakeTrello, session: Session, plan: ActionPlan
) -> None:
    run_sync(app)
    board_id = fake.board_by_name(plan.title)["id"]
    plan.title = "Invånarna som medskapare"
    session.commit()
    mark = fake.request_count
    run_sync(app)
    [put] = writes(fake.requests_since(mark))
    assert (put.path, put.args) == (f"/1/boards/{board_id}", {"name": plan.title})
    assert fake.store.boards[board_id]["name"] == "Invånarna som medskapare"
