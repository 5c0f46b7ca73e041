"""What needs attention: late, due soon, stale and waiting items, per reader."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from flask import Flask
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.factories import (
    make_application,
    make_assignment,
    make_group,
    make_open_call,
    make_person,
    make_plan,
)
from tracker import stamps
from tracker.models.assignments import Assignment, Milestone
from tracker.models.digests import Digest, DigestState
from tracker.models.groups import GroupState, MemberRole
from tracker.models.people import Role
from tracker.services import groups
from tracker.services.attention import needs, status, summary
from tracker.services.attention.needs import Horizon, Kind, Severity
from tracker.services.programme import assignments, milestones, reports, stages
from tracker.services.recruitment import invitations

TODAY = date(2026, 3, 2)
HORIZON = Horizon(TODAY, due_soon_days=14, stale_days=30)
NOW = datetime(2026, 3, 2, 9, tzinfo=UTC)


@pytest.fixture(autouse=True)
def swedish(app: Flask) -> Iterator[None]:
    """The sentences in the default language."""
    with app.app_context():
        yield


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


def kinds(found: list[needs.Need]) -> set[tuple[Kind, Severity, str]]:
    return {(n.kind, n.severity, n.text) for n in found}


def plan_statuses(found: list[needs.Need]) -> dict[int, status.PlanStatus]:
    """The plan status rule over the whole list, in Python: what the database's
    sums (needs.plan_flags, summary.programme_summary) must agree with."""
    result: dict[int, status.PlanStatus] = {}
    for need in found:
        if need.plan_id is None:
            continue
        if need.kind in status.DEADLINES and need.severity is Severity.LATE:
            result[need.plan_id] = status.PlanStatus.LATE
        elif result.get(need.plan_id) is not status.PlanStatus.LATE:
            result[need.plan_id] = status.PlanStatus.AT_RISK
    return result


def started(
    session: Session, reported: date = TODAY - timedelta(days=5), **values: object
) -> Assignment:
    """An assignment in the middle stage, started 60 days ago, with one report."""
    assignment = make_assignment(session, starts_on=days(-60), **values)
    middle = stages.list_stages(session)[1]
    assignments.move_assignment(session, None, assignment, middle)
    leader = make_person(session, role=Role.LEADERSHIP)
    reports.add_report(
        session, leader, assignment, body="Det går bra.", reported_on=reported
    )
    return assignment


def test_milestones_late_and_due_soon_but_not_done_far_or_ended(
    session: Session,
) -> None:
    a = make_assignment(session, title="Kartlägga processerna", starts_on=days(1))
    milestones.add_milestone(session, None, a, title="Startmöte", due_on=days(-3))
    milestones.add_milestone(session, None, a, title="Delrapport", due_on=days(10))
    milestones.add_milestone(session, None, a, title="Slutrapport", due_on=days(40))
    done = milestones.add_milestone(session, None, a, title="Klar", due_on=days(-9))
    milestones.set_done(session, None, done, True, NOW)
    ended = make_assignment(session, title="Avslutat", starts_on=days(1))
    milestones.add_milestone(session, None, ended, title="Gammal", due_on=days(-3))
    assignments.close_assignment(session, None, ended, outcome="Klart.", now=NOW)

    found = needs.programme_needs(session, HORIZON)

    assert kinds(found) == {
        (
            Kind.MILESTONE,
            Severity.LATE,
            "Milstolpen ”Startmöte” i ”Kartlägga processerna” skulle vara nådd "
            "27 feb. 2026 men är det inte.",
        ),
        (
            Kind.MILESTONE,
            Severity.DUE_SOON,
            "Milstolpen ”Delrapport” i ”Kartlägga processerna” ska vara nådd "
            "12 mars 2026.",
        ),
    }
    assert found[0].severity is Severity.LATE  # the most urgent first
    assert found[0].path == f"/assignments/{a.id}#milestones"


def test_assignments_past_their_end_unless_in_the_last_stage(session: Session) -> None:
    late = started(session, title="Sent", ends_on=days(-1))
    soon = started(session, title="Snart", ends_on=days(14))
    started(session, title="Långt bort", ends_on=days(15))
    done = started(session, title="Klart", ends_on=days(-20))
    assignments.move_assignment(session, None, done, stages.list_stages(session)[-1])

    found = needs.programme_needs(session, HORIZON)

    assert {(n.kind, n.severity, n.subject_id) for n in found} == {
        (Kind.ASSIGNMENT_END, Severity.LATE, late.id),
        (Kind.ASSIGNMENT_END, Severity.DUE_SOON, soon.id),
    }


def test_an_assignment_with_no_report_for_thirty_days_is_stale(
    session: Session,
) -> None:
    fresh = started(session, title="Färsk")
    quiet = started(session, title="Tyst", reported=days(-45))
    never = make_assignment(session, title="Aldrig rapporterat", starts_on=days(-31))
    make_assignment(session, title="Inte startat", starts_on=days(3))
    make_assignment(session, title="Nyss startat", starts_on=days(-29))
    session.flush()

    found = needs.stale(session, HORIZON)

    assert kinds(found) == {
        (Kind.STALE, Severity.LATE, "Ingen lägesrapport om ”Tyst” sedan 16 jan. 2026."),
        (
            Kind.STALE,
            Severity.LATE,
            "Ingen lägesrapport om ”Aldrig rapporterat” sedan uppdraget började "
            "30 jan. 2026.",
        ),
    }
    assert {n.assignment_id for n in found} == {quiet.id, never.id}
    assert fresh.id not in {n.assignment_id for n in found}


def test_time_boxes_ending_soon_or_over_while_the_group_goes_on(
    session: Session,
) -> None:
    over = make_group(session, name="Över tiden", ends_on=days(-2))
    groups.set_state(session, None, over, GroupState.ACTIVE, NOW)
    soon = make_group(session, name="Snart slut", ends_on=days(5))
    closed = make_group(session, name="Stängd", ends_on=days(-2))
    groups.set_state(session, None, closed, GroupState.CLOSED, NOW)
    make_group(session, name="Långt kvar", ends_on=days(60))

    found = needs.time_boxes(session, HORIZON)

    assert {(n.severity, n.subject_id) for n in found} == {
        (Severity.LATE, over.id),
        (Severity.DUE_SOON, soon.id),
    }
    assert (
        "Tiden för arbetsgruppen ”Över tiden” tog slut 28 feb. 2026, men gruppen "
        "är inte avslutad."
    ) in {n.text for n in found}


def test_an_open_call_past_its_deadline_waits_for_a_selection(
    session: Session,
) -> None:
    call = make_open_call(session, name="Multiteam", signup_deadline=days(-3))
    for _ in range(2):
        make_application(session, call, today=days(-10))
    still_open = make_open_call(session, name="Öppen", signup_deadline=days(3))
    make_application(session, still_open, today=days(-1))

    found = needs.selections(session, HORIZON)

    assert [(n.kind, n.severity, n.text, n.path) for n in found] == [
        (
            Kind.SELECTION,
            Severity.WAITING,
            "2 ansökningar till ”Multiteam” väntar på urval. Sista dag att söka var "
            "27 feb. 2026.",
            f"/anmalningar/{call.slug}/urval",
        )
    ]


def test_a_person_sees_only_their_own_by_date(session: Session) -> None:
    me = make_person(session)
    other = make_person(session)
    mine = make_assignment(session, title="Mitt", responsible=me, starts_on=days(1))
    theirs = make_assignment(
        session, title="Deras", responsible=other, starts_on=days(1)
    )
    milestones.add_milestone(session, None, mine, title="Min", due_on=days(4))
    milestones.add_milestone(session, None, theirs, title="Deras", due_on=days(-4))
    led = make_group(session, name="Jag leder", ends_on=days(3))
    groups.add_member(session, None, led, me, role=MemberRole.LEAD, today=TODAY)
    member_only = make_group(session, name="Jag är med", ends_on=days(3))
    groups.add_member(session, None, member_only, me, today=TODAY)
    invited = make_group(session, name="Inbjuden")
    invitations.invite(session, None, invited, me)
    call = make_open_call(session, name="Sökt", signup_deadline=days(6))
    make_application(session, call, me, today=TODAY)
    closed_call = make_open_call(session, name="Stängd", signup_deadline=days(-2))
    make_application(session, closed_call, me, today=days(-5))

    found = needs.personal_needs(session, me, HORIZON)

    assert [n.kind for n in found][1:4] == [
        Kind.TIME_BOX,
        Kind.MILESTONE,
        Kind.APPLICATION,
    ]  # by date, after the call whose deadline has passed
    assert (found[0].severity, found[0].text) == (
        Severity.WAITING,
        "Din ansökan till ”Stängd” väntar på urvalet.",
    )
    assert {n.kind for n in found} == {
        Kind.TIME_BOX,
        Kind.MILESTONE,
        Kind.APPLICATION,
        Kind.INVITATION,
    }
    assert "Deras" not in " ".join(n.text for n in found)
    assert "Jag är med" not in " ".join(n.text for n in found)
    assert (
        "Du har sökt till ”Sökt”. Sista dag att söka, och att ändra din ansökan, "
        "är 8 mars 2026." in {n.text for n in found}
    )
    assert "Du är inbjuden till ”Inbjuden” och har inte svarat än." in {
        n.text for n in found
    }


def test_leadership_is_asked_to_select_and_communicators_to_review(
    session: Session,
) -> None:
    call = make_open_call(session, name="Urval väntar", signup_deadline=days(-1))
    make_application(session, call, today=days(-2))
    session.add(
        Digest(
            period="2026-02",
            state=DigestState.DRAFT,
            title="Månadsbrev februari",
            body="",
            facts={},
            facts_at=NOW,
        )
    )
    session.add(
        Digest(
            period="2026-03", title="Pågående månad", body="", facts={}, facts_at=NOW
        )
    )
    session.flush()
    leader = make_person(session, role=Role.LEADERSHIP)
    communicator = make_person(session, role=Role.COMMUNICATOR)
    staff = make_person(session)

    assert {n.kind for n in needs.personal_needs(session, leader, HORIZON)} == {
        Kind.SELECTION
    }
    told = needs.personal_needs(session, communicator, HORIZON)
    assert [(n.kind, n.text) for n in told] == [
        (Kind.DIGEST, "Månadsbrevet ”Månadsbrev februari” väntar på granskning.")
    ]
    assert needs.personal_needs(session, staff, HORIZON) == []


def test_plan_status_and_badges_follow_the_same_items(session: Session) -> None:
    late_plan, risky_plan, calm_plan = (make_plan(session) for _ in range(3))
    late = make_assignment(session, late_plan, starts_on=days(1))
    overdue = milestones.add_milestone(
        session, None, late, title="Försenad", due_on=days(-1)
    )
    near = milestones.add_milestone(session, None, late, title="Nära", due_on=days(2))
    quiet = make_assignment(session, risky_plan, starts_on=days(-40))
    make_assignment(session, calm_plan, starts_on=days(1), ends_on=days(90))

    found = needs.programme_needs(session, HORIZON)
    statuses = plan_statuses(found)

    assert statuses[late_plan.id] is status.PlanStatus.LATE
    assert statuses[risky_plan.id] is status.PlanStatus.AT_RISK
    assert calm_plan.id not in statuses  # on track
    _status, badges = status.plan_board(session, HORIZON, late_plan.id)
    assert badges.assignment(late.id) == "late"
    badges = status.assignment_badges(session, HORIZON, late.id)
    assert (badges.milestone(overdue.id), badges.milestone(near.id)) == (
        "late",
        "due_soon",
    )
    assert badges.end(late.id) == ""
    risky, risky_badges = status.plan_board(session, HORIZON, risky_plan.id)
    assert risky is status.PlanStatus.AT_RISK
    assert risky_badges.assignment(quiet.id) == ""  # no deadline near: no badge


def test_the_overview_summary_is_the_whole_list_counted_by_the_database(
    session: Session,
) -> None:
    """programme_summary() orders, counts and flags in SQL what programme_needs()
    does in Python: the same first items, the same total and the same statuses,
    with ties on the same day and every kind of programme item."""
    late_plan, risky_plan, calm_plan = (make_plan(session) for _ in range(3))
    for n in range(4):
        a = make_assignment(session, late_plan, title=f"Sen {n}", starts_on=days(1))
        for day in (-5, -5, -1, 3):  # two on the same day: the order breaks the tie
            milestones.add_milestone(session, None, a, title=f"M{n}", due_on=days(day))
    make_assignment(session, late_plan, starts_on=days(-9), ends_on=days(-2))
    make_assignment(session, risky_plan, starts_on=days(-40))  # stale
    make_assignment(session, risky_plan, starts_on=days(1), ends_on=days(4))
    make_assignment(session, calm_plan, starts_on=days(1), ends_on=days(90))
    over = make_group(session, name="Över tiden", ends_on=days(-2))
    groups.set_state(session, None, over, GroupState.ACTIVE, NOW)
    call = make_open_call(session, name="Multiteam", signup_deadline=days(-3))
    make_application(session, call, today=days(-10))

    everything = needs.programme_needs(session, HORIZON)
    assert len({n.kind for n in everything}) == 5  # every kind of programme item
    for limit in (1, 7, 15, len(everything) + 3):
        made = summary.programme_summary(session, HORIZON, limit)
        assert made.first == everything[:limit]
        assert [n.text for n in made.first] == [n.text for n in everything[:limit]]
        assert made.total == len(everything)
    assert status.flag_statuses(made.plans) == plan_statuses(everything)
    parts = summary.plan_parts(session, HORIZON, 25)
    for plan in (late_plan, risky_plan, calm_plan):  # the board sums them alike
        own = [n for n in everything if n.plan_id == plan.id]
        plan_status, badges = status.plan_board(session, HORIZON, plan.id)
        part = parts.values.get(plan.id)  # as the plan page has it, kept
        kept = status.plan_board(
            session, HORIZON, plan.id, part.worst() if part else []
        )
        assert kept == (plan_status, badges)
        expected = status.badges(own)
        assert plan_status is plan_statuses(own).get(
            plan.id, status.PlanStatus.ON_TRACK
        )
        assert (badges.assignments, badges.ends) == (
            expected.assignments,
            expected.ends,
        )
    assert status.flag_statuses(made.plans) == {
        late_plan.id: status.PlanStatus.LATE,
        risky_plan.id: status.PlanStatus.AT_RISK,
    }


def test_an_empty_programme_summary(session: Session) -> None:
    make_assignment(session, starts_on=days(1), ends_on=days(90))
    made = summary.programme_summary(session, HORIZON, 25)
    assert (made.first, made.total, made.plans.flagged) == ([], 0, set())


def test_the_summary_reads_again_only_the_plans_written_since(
    session: Session,
) -> None:
    """The overview keeps each plan's share of "Läget nu" (summary.plan_parts) and
    reads again only the plans whose change stamp moved: after each kind of write
    the summary is the one made from scratch, and the other plans' shares are the
    very ones kept (a write in a plan, in another, a move between plans, a write
    that names no plan)."""
    one, two, three = (make_plan(session) for _ in range(3))
    first = make_assignment(session, one, title="Ett", starts_on=days(1))
    due = milestones.add_milestone(session, None, first, title="M", due_on=days(-2))
    quiet = [make_assignment(session, two, starts_on=days(-40)) for _ in range(2)]
    make_assignment(session, three, title="Tre", starts_on=days(1), ends_on=days(3))
    leader = make_person(session, role=Role.LEADERSHIP)
    session.commit()
    kept = summary.plan_parts(session, HORIZON, 25)
    assert set(kept.values) == {one.id, two.id, three.id}

    def after(write: Callable[[], object]) -> set[int]:
        """The plans whose kept share the next summary reused after *write*."""
        nonlocal kept
        write()
        session.commit()
        new = summary.plan_parts(session, HORIZON, 25, kept)
        fresh = summary.programme_summary(session, HORIZON, 25)
        assert summary.summed(session, new) == fresh
        old = kept.values
        reused = {key for key, part in new.values.items() if old.get(key) is part}
        kept = new
        return reused

    ticked = lambda: milestones.set_done(session, None, due, True, NOW)  # noqa: E731
    assert after(ticked) == {two.id, three.id}
    assert one.id not in kept.values  # its one need is gone
    report = lambda: reports.add_report(  # noqa: E731
        session, leader, quiet[0], body="Nu går det.", reported_on=TODAY
    )
    assert after(report) == {three.id}
    assert kept.values[two.id].total == 1  # the other stale one is left

    def move() -> None:
        quiet[1].plan_id = three.id

    assert after(move) == set()  # both plans it was in are read again
    assert (kept.values[three.id].total, two.id in kept.values) == (2, False)
    assert after(lambda: make_group(session, name="Annat")) == {three.id}

    def unscoped() -> None:  # names no plan: every plan is read again
        session.execute(update(Milestone).values(title="Nytt namn"))

    assert after(unscoped) == set()


def test_a_write_that_raises_no_stamp_shows_after_the_lifetime(
    session: Session,
) -> None:
    """A write from outside the app (psql) raises no change stamp: the kept shares
    are read again whole once their lifetime is over."""
    plan = make_plan(session)
    late = make_assignment(session, plan, starts_on=days(1))
    milestones.add_milestone(session, None, late, title="M", due_on=days(-2))
    session.commit()
    kept = summary.plan_parts(session, HORIZON, 25)
    outside = session.connection().execution_options(**{stamps.UNSTAMPED: True})
    outside.execute(update(Milestone).values(done=True))  # as psql would
    session.commit()
    assert summary.plan_parts(session, HORIZON, 25, kept).values == kept.values
    assert summary.plan_parts(session, HORIZON, 25, kept, lifetime=0).values == {}
