"""What communicators must be able to trust: nothing of the editor's scaffolding
published, no lost text, corrections in place, right links, working days."""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import UTC, date, datetime, timedelta
from email import message_from_bytes
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from conftest import post_form
from fakes.wordpress import FakeWordPress
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select
from test_digest_views import PASSWORD, bound_app, log_in_as, wp  # noqa: F401
from test_mail import Inbox, free_port

from tracker.db import get_session
from tracker.models.digests import DigestState
from tracker.models.mail import OutboxMessage
from tracker.models.people import Role
from tracker.services import mail
from tracker.services.digest import drafts as digests
from tracker.services.digest import workdays

PAGE = "/manadsbrev/2026-03"
SCAFFOLDING = ["Skriv gärna", "fakta:start", "fakta:slut", "<!--", "&lt;!--"]


def wp_config(fake: FakeWordPress) -> dict[str, Any]:
    return {"URL": fake.url, "USER": "redaktion", "APP_PASSWORD": PASSWORD}


def test_an_untouched_draft_leaves_no_scaffolding_in_any_target(
    db_url: str,
    connection: Connection,
    wp: FakeWordPress,  # noqa: F811
) -> None:
    app = bound_app(
        db_url,
        connection,
        WORDPRESS=wp_config(wp),
        DIGEST={"MAIL_TO": "alla@kommun.example"},
    )
    client = app.test_client()
    log_in_as(app, client, Role.COMMUNICATOR)
    post_form(client, "/manadsbrev/draft", {"month": "2026-03"})
    with app.app_context():
        draft = digests.get_by_period(get_session(), "2026-03")
        assert draft is not None and "Skriv gärna" in draft.body  # the editor sees it
    post_form(client, f"{PAGE}/publish")
    with app.app_context():
        (message,) = get_session().scalars(select(OutboxMessage)).all()
        texts = {"e-mail text": message.body, "e-mail html": message.html or ""}
    (post,) = wp.posts.values()
    texts |= {"wordpress": post["content"], "wordpress excerpt": post["excerpt"]}
    texts["blog"] = client.get("/blogg/manadsbrev-2026-03").get_data(as_text=True)
    texts["feed"] = client.get("/blogg/feed.atom").get_data(as_text=True)
    texts["page"] = client.get(PAGE).get_data(as_text=True).split("preview-heading")[1]
    for where, text in texts.items():
        for mark in SCAFFOLDING:
            assert mark not in text, (where, mark)
    assert "##" not in message.body and "](" not in message.body
    assert "Så går det för handlingsplanerna\n=" in message.body


def test_two_editors_never_lose_each_others_text(app: Flask) -> None:
    first, second = app.test_client(), app.test_client()
    log_in_as(app, first, Role.COMMUNICATOR)
    with app.app_context():
        from factories import make_person

        make_person(get_session(), role=Role.COMMUNICATOR, email="andra@test.se")
        get_session().commit()
    from conftest import login

    login(second, "andra@test.se")
    post_form(first, "/manadsbrev/draft", {"month": "2026-03"})
    # both opened version 1; the first saves
    saved = post_form(
        first, PAGE, {"title": "T", "body": "Annas text.", "version": "1"}
    )
    assert saved.status_code == 302
    clash = post_form(second, PAGE, {"title": "T", "body": "Bos text.", "version": "1"})
    page = clash.get_data(as_text=True)
    assert clash.status_code == 409
    assert "Din text sparades inte" in page
    assert "<del>" in page and "Annas text." in page and "Bos text." in page
    assert 'name="version" type="hidden" value="2"' in page
    with app.app_context():
        digest = digests.get_by_period(get_session(), "2026-03")
        assert digest is not None and digest.body == "Annas text."
    merged = "Annas text.\n\nBos text."
    again = post_form(second, PAGE, {"title": "T", "body": merged, "version": "2"})
    assert again.status_code == 302
    # a page opened before a refresh cannot put the old facts back
    post_form(first, f"{PAGE}/refresh", {"title": "T", "body": merged, "version": "3"})
    stale = post_form(second, PAGE, {"title": "T", "body": "Gammalt", "version": "3"})
    assert stale.status_code == 409


