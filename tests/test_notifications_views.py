"""Following and Notiser over HTTP, the header count per reader, the issue's case."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from conftest import CSRF_RE, login, post_form
from factories import make_person, make_plan
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tracker import clock, demo, jobs, notification_jobs
from tracker.db import get_session
from tracker.models.mail import OutboxMessage
from tracker.models.notifications import EmailSchedule, Notification
from tracker.models.people import Person
from tracker.services.attention import notifications
from tracker.services.attention.notifications import Delivery

PLAN = "bli-en-processorganisation"
ASSIGNMENT = "Utse processägare"


def build(app: Flask, fn: Any) -> Any:
    with app.app_context():
        result = fn(get_session())
        get_session().commit()
        return result


def person_id(app: Flask, email: str) -> int:
    with app.app_context():
        return int(
            get_session().scalars(select(Person.id).where(Person.email == email)).one()
        )


def give(app: Flask, email: str, *keys: str) -> None:
    """Notifications for *email*, one per key."""
    pid = person_id(app, email)
    now = datetime.now(UTC)
    build(
        app,
        lambda s: notifications.store(
            s,
            [
                Delivery(pid, notifications.DIGEST, k, now, params={"title": k})
                for k in keys
            ],
            now=now,
        ),
    )


def unread_in_header(page: str) -> str:
    """The header link's text: 'Notiser' or 'Notiser 2 olästa'."""
    found = re.search(r'class="notifications-link"[^>]*>(.*?)</a>', page, re.S)
    assert found is not None
    return " ".join(re.sub(r"<[^>]+>", " ", found[1]).split())


def follow_form(page: str) -> tuple[str, str]:
    """The follow form's action and button."""
    found = re.search(
        r'<form method="post" class="inline-form follow-form" action="([^"]+)">'
        r".*?<button[^>]*>([^<]+)</button>",
        page,
        re.S,
    )
    assert found is not None
    return found[1], found[2]


@pytest.fixture
def two_readers(app: Flask) -> tuple[FlaskClient, FlaskClient, str]:
    slug = build(
        app,
        lambda s: (
            make_person(s, email="ada@test.se", name="Ada"),
            make_person(s, email="bo@test.se", name="Bo"),
            make_plan(s, title="Gemensam plan").slug,
        )[2],
    )
    ada, bo = app.test_client(), app.test_client()
    login(ada, "ada@test.se")
    login(bo, "bo@test.se")
    for reader in (ada, bo):
        reader.get("/")  # the login's welcome message, shown once
    return ada, bo, slug


def test_the_unread_count_of_a_cached_page_is_each_readers_own(
    app: Flask, two_readers: tuple[FlaskClient, FlaskClient, str]
) -> None:
    ada, bo, slug = two_readers
    give(app, "ada@test.se", "ett", "två")
    for path in ("/", f"/plans/{slug}"):
        ada.get(path)  # Ada fills the page cache
        assert unread_in_header(ada.get(path).get_data(as_text=True)) == (
            "Notiser 2 olästa"
        )
        assert unread_in_header(bo.get(path).get_data(as_text=True)) == "Notiser"
    give(app, "bo@test.se", "tre")
    for path in ("/", f"/plans/{slug}"):
        assert "Notiser 1 olästa" in unread_in_header(
            bo.get(path).get_data(as_text=True)
        )
        assert "Notiser 2 olästa" in unread_in_header(
            ada.get(path).get_data(as_text=True)
        )
    assert len(app.extensions["tracker.page_cache"]) >= 2  # served from the cache


def test_following_from_a_cached_plan_page_shows_for_that_reader_only(
    app: Flask, two_readers: tuple[FlaskClient, FlaskClient, str]
) -> None:
    ada, bo, slug = two_readers
    page = ada.get(f"/plans/{slug}").get_data(as_text=True)
    action, button = follow_form(page)
    assert button.strip() == "Följ"
    token = CSRF_RE.search(page)
    assert token is not None
    followed = ada.post(action, data={"csrf_token": token[1]})
    assert followed.status_code == 302
    assert followed.headers["Location"] == f"/plans/{slug}"
    assert "Nu följer du det." in ada.get(f"/plans/{slug}").get_data(as_text=True)
    mine = ada.get(f"/plans/{slug}").get_data(as_text=True)  # from the cache now
    assert follow_form(mine)[1].strip() == "Sluta följa"
    assert follow_form(bo.get(f"/plans/{slug}").get_data(as_text=True))[1].strip() == (
        "Följ"
    )
    again = post_form(ada, action)  # following twice is harmless
    assert again.status_code == 302
    listed = ada.get("/notiser/").get_data(as_text=True)
    assert "Gemensam plan" in listed and "handlingsplan" in listed
    assert post_form(ada, "/folj/plan/999999").status_code == 404
    assert post_form(ada, "/folj/projekt/1").status_code == 404


