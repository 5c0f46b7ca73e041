"""The burn-up per week, replayed from the activity log, as the plan page shows it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from tests.conftest import login
from tests.factories import happened_at, make_assignment, make_person, make_plan
from tests.test_views_core import build
from tracker import clock
from tracker.markup import render_markdown
from tracker.models.people import Role
from tracker.services.digest import template
from tracker.services.digest.facts import collect_facts
from tracker.services.digest.months import Month
from tracker.services.programme import assignments, burnup, milestones, stages

# Mondays: weeks 6, 7 and 8 of 2026
WEEK_6, WEEK_7, WEEK_8 = date(2026, 2, 2), date(2026, 2, 9), date(2026, 2, 16)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 10, tzinfo=UTC)


def grow_plan(session: Session, start: date) -> Any:
    """Week 1: three assignments; week 2: one done and a milestone reached; week 3:
    one ended and another done."""
    plan = make_plan(session, title="Planen som växer")
    done = stages.list_stages(session)[-1]
    with happened_at(session, at(start)):
        a, b, c = (make_assignment(session, plan, title=t) for t in "ABC")
        first = milestones.add_milestone(session, None, a, title="M", due_on=None)
    with happened_at(session, at(start + timedelta(days=8))):
        assignments.move_assignment(session, None, a, done)
        milestones.set_done(session, None, first, True, at(start))
    with happened_at(session, at(start + timedelta(days=16))):
        assignments.close_assignment(session, None, c, outcome="Slut.", now=at(start))
        assignments.move_assignment(session, None, b, done)
    return plan


def test_the_weeks_count_done_of_total_and_milestones_reached(
    session: Session,
) -> None:
    plan = grow_plan(session, WEEK_6)
    other = make_plan(session)
    weeks = burnup.weekly(
        session,
        [plan.id, other.id],
        until=WEEK_8 + timedelta(days=3),
        done_stage="Klar",
    )
    assert weeks[plan.id] == [
        burnup.Week(WEEK_6, done=0, total=3, milestones=0),
        burnup.Week(WEEK_7, done=1, total=3, milestones=1),
        burnup.Week(WEEK_8, done=2, total=2, milestones=1),
    ]
    assert weeks[other.id] != weeks[plan.id]
    at_most_two = burnup.weekly(
        session, [plan.id], until=WEEK_8, done_stage="Klar", weeks=2
    )[plan.id]
    assert [w.monday for w in at_most_two] == [WEEK_7, WEEK_8]


def test_the_plan_page_draws_the_chart_with_the_figures_in_a_table(
    app: Flask, client: FlaskClient
) -> None:
    monday = clock.today() - timedelta(days=clock.today().weekday() + 14)

    def setup(session: Session) -> str:
        make_person(session, email="ledning@test.se", role=Role.LEADERSHIP)
        return str(grow_plan(session, monday).slug)

    slug = build(app, setup)
    login(client, "ledning@test.se")
    page = client.get(f"/plans/{slug}").get_data(as_text=True)
    section = re.search(r'<section id="progress".*?</section>', page, re.S)
    assert section
    svg = re.search(r"<svg[^>]*role=\"img\"[^>]*>", section.group(0))
    assert svg and 'aria-label="Utveckling vecka för vecka. Vecka' in svg.group(0)
    assert "2 av 2 uppdrag klara, 1 milstolpar nådda" in svg.group(0)
    rows = re.findall(
        r"<tr><th scope=\"row\">.*?</th>"
        r"<td>(\d+)</td><td>(\d+)</td><td>(\d+)</td></tr>",
        section.group(0),
    )
    assert rows == [("0", "3", "0"), ("1", "3", "1"), ("2", "2", "1")]


def test_the_plan_pages_chart_follows_a_move_but_not_a_write_elsewhere(
    app: Flask, client: FlaskClient
) -> None:
    """The burn-up is kept per worker until the plan's own events change: a change
    in another plan leaves it as it was, a move in this plan shows at once."""
    monday = clock.today() - timedelta(days=clock.today().weekday() + 14)

    def setup(session: Session) -> tuple[str, int, int]:
        make_person(session, email="ledning@test.se", role=Role.LEADERSHIP)
        plan = grow_plan(session, monday)
        new = make_assignment(session, plan, title="D")
        elsewhere = make_assignment(session, make_plan(session, title="Annan plan"))
        return str(plan.slug), new.id, elsewhere.id

    slug, new_id, elsewhere_id = build(app, setup)
    login(client, "ledning@test.se")

    def this_week() -> str:
        page = client.get(f"/plans/{slug}").get_data(as_text=True)
        found = re.search(r"Vecka \d+: (\d+ av \d+) uppdrag klara", page)
        assert found
        return found.group(1)

    assert this_week() == "2 av 3"

    def move(session: Session, assignment_id: int) -> None:
        from tracker.models.assignments import Assignment

        done = stages.list_stages(session)[-1]
        assignments.move_assignment(
            session, None, session.get(Assignment, assignment_id), done
        )

    build(app, lambda session: move(session, elsewhere_id))
    assert this_week() == "2 av 3"
    build(app, lambda session: move(session, new_id))
    assert this_week() == "3 av 3"


def test_the_digest_shows_the_same_chart_as_an_image_and_a_table(
    app: Flask, session: Session
) -> None:
    plan = grow_plan(session, WEEK_6)
    now = datetime(2026, 3, 2, 8, tzinfo=UTC)
    facts = collect_facts(session, Month(2026, 2), now=now, public_url="https://t.se")
    (row,) = [p for p in facts["plans"] if p["id"] == plan.id]
    assert row["burnup_url"].startswith("https://t.se/blogg/kurva/")
    assert row["burnup_rows"][-3:] == [
        {"week": "v. 7", "done": 1, "total": 3, "milestones": 1},
        {"week": "v. 8", "done": 2, "total": 2, "milestones": 1},
        {"week": "v. 9", "done": 2, "total": 2, "milestones": 1},
    ]
    html = str(render_markdown(template.render(template.default_template(), facts)))
    image = f'<img alt="{row["burnup_alt"]}" src="{row["burnup_url"]}"'
    assert image in html
    assert "<th>Milstolpar nådda</th>" in html
    assert "<td>v. 7</td>\n<td>1</td>\n<td>3</td>\n<td>1</td>" in html  # sanitised

    client = app.test_client()
    path = row["burnup_url"].removeprefix("https://t.se")
    svg = client.get(path)
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
    assert "<title>Utveckling vecka för vecka. Vecka 9: 2 av 2 uppdrag" in svg.text
    for bad in (
        "/blogg/kurva/2026-02-03/3/1/1.svg",  # not a Monday
        "/blogg/kurva/2026-02-02/3-3/4-1/1-1.svg",  # more done than in all
        "/blogg/kurva/2026-02-02/3-3/1/1-1.svg",  # uneven
        "/blogg/kurva/2026-02-02/x/1/1.svg",
        "/blogg/kurva/nej/3/1/1.svg",
    ):
        assert client.get(bad).status_code == 404, bad


def test_a_kept_burnup_takes_in_new_events_as_a_whole_replay_would(
    session: Session,
) -> None:
    """A move or a tick this week is added to the kept replay (only the new events
    are read); an event dated before the replayed ones makes it replay everything.
    Either way the weeks are those of a replay from the start."""
    today = clock.today()
    monday = today - timedelta(days=today.weekday() + 14)
    plan = grow_plan(session, monday)
    late = make_assignment(session, plan, title="D")
    done = stages.list_stages(session)[-1]

    def fresh() -> list[burnup.Week]:
        return burnup.weekly(session, [plan.id], until=today, done_stage="Klar")[
            plan.id
        ]

    kept = burnup.replayed(session, plan.id, until=today, done_stage="Klar")
    assert kept.weeks == fresh()
    same = burnup.replayed(session, plan.id, until=today, done_stage="Klar", kept=kept)
    assert same is kept  # nothing new: nothing read but the fingerprint
    assignments.move_assignment(session, None, late, done)
    session.flush()
    extended = burnup.replayed(
        session, plan.id, until=today, done_stage="Klar", kept=kept
    )
    assert extended.weeks == fresh() and extended.weeks != kept.weeks
    assert extended.weeks[-1].done == kept.weeks[-1].done + 1
    assert kept.weeks[-1].done == 2  # the kept one is as it was
    with happened_at(session, at(monday)):  # an event from before: replayed afresh
        make_assignment(session, plan, title="E")
    again = burnup.replayed(
        session, plan.id, until=today, done_stage="Klar", kept=extended
    )
    assert again.weeks == fresh()
    assert (extended.weeks[0].total, again.weeks[0].total) == (3, 4)  # A-C, then E
