"""Following and the fan-out of the activity log into notifications (services)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from factories import (
    make_application,
    make_assignment,
    make_group,
    make_open_call,
    make_person,
    make_plan,
)
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker import clock
from tracker.config import DEFAULTS
from tracker.models.activity import ActivityEvent
from tracker.models.groups import GroupState, MemberRole, RecruitmentMode
from tracker.models.notifications import (
    EmailSchedule,
    FollowTarget,
    Notification,
    NotificationCursor,
)
from tracker.models.people import Person, Role
from tracker.services import groups
from tracker.services.attention import (
    fanout,
    follows,
    notifications,
    reminders,
    wording,
)
from tracker.services.programme import assignments, milestones, reports, stages
from tracker.services.recruitment import seats
from tracker.services.selection import confirmation
from tracker.services.selection import runs as selection_runs

NOW = timedelta(0)


@pytest.fixture(autouse=True)
def swedish(app: Flask) -> Iterator[None]:
    """The sentences in the default language, as the jobs write them."""
    with app.app_context():
        yield


def fan(session: Session, **kwargs: Any) -> int:
    """Run the fan-out as the job does, with nothing left to settle."""
    return fanout.fan_out(session, now=clock.now(), settle=NOW, **kwargs)


def inbox(session: Session, person: Person) -> list[Notification]:
    return list(
        session.scalars(
            select(Notification)
            .where(Notification.person_id == person.id)
            .order_by(Notification.id)
        )
    )


def second_stage(session: Session) -> Any:
    return stages.list_stages(session)[1]


def test_following_twice_is_harmless_and_unfollowing_ends_it(session: Session) -> None:
    staff = make_person(session)
    plan = make_plan(session)
    follows.follow(session, staff, FollowTarget.PLAN, plan.id)
    follows.follow(session, staff, FollowTarget.PLAN, plan.id)
    assert follows.state(session, staff.id, FollowTarget.PLAN, plan.id).following
    assert follows.followers(session, [(FollowTarget.PLAN, plan.id)]) == {
        (FollowTarget.PLAN, plan.id): {staff.id}
    }
    follows.unfollow(session, staff, FollowTarget.PLAN, plan.id)
    follows.unfollow(session, staff, FollowTarget.PLAN, plan.id)
    assert not follows.state(session, staff.id, FollowTarget.PLAN, plan.id).following
    assert follows.followers(session, [(FollowTarget.PLAN, plan.id)]) == {}


def test_responsible_people_and_members_follow_their_own_until_they_unfollow(
    session: Session,
) -> None:
    owner, responsible, member, gone = (make_person(session) for _ in range(4))
    plan = make_plan(session, owner=owner)
    assignment = make_assignment(session, plan, responsible=responsible)
    group = make_group(session, assignments=[assignment])
    groups.add_member(session, None, group, member, today=date(2026, 1, 5))
    left = groups.add_member(session, None, group, gone, today=date(2026, 1, 5))
    seats.remove_member(session, None, left, today=date(2026, 1, 6))
    targets = [
        (FollowTarget.PLAN, plan.id),
        (FollowTarget.ASSIGNMENT, assignment.id),
        (FollowTarget.GROUP, group.id),
    ]
    assert follows.followers(session, targets) == {
        (FollowTarget.PLAN, plan.id): {owner.id},
        (FollowTarget.ASSIGNMENT, assignment.id): {responsible.id, member.id},
        (FollowTarget.GROUP, group.id): {member.id},
    }
    state = follows.state(session, member.id, FollowTarget.GROUP, group.id)
    assert state.following and state.own
    follows.unfollow(session, member, FollowTarget.ASSIGNMENT, assignment.id)
    assert follows.followers(session, targets)[
        (FollowTarget.ASSIGNMENT, assignment.id)
    ] == {responsible.id}
    listed = follows.listing(session, member.id)
    assert [(item.target, item.title, item.own) for item in listed] == [
        (FollowTarget.GROUP, group.name, True)
    ]


def test_a_follower_of_a_plan_is_told_once_that_an_assignment_moved(
    session: Session,
) -> None:
    leader = make_person(session, role=Role.LEADERSHIP, name="Lena Ledare")
    staff = make_person(session)
    plan = make_plan(session)
    assignment = make_assignment(session, plan, title="Utse processägare")
    follows.follow(session, staff, FollowTarget.PLAN, plan.id)
    follows.follow(session, staff, FollowTarget.ASSIGNMENT, assignment.id)
    fan(session)  # what came before is not news
    assignments.move_assignment(session, leader, assignment, second_stage(session))
    assert fan(session) == 1
    assert fan(session) == 0  # a rerun finds nothing new
    (notification,) = inbox(session, staff)
    assert notification.kind == notifications.STAGE
    line = wording.describe(notification)
    assert line.text == (
        "Lena Ledare flyttade uppdraget ”Utse processägare” från Planerad till Pågår."
    )
    assert line.path == f"/assignments/{assignment.id}"
    assert inbox(session, leader) == []  # never told of one's own doing


def test_reports_milestones_and_group_changes_reach_followers(session: Session) -> None:
    lead, member, follower = (make_person(session) for _ in range(3))
    assignment = make_assignment(session)
    group = make_group(session, assignments=[assignment])
    groups.add_member(
        session, None, group, lead, role=MemberRole.LEAD, today=date(2026, 1, 5)
    )
    groups.add_member(session, None, group, member, today=date(2026, 1, 5))
    follows.follow(session, follower, FollowTarget.GROUP, group.id)
    milestone = milestones.add_milestone(
        session, None, assignment, title="Startmöte", due_on=date(2026, 2, 1)
    )
    fan(session)
    reports.add_report(
        session, lead, assignment, body="Vi är igång.", reported_on=date(2026, 1, 9)
    )
    milestones.set_done(session, lead, milestone, True, clock.now())
    groups.set_state(session, None, group, GroupState.ACTIVE, clock.now())
    fan(session)
    assert [n.kind for n in inbox(session, member)] == [
        "report",
        "milestone",
        "group_state",
    ]
    assert [n.kind for n in inbox(session, lead)] == ["group_state"]
    assert [n.kind for n in inbox(session, follower)] == ["group_state"]


def test_an_opened_call_goes_to_all_staff_but_those_who_opted_out(
    session: Session,
) -> None:
    leader = make_person(session, role=Role.LEADERSHIP)
    keen, tired = make_person(session), make_person(session)
    no_login = make_person(session, login=False)
    notifications.save_settings(
        session, tired, schedule=EmailSchedule.WEEKLY, open_calls=False
    )
    group = make_group(
        session,
        name="Multiteamsgruppen",
        recruitment=RecruitmentMode.OPEN_CALL,
        signup_deadline=date(2026, 12, 20),
    )
    fan(session)
    groups.set_state(session, leader, group, GroupState.RECRUITING, clock.now())
    fan(session)
    (told,) = inbox(session, keen)
    assert told.kind == notifications.CALL_OPENED
    assert wording.describe(told).text == (
        "Nu kan du anmäla dig till ”Multiteamsgruppen”. Sista dag är 20 dec. 2026."
    )
    assert inbox(session, tired) == [] and inbox(session, no_login) == []
    assert inbox(session, leader) == []


def test_application_events_reach_only_the_applicant(session: Session) -> None:
    leader = make_person(session, role=Role.LEADERSHIP)
    member = make_person(session)
    chosen, other = make_person(session), make_person(session)
    group = make_open_call(session, seats=2)
    groups.add_member(session, None, group, member, today=date(2026, 1, 5))
    follows.follow(session, leader, FollowTarget.GROUP, group.id)
    for person in (chosen, other):
        make_application(session, group, person)
    run = selection_runs.run_selection(
        session, leader, group, selection_runs.Choices(seed=1), DEFAULTS["RECRUITMENT"]
    )
    fan(session)
    selected = set(run.proposal["selected"])
    confirmation.confirm(session, leader, run, today=date(2026, 2, 2))
    fan(session)
    outcomes = {
        person.id: [
            (n.kind, n.params["selected"], n.mail)
            for n in inbox(session, person)
            if n.kind == notifications.OUTCOME
        ]
        for person in (chosen, other)
    }
    assert sorted(o for rows in outcomes.values() for o in rows) == [
        ("outcome", False, False),
        ("outcome", True, False),
    ]
    assert len(selected) == 1
    # the member and the follower hear the group became active, nothing of applications
    for person in (member, leader):
        kinds = [n.kind for n in inbox(session, person)]
        assert notifications.OUTCOME not in kinds
    applied = select(func.count()).where(
        Notification.event_id.in_(
            select(ActivityEvent.id).where(ActivityEvent.verb == "applied")
        )
    )
    assert session.scalar(applied) == 0


def test_a_published_digest_is_news_for_every_login(session: Session) -> None:
    from tracker.services.digest import drafts, publishing
    from tracker.services.digest.deliveries import PublishSettings
    from tracker.services.digest.months import Month

    staff, inactive = make_person(session), make_person(session)
    inactive.active = False
    now = datetime(2026, 12, 3, 9, tzinfo=UTC)
    digest, _ = drafts.draft_for_month(
        session, None, Month(2026, 11), now=now, public_url="https://t.se"
    )
    fan(session)
    settings = PublishSettings(public_url="https://t.se", wordpress=None, mail_to=())
    publishing.start(session, None, digest, [], now, settings)
    fan(session)
    (news,) = inbox(session, staff)
    assert wording.describe(news).text == (
        f"Månadsbrevet ”{digest.title}” är publicerat."
    )
    assert inbox(session, inactive) == []


def test_the_cursor_rereads_young_events_without_telling_twice(
    session: Session,
) -> None:
    staff = make_person(session)
    assignment = make_assignment(session)
    follows.follow(session, staff, FollowTarget.ASSIGNMENT, assignment.id)
    fan(session)
    assignments.move_assignment(session, None, assignment, second_stage(session))
    settle = timedelta(minutes=10)
    assert fanout.fan_out(session, now=clock.now(), settle=settle) == 1
    cursor = session.get(NotificationCursor, fanout.CURSOR)
    assert cursor is not None
    newest = session.scalar(select(func.max(ActivityEvent.id)))
    assert cursor.last_event_id < newest  # too young to pass: read again next time
    assert fanout.fan_out(session, now=clock.now(), settle=settle) == 0
    later = clock.now() + timedelta(minutes=11)
    assert fanout.fan_out(session, now=later, settle=settle) == 0
    assert session.get(NotificationCursor, fanout.CURSOR).last_event_id == newest
    assert len(inbox(session, staff)) == 1


def test_a_crash_part_way_loses_nothing_and_doubles_nothing(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    staff = make_person(session)
    assignment = make_assignment(session)
    follows.follow(session, staff, FollowTarget.ASSIGNMENT, assignment.id)
    fan(session)
    session.commit()
    stage_list = stages.list_stages(session)
    for stage in (stage_list[1], stage_list[2], stage_list[0], stage_list[1]):
        assignments.move_assignment(session, None, assignment, stage)
    session.commit()
    monkeypatch.setattr(fanout, "BATCH", 2)
    calls = []

    def crash_on_second_batch() -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("the scheduler was killed")
        session.commit()

    with pytest.raises(RuntimeError):
        fan(session, checkpoint=crash_on_second_batch)
    session.rollback()
    assert len(inbox(session, staff)) == 2  # the first batch was committed
    fan(session, checkpoint=session.commit)
    assert [n.kind for n in inbox(session, staff)] == ["stage"] * 4


def test_reminders_of_overdue_milestones_and_near_deadlines_come_once(
    session: Session,
) -> None:
    responsible, applicant, invited = (make_person(session) for _ in range(3))
    assignment = make_assignment(session, title="Kartlägga", responsible=responsible)
    milestones.add_milestone(
        session, None, assignment, title="Delrapport", due_on=date(2026, 11, 28)
    )
    milestones.add_milestone(
        session, None, assignment, title="Gammal", due_on=date(2026, 10, 1)
    )
    group = make_open_call(
        session, name="Gemensam ingång", signup_deadline=date(2026, 12, 5)
    )
    make_application(session, group, applicant, today=date(2026, 11, 20))
    from tracker.services.recruitment import invitations

    invitations.invite(session, None, group, invited)
    today, now = date(2026, 12, 2), datetime(2026, 12, 2, 5, tzinfo=clock.STOCKHOLM)
    assert reminders.remind(session, today=today, now=now) == 3
    assert reminders.remind(session, today=today, now=now) == 0
    (overdue,) = inbox(session, responsible)
    assert wording.describe(overdue).text == (
        "Milstolpen ”Delrapport” i ”Kartlägga” skulle vara nådd 28 nov. 2026 "
        "men är det inte."
    )
    for person in (applicant, invited):
        (deadline,) = inbox(session, person)
        assert wording.describe(deadline).text == (
            "Sista dag att anmäla sig till ”Gemensam ingång” är 5 dec. 2026."
        )
    assert reminders.remind(session, today=date(2026, 12, 1), now=now) == 0


def test_marking_read_changes_the_unread_count_of_that_person_only(
    session: Session,
) -> None:
    ada, bo = make_person(session), make_person(session)
    now = clock.now()
    notifications.store(
        session,
        [
            notifications.Delivery(
                p.id, notifications.DIGEST, key, now, params={"title": "X"}
            )
            for p in (ada, bo)
            for key in ("a", "b")
        ],
        now=now,
    )
    first = notifications.page(session, ada.id)[0]
    notifications.mark_read(session, ada.id, now=now, notification_id=first.id)
    assert notifications.unread_count(session, ada.id) == 1
    assert (
        notifications.mark_read(session, bo.id, now=now, notification_id=first.id) == 0
    )
    assert notifications.unread_count(session, bo.id) == 2
    notifications.mark_read(session, ada.id, now=now, notification_id=None)
    assert notifications.unread_count(session, ada.id) == 0
    assert notifications.get_for(session, bo.id, first.id) is None


def test_an_upgraded_database_tells_nothing_of_the_activity_before_it(
    fresh_db_url: str,
) -> None:
    from alembic import command

    from tracker.db import make_engine
    from tracker.migrations import alembic_config

    engine = make_engine(fresh_db_url)
    config = alembic_config(engine)
    command.upgrade(config, "0001")
    with engine.begin() as connection:
        for _ in range(3):
            connection.exec_driver_sql(
                "INSERT INTO activity_events (created_at, actor_label, verb, "
                "object_type, object_label) VALUES "
                "(CURRENT_TIMESTAMP, '', 'created', 'ActionPlan', 'Plan')"
            )
    command.upgrade(config, "head")
    with Session(engine) as session:
        cursor = session.get(NotificationCursor, fanout.CURSOR)
        assert cursor is not None
        assert cursor.last_event_id == session.scalar(
            select(func.max(ActivityEvent.id))
        )
        assert fan(session) == 0
    engine.dispose()
