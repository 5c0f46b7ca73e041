"""The communicators' digest pages over HTTP, with CSRF on."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from conftest import login, make_test_app, post_form
from factories import happened_at, make_assignment, make_person, make_plan
from fakes.wordpress import FakeWordPress
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, select

from tracker.db import get_session
from tracker.markup import render_markdown
from tracker.models.digests import Digest, DigestState, DigestTemplate
from tracker.models.people import Role
from tracker.services.digest import content
from tracker.services.digest import drafts as digests

PAGE = "/manadsbrev/2026-03"
PASSWORD = "abcd EFGH 1234 ijkl MNOP 6789"


def bound_app(db_url: str, connection: Connection, **config: object) -> Flask:
    app = make_test_app(db_url, **config)
    app.extensions["tracker.sessionmaker"].configure(
        bind=connection, join_transaction_mode="create_savepoint"
    )
    return app


def log_in_as(app: Flask, client: FlaskClient, role: Role) -> None:
    email = f"{role.value}@test.se"
    with app.app_context():
        make_person(
            get_session(), role=role, email=email, name=f"{role.value} Testsson"
        )
        get_session().commit()
    login(client, email)


def digest(app: Flask) -> Digest:
    with app.app_context():
        found = digests.get_by_period(get_session(), "2026-03")
        assert found is not None
        return found


@pytest.fixture
def communicator(app: Flask, client: FlaskClient) -> FlaskClient:
    log_in_as(app, client, Role.COMMUNICATOR)
    return client


@pytest.fixture
def drafted(app: Flask, communicator: FlaskClient) -> FlaskClient:
    response = post_form(communicator, "/manadsbrev/draft", {"month": "2026-03"})
    assert response.headers["Location"] == PAGE
    return communicator


@pytest.fixture
def wp() -> Iterator[FakeWordPress]:
    fake = FakeWordPress()
    fake.add_user("redaktion", PASSWORD)
    fake.start()
    yield fake
    fake.stop()


def test_staff_may_not_open_the_digest_pages(app: Flask, client: FlaskClient) -> None:
    log_in_as(app, client, Role.STAFF)
    assert client.get("/manadsbrev/").status_code == 403


def test_anonymous_visitors_are_sent_to_log_in(client: FlaskClient) -> None:
    response = client.get("/manadsbrev/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_list_offers_last_month_and_explains_the_mode(
    communicator: FlaskClient,
) -> None:
    page = communicator.get("/manadsbrev/").get_data(as_text=True)
    assert "Månadsbrev" in page
    assert "publiceras automatiskt" in page
    assert "Inget månadsbrev har skrivits ännu." in page


def test_drafting_opens_the_editor_with_a_swedish_draft(drafted: FlaskClient) -> None:
    page = drafted.get(PAGE).get_data(as_text=True)
    assert "Månadsbrev mars 2026" in page
    assert "Så går det för handlingsplanerna" in page
    assert "Förhandsgranska" in page and "uppdatera fakta" in page


def test_a_bad_month_is_refused_in_swedish(communicator: FlaskClient) -> None:
    response = post_form(
        communicator, "/manadsbrev/draft", {"month": "mars"}, follow_redirects=True
    )
    assert "ÅÅÅÅ-MM" in response.get_data(as_text=True)


def test_the_preview_shows_unsaved_text_exactly_as_it_will_be_published(
    app: Flask, drafted: FlaskClient
) -> None:
    text = "## Hej\n\nEn *ny* text med <script>alert(1)</script> i."
    response = post_form(
        drafted, PAGE, {"title": "Mars", "body": text, "preview": "Förhandsgranska"}
    )
    page = response.get_data(as_text=True)
    assert str(render_markdown(text)) in page
    assert "<script>alert(1)" not in page
    assert digest(app).title == "Månadsbrev mars 2026"  # nothing saved


def test_saving_keeps_the_text_and_lists_a_version(
    app: Flask, drafted: FlaskClient
) -> None:
    response = post_form(
        drafted,
        PAGE,
        {"title": "Mars i korthet", "body": "Vår text.", "version": "1", "save": "y"},
    )
    assert response.status_code == 302
    saved = digest(app)
    assert (saved.title, saved.body, saved.state) == (
        "Mars i korthet",
        "Vår text.",
        DigestState.EDITED,
    )
    versions = drafted.get(f"{PAGE}/versions/").get_data(as_text=True)
    assert "Redigerad" in versions and "Utkast från aktivitetsloggen" in versions
    first = drafted.get(f"{PAGE}/versions/1").get_data(as_text=True)
    assert "Så går det för handlingsplanerna" in first
    post_form(drafted, f"{PAGE}/versions/1/restore")
    assert "Så går det för handlingsplanerna" in digest(app).body


def test_refreshing_the_facts_keeps_the_own_text(
    app: Flask, drafted: FlaskClient
) -> None:
    body = "Egen inledning.\n\n" + digest(app).body
    post_form(drafted, PAGE, {"title": "Mars", "body": body, "version": "1"})
    response = post_form(
        drafted,
        f"{PAGE}/refresh",
        {"title": "Mars", "body": body, "version": "2"},
        follow_redirects=True,
    )
    assert "Fakta uppdaterades." in response.get_data(as_text=True)
    assert digest(app).body.startswith("Egen inledning.")


def test_hold_release_and_schedule(app: Flask, drafted: FlaskClient) -> None:
    post_form(drafted, f"{PAGE}/hold")
    assert digest(app).state is DigestState.HELD
    assert "Släpp" in drafted.get(PAGE).get_data(as_text=True)
    post_form(drafted, f"{PAGE}/release")
    assert digest(app).state is DigestState.EDITED
    post_form(drafted, f"{PAGE}/schedule", {"publish_at": "2099-01-05T09:00"})
    scheduled = digest(app)
    assert scheduled.state is DigestState.SCHEDULED
    assert scheduled.publish_at is not None
    assert scheduled.publish_at.isoformat() == "2099-01-05T08:00:00+00:00"


def test_publishing_puts_the_same_html_on_the_blog(
    app: Flask, drafted: FlaskClient
) -> None:
    response = post_form(drafted, f"{PAGE}/publish", follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "Månadsbrevet publicerades." in page
    assert "Den inbyggda bloggen" in page
    published = digest(app)
    expected = content.to_html(published.body, "https://tracker.test")
    assert expected in page  # the digest page shows it as published
    blog = drafted.get("/blogg/manadsbrev-2026-03").get_data(as_text=True)
    assert expected in blog
    assert "Publicera nu" not in drafted.get(PAGE).get_data(as_text=True)


def test_a_wordpress_failure_is_shown_with_a_swedish_explanation(
    db_url: str, connection: Connection, wp: FakeWordPress
) -> None:
    app = bound_app(
        db_url,
        connection,
        WORDPRESS={"URL": wp.url, "USER": "redaktion", "APP_PASSWORD": "fel"},
    )
    client = app.test_client()
    log_in_as(app, client, Role.COMMUNICATOR)
    post_form(client, "/manadsbrev/draft", {"month": "2026-03"})
    page = post_form(client, f"{PAGE}/publish", follow_redirects=True).get_data(
        as_text=True
    )
    assert "HTTP 401 incorrect_password" in page
    assert "Application Password" in page and "HTTPS" in page
    assert "Försök igen nu" in page
    assert not wp.posts


def test_the_wordpress_connection_test(
    db_url: str, connection: Connection, wp: FakeWordPress
) -> None:
    app = bound_app(
        db_url,
        connection,
        WORDPRESS={"URL": wp.url, "USER": "redaktion", "APP_PASSWORD": PASSWORD},
    )
    client = app.test_client()
    log_in_as(app, client, Role.COMMUNICATOR)
    page = client.get("/manadsbrev/wordpress").get_data(as_text=True)
    assert "HTTPS" in page
    result = post_form(client, "/manadsbrev/wordpress").get_data(as_text=True)
    assert "Ansluten som redaktion" in result


def test_without_wordpress_the_page_says_how_to_set_it_up(
    communicator: FlaskClient,
) -> None:
    page = communicator.get("/manadsbrev/wordpress").get_data(as_text=True)
    assert "[WORDPRESS]" in page


def test_only_admins_edit_the_template(app: Flask, communicator: FlaskClient) -> None:
    assert communicator.get("/manadsbrev/mall").status_code == 403


def test_an_admin_changes_and_resets_the_template(
    app: Flask, client: FlaskClient
) -> None:
    log_in_as(app, client, Role.ADMIN)
    assert "fakta:start" in client.get("/manadsbrev/mall").get_data(as_text=True)
    bad = post_form(
        client, "/manadsbrev/mall", {"body": "{{ x.__class__ }}", "save": "Spara"}
    )
    assert bad.status_code == 200 and "Mallen har ett fel" in bad.get_data(as_text=True)
    text = "Hej {{ facts.month_label }}\n<!-- fakta:start -->\nx\n<!-- fakta:slut -->\n"
    preview = post_form(
        client, "/manadsbrev/mall", {"body": text, "preview": "Förhandsgranska"}
    ).get_data(as_text=True)
    assert "Hej mars 2026" in preview
    assert (
        post_form(
            client, "/manadsbrev/mall", {"body": text, "save": "Spara"}
        ).status_code
        == 302
    )
    with app.app_context():
        assert get_session().scalars(select(DigestTemplate)).one().body == text
    post_form(client, "/manadsbrev/mall/aterstall")
    with app.app_context():
        assert get_session().scalars(select(DigestTemplate)).first() is None


def test_state_changes_need_the_csrf_token(app: Flask, drafted: FlaskClient) -> None:
    assert drafted.post(f"{PAGE}/hold").status_code == 400
    assert digest(app).state is DigestState.DRAFT


def test_an_unknown_month_is_404(communicator: FlaskClient) -> None:
    assert communicator.get("/manadsbrev/2031-01").status_code == 404
    assert communicator.get("/manadsbrev/inte-en-manad").status_code == 404


def test_the_page_allows_the_bar_images_under_the_csp(
    app: Flask, communicator: FlaskClient
) -> None:
    with app.app_context():
        session = get_session()
        plan = make_plan(session, title="Plan med stapel")
        with happened_at(session, datetime(2026, 2, 1, tzinfo=UTC)):
            make_assignment(session, plan)
        session.commit()
    post_form(communicator, "/manadsbrev/draft", {"month": "2026-03"})
    response = communicator.get(PAGE)
    assert "img-src 'self' data:" in response.headers["Content-Security-Policy"]
    assert 'src="https://tracker.test/blogg/stapel/0/0/1.svg"' in response.get_data(
        as_text=True
    )


def test_an_absurd_version_number_is_404_not_a_crash(drafted: FlaskClient) -> None:
    assert drafted.get(f"{PAGE}/versions/99999999999999999999").status_code == 404
    assert drafted.get(f"{PAGE}/versions/7").status_code == 404
