"""200 truly concurrent sign-ups to an 8-seat first-come group, each its own commit."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.db import Base, make_engine
from tracker.models.applications import Application, ApplicationStatus
from tracker.models.groups import GroupState, Membership, RecruitmentMode
from tracker.models.people import Department
from tracker.services import groups, people
from tracker.services.recruitment import applications

SIGNUPS = 200
SEATS = 8


def test_concurrent_signups_fill_seats_then_waitlist_in_order(
    fresh_db_url: str,
) -> None:
    # 20 connections at a time (PostgreSQL caps clients); the others queue for one
    engine = make_engine(fresh_db_url, pool_size=20, max_overflow=0, pool_timeout=300)
    Base.metadata.create_all(engine)
    with Session(engine) as session:
        dept = Department(name="Avd")
        session.add(dept)
        group = groups.create_group(
            session,
            None,
            groups.GroupValues(
                name="Först till kvarn",
                seats=SEATS,
                recruitment=RecruitmentMode.FIRST_COME,
                signup_deadline=date(2026, 2, 1),
            ),
        )
        groups.set_state(session, None, group, GroupState.RECRUITING, datetime.now(UTC))
        ids = [
            people.create_person(
                session, None, people.PersonValues(name=f"P{i}", email=f"p{i}@c.se")
            ).id
            for i in range(SIGNUPS)
        ]
        group_id, dept_id = group.id, dept.id
        session.commit()

    barrier = threading.Barrier(SIGNUPS)
    errors: list[BaseException] = []

    def sign_up(person_id: int) -> None:
        try:
            with Session(engine) as session:
                barrier.wait()
                group = groups.get_by_slug(session, "forst-till-kvarn")
                person = session.get(people.Person, person_id)
                assert group is not None and person is not None
                values = applications.ApplicationValues(
                    department=session.get(Department, dept_id)
                )
                applications.apply(
                    session, group, person, values, today=date(2026, 1, 5)
                )
                session.commit()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=sign_up, args=(i,)) for i in ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with Session(engine) as session:
        rows = session.scalars(
            select(Application)
            .where(Application.group_id == group_id)
            .order_by(Application.position)
        ).all()
        members = session.scalars(
            select(Membership).where(
                Membership.group_id == group_id, Membership.left_on.is_(None)
            )
        ).all()
    engine.dispose()
    assert [r.position for r in rows] == list(range(1, SIGNUPS + 1))
    statuses = [r.status for r in rows]
    assert statuses == [ApplicationStatus.MEMBER] * SEATS + [
        ApplicationStatus.WAITLISTED
    ] * (SIGNUPS - SEATS)
    assert len(members) == SEATS
    assert {m.person_id for m in members} == {r.person_id for r in rows[:SEATS]}