def test_notiser_lists_mine_and_marks_them_read(
    app: Flask, two_readers: tuple[FlaskClient, FlaskClient, str]
) -> None:
    ada, bo, _slug = two_readers
    give(app, "ada@test.se", "Novemberbrevet", "Decemberbrevet")
    give(app, "bo@test.se", "Bos brev")
    page = ada.get("/notiser/").get_data(as_text=True)
    assert "Månadsbrevet ”Novemberbrevet” är publicerat." in page
    assert "Bos brev" not in page
    with app.app_context():
        theirs = (
            get_session()
            .scalars(select(Notification.id).where(Notification.key == "Bos brev"))
            .one()
        )
        mine = (
            get_session()
            .scalars(
                select(Notification.id).where(Notification.key == "Novemberbrevet")
            )
            .one()
        )
    assert post_form(ada, f"/notiser/{theirs}/las").status_code == 404
    assert post_form(ada, f"/notiser/{mine}/las").status_code == 302
    assert unread_in_header(ada.get("/notiser/").get_data(as_text=True)) == (
        "Notiser 1 olästa"
    )
    assert post_form(ada, "/notiser/las").status_code == 302
    assert unread_in_header(ada.get("/notiser/").get_data(as_text=True)) == "Notiser"
    assert "Notiser 1 olästa" in unread_in_header(bo.get("/").get_data(as_text=True))


def test_the_e_mail_schedule_is_chosen_on_the_profile(
    app: Flask, client: FlaskClient
) -> None:
    build(app, lambda s: make_person(s, email="mats@test.se"))
    login(client, "mats@test.se")
    page = client.get("/me/profile").get_data(as_text=True)
    assert (
        '<option selected value="weekly">En sammanfattning varje vecka</option>' in page
    )
    saved = post_form(
        client, "/notiser/installningar", {"schedule": "daily", "open_calls": ""}
    )
    assert saved.headers["Location"].endswith("/me/profile#notification-settings")
    page = client.get("/me/profile").get_data(as_text=True)
    assert "Dina inställningar för e-post är sparade." in page
    assert '<option selected value="daily">' in page
    bad = post_form(client, "/notiser/installningar", {"schedule": "hourly"})
    assert bad.status_code == 302
    assert "Välj hur ofta du vill få e-post." in client.get("/me/profile").get_data(
        as_text=True
    )
    with app.app_context():
        row = notifications.settings_of(
            get_session(), person_id(app, "mats@test.se"), default=EmailSchedule.WEEKLY
        )
        assert row.schedule is EmailSchedule.DAILY and row.open_calls is False


def test_the_issues_case_follow_a_plan_be_told_once_and_mailed_once(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """medarbetare@demo.se follows a plan; leadership moves one of its assignments."""
    build(app, lambda s: demo.load(s, password="demo"))
    jobs.bind(app)
    staff, leader = app.test_client(), app.test_client()
    login(staff, "medarbetare@demo.se", "demo")
    login(leader, "ledning@demo.se", "demo")
    plan_page = staff.get(f"/plans/{PLAN}").get_data(as_text=True)
    action, _button = follow_form(plan_page)
    assert post_form(staff, action).status_code == 302
    board = leader.get(f"/plans/{PLAN}").get_data(as_text=True)
    card = re.search(
        rf'<a id="card-title-\d+" href="/assignments/(\d+)">{ASSIGNMENT}</a>.*?'
        r'<select id="move-\d+" name="stage_id">(.*?)</select>',
        board,
        re.S,
    )
    assert card is not None
    stage = re.search(r'<option value="(\d+)">', card[2])  # one it is not in
    assert stage is not None
    moved = post_form(leader, f"/assignments/{card[1]}/move", {"stage_id": stage[1]})
    assert moved.status_code == 302
    notification_jobs.fanout_job()
    notification_jobs.fanout_job()  # the job runs again: nothing more
    page = staff.get("/notiser/").get_data(as_text=True)
    told = re.findall(r"Lena Ledare flyttade uppdraget ”Utse processägare”", page)
    assert len(told) == 1
    assert unread_in_header(page) == "Notiser 1 olästa"
    assert "Lena Ledare flyttade" not in leader.get("/notiser/").get_data(as_text=True)

    def mail_to_staff() -> list[OutboxMessage]:
        with app.app_context():
            return [
                m
                for m in get_session().scalars(select(OutboxMessage))
                if m.to == ["medarbetare@demo.se"]
            ]

    assert mail_to_staff() == []  # weekly, the default: not yet
    monday = next_monday_morning()
    monkeypatch.setattr(clock, "now", lambda: monday)
    notification_jobs.summaries_job()
    notification_jobs.summaries_job()
    notification_jobs.fanout_job()
    (message,) = mail_to_staff()
    assert "Lena Ledare flyttade uppdraget ”Utse processägare”" in message.body
    assert message.headers and "List-Unsubscribe" in message.headers
    monkeypatch.setattr(clock, "now", lambda: monday + timedelta(days=1))
    notification_jobs.summaries_job()
    assert len(mail_to_staff()) == 1


def next_monday_morning() -> datetime:
    """08:00 Stockholm time on the Monday after today."""
    today = datetime.now(clock.STOCKHOLM).date()
    monday = today + timedelta(days=7 - today.weekday())
    return (
        datetime.combine(monday, datetime.min.time(), clock.STOCKHOLM)
        .replace(hour=8)
        .astimezone(UTC)
    )