def test_a_correction_updates_the_same_post_everywhere(
    db_url: str,
    connection: Connection,
    wp: FakeWordPress,  # noqa: F811
) -> None:
    app = bound_app(db_url, connection, WORDPRESS=wp_config(wp))
    client = app.test_client()
    log_in_as(app, client, Role.COMMUNICATOR)
    post_form(client, "/manadsbrev/draft", {"month": "2026-03"})
    post_form(client, f"{PAGE}/publish")
    (post_id,) = wp.posts
    with app.app_context():
        digest = digests.get_by_period(get_session(), "2026-03")
        assert digest is not None
        body, version = digest.body, digests.newest_version(get_session(), digest)
    assert version is not None
    fixed = body.replace("Så går det", "Så går det i dag", 1)
    time.sleep(1.1)  # the feed's times are in whole seconds
    response = post_form(
        client,
        f"{PAGE}/correct",
        {"title": "Mars", "body": fixed, "note": "Stavfel", "version": version.number},
        follow_redirects=True,
    )
    assert "Rättelsen sparades" in response.get_data(as_text=True)
    assert list(wp.posts) == [post_id]  # the same post, updated
    assert "Så går det i dag" in wp.posts[post_id]["content"]
    assert wp.posts[post_id]["title"] == "Mars"
    blog = client.get("/blogg/manadsbrev-2026-03").get_data(as_text=True)
    assert "Så går det i dag" in blog and "Uppdaterad" in blog
    feed = ET.fromstring(client.get("/blogg/feed.atom").get_data())  # noqa: S314
    atom = "{http://www.w3.org/2005/Atom}"
    entry = feed.find(f"{atom}entry")
    assert entry is not None
    assert entry.findtext(f"{atom}updated") != entry.findtext(f"{atom}published")
    versions = client.get(f"{PAGE}/versions/").get_data(as_text=True)
    assert "Rättat efter publicering: Stavfel" in versions


def test_the_demo_links_use_the_port_it_is_served_on(
    db_url: str, connection: Connection
) -> None:
    app = bound_app(db_url, connection, PUBLIC_URL="")
    client = app.test_client()
    served = client.open

    def on_port_7300(*args: Any, **kwargs: Any) -> Any:
        return served(*args, **{"base_url": "http://127.0.0.1:7300", **kwargs})

    client.open = on_port_7300  # type: ignore[method-assign]
    log_in_as(app, client, Role.COMMUNICATOR)
    post_form(client, "/manadsbrev/draft", {"month": "2026-03"})
    post_form(client, f"{PAGE}/publish")
    page = client.get(PAGE).get_data(as_text=True)
    assert "http://127.0.0.1:7300/blogg/manadsbrev-2026-03" in page
    assert "127.0.0.1:5000" not in page
    feed = client.get("/blogg/feed.atom").get_data(as_text=True)
    assert "<id>http://127.0.0.1:7300/blogg/" in feed


def test_relative_links_in_the_communicators_text_become_absolute(
    app: Flask, communicator_client: FlaskClient
) -> None:
    post_form(communicator_client, "/manadsbrev/draft", {"month": "2026-03"})
    text = "Läs [planen](/plans/x) och ![bild](/static/a.png)."
    post_form(communicator_client, PAGE, {"title": "T", "body": text, "version": "1"})
    post_form(communicator_client, f"{PAGE}/publish")
    feed = communicator_client.get("/blogg/feed.atom").get_data(as_text=True)
    assert "https://tracker.test/plans/x" in feed
    assert "https://tracker.test/static/a.png" in feed


@pytest.fixture
def communicator_client(app: Flask) -> FlaskClient:
    client = app.test_client()
    log_in_as(app, client, Role.COMMUNICATOR)
    return client


def test_a_running_month_is_published_only_by_explicit_choice(
    app: Flask, communicator_client: FlaskClient
) -> None:
    month = datetime.now(UTC).strftime("%Y-%m")
    page = f"/manadsbrev/{month}"
    post_form(communicator_client, "/manadsbrev/draft", {"month": month})
    refused = post_form(communicator_client, f"{page}/publish", follow_redirects=True)
    assert "är inte slut" in refused.get_data(as_text=True)
    with app.app_context():
        digest = digests.get_by_period(get_session(), month)
        assert digest is not None and digest.state is not DigestState.PUBLISHED
    post_form(communicator_client, f"{page}/publish", {"freeze_early": "y"})
    with app.app_context():
        digest = digests.get_by_period(get_session(), month)
        assert digest is not None and digest.state is DigestState.PUBLISHED


@pytest.mark.parametrize(
    ("month", "message"),
    [("2026-13", "ÅÅÅÅ-MM"), ("2099-01", "inte har börjat")],
)
def test_bad_months_are_refused_in_swedish_by_the_cli(
    app: Flask, month: str, message: str
) -> None:
    result = app.test_cli_runner().invoke(args=["digest", "draft", "--month", month])
    assert result.exit_code != 0 and message in result.output


def test_wordpress_refusing_the_login_fails_the_cli_and_publishes_nothing_twice(
    db_url: str,
    connection: Connection,
    wp: FakeWordPress,  # noqa: F811
) -> None:
    app = bound_app(db_url, connection, WORDPRESS=wp_config(wp) | {"APP_PASSWORD": "x"})
    runner = app.test_cli_runner()
    runner.invoke(args=["digest", "draft", "--month", "2026-03"])
    for _ in range(2):
        result = runner.invoke(args=["digest", "publish", "--month", "2026-03"])
        assert result.exit_code != 0 and "HTTP 401" in result.output
        assert "försöker igen" in result.output
    assert not wp.posts
    blog = [line for line in result.output.splitlines() if line.startswith("builtin")]
    assert len(blog) == 1


def test_the_digest_email_arrives_as_html_and_text(
    db_url: str, connection: Connection
) -> None:
    inbox, port = Inbox(), free_port()
    controller = Controller(
        inbox, hostname="127.0.0.1", port=port, enable_SMTPUTF8=False
    )
    controller.start()
    try:
        smtp = {"HOST": "127.0.0.1", "PORT": port, "TIMEOUT": 5}
        app = bound_app(
            db_url,
            connection,
            SMTP=smtp,
            DIGEST={"MAIL_TO": "alla@kommun.example, omar.öberg@kommun.example"},
        )
        runner = app.test_cli_runner()
        runner.invoke(args=["digest", "draft", "--month", "2026-03"])
        runner.invoke(args=["digest", "publish", "--month", "2026-03"])
        with app.app_context():
            delivered = mail.deliver_pending(get_session(), app.config["SMTP"])
            get_session().commit()
            failed = (
                get_session()
                .scalars(
                    select(OutboxMessage).where(OutboxMessage.failed_at.is_not(None))
                )
                .all()
            )
    finally:
        controller.stop()
    assert delivered == 1
    assert [m.to for m in failed] == [["omar.öberg@kommun.example"]]
    (_, received), *_ = inbox.messages
    assert received.get_content_type() == "multipart/alternative"
    html = received.get_payload()[1].get_payload(decode=True).decode()
    assert "<h2>Så går det för handlingsplanerna</h2>" in html
    assert message_from_bytes(received.as_bytes())["Subject"]


def holidays_hit(first_working: bool) -> tuple[int, int]:
    """Drafts and publications on a Swedish holiday over 2026–2035."""
    drafts = publications = 0
    for year in range(2026, 2036):
        for month in range(1, 13):
            if first_working:
                draft = workdays.working_day_of_month(year, month, 0)
                publish = workdays.working_day_of_month(year, month, 2)
            else:  # the old rule: weekdays only
                days = [
                    date(year, month, 1) + timedelta(d)
                    for d in range(10)
                    if (date(year, month, 1) + timedelta(d)).weekday() < 5
                ]
                draft, publish = days[0], days[2]
            drafts += not workdays.is_working_day(draft)
            publications += not workdays.is_working_day(publish)
    return drafts, publications


def test_the_schedule_skips_swedish_public_holidays_2026_to_2035() -> None:
    assert holidays_hit(first_working=False) == (15, 2)  # what the reviewers found
    assert holidays_hit(first_working=True) == (0, 0)
    assert workdays.working_day_of_month(2027, 1, 0) == date(2027, 1, 4)
    print(
        "holiday hits over 2026-2035, weekday rule / working-day rule:",
        holidays_hit(False),
        holidays_hit(True),
    )


def test_without_public_url_the_cli_uses_the_address_last_served_on(
    tmp_path: Any, db_url: str
) -> None:
    from tracker import create_app, links

    config = {"TESTING": True, "SECRET_KEY": "t", "DATABASE_URL": db_url}
    app = create_app(config | {"PUBLIC_URL": ""})
    app.instance_path = str(tmp_path)
    links.remember_served_url(app, "http://127.0.0.1:7300")
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:7300"
    again = create_app(config | {"PUBLIC_URL": ""})
    again.instance_path = str(tmp_path)
    from tracker.config import _fill_public_url

    again.config["PUBLIC_URL"] = ""
    _fill_public_url(again)
    assert again.config["PUBLIC_URL"] == "http://127.0.0.1:7300"
    configured = create_app(config | {"PUBLIC_URL": "https://tracker.example"})
    links.remember_served_url(configured, "http://127.0.0.1:7300")
    assert configured.config["PUBLIC_URL"] == "https://tracker.example"
