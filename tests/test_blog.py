"""The built-in staff blog: posts, the Atom feed and the progress bar image."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import UTC, datetime

import pytest
from conftest import login
from factories import make_person
from flask import Flask
from flask.testing import FlaskClient

from tracker.db import get_session
from tracker.markup import render_markdown
from tracker.models.digests import BlogPost
from tracker.models.people import Role

ATOM = "{http://www.w3.org/2005/Atom}"
BODY = "## Rubrik\n\nText med **fetstil** & <script>alert(1)</script>.\n"


@pytest.fixture
def post(app: Flask) -> BlogPost:
    with app.app_context():
        session = get_session()
        post = BlogPost(
            slug="manadsbrev-2026-03",
            title="Månadsbrev mars 2026",
            body=BODY,
            published_at=datetime(2026, 4, 6, 7, tzinfo=UTC),
        )
        session.add(post)
        make_person(session, email="staff@test.se")
        session.commit()
        return post


@pytest.fixture
def staff(client: FlaskClient, post: BlogPost) -> FlaskClient:
    login(client, "staff@test.se")
    return client


def test_the_blog_is_for_logged_in_staff(client: FlaskClient, post: BlogPost) -> None:
    for path in ("/blogg/", "/blogg/manadsbrev-2026-03", "/blogg/feed.atom"):
        response = client.get(path)
        assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_the_index_lists_posts_and_links_the_feed(staff: FlaskClient) -> None:
    page = staff.get("/blogg/").get_data(as_text=True)
    assert "Månadsbrev mars 2026" in page
    assert 'type="application/atom+xml"' in page


def test_a_post_page_shows_the_sanitised_html(staff: FlaskClient) -> None:
    page = staff.get("/blogg/manadsbrev-2026-03").get_data(as_text=True)
    assert str(render_markdown(BODY)) in page
    assert "<script>alert" not in page


def test_an_unknown_post_is_404(staff: FlaskClient) -> None:
    assert staff.get("/blogg/finns-inte").status_code == 404


def test_the_atom_feed_is_valid_and_carries_the_html_escaped(
    staff: FlaskClient,
) -> None:
    response = staff.get("/blogg/feed.atom")
    assert response.mimetype == "application/atom+xml"
    feed = ET.fromstring(response.get_data())  # noqa: S314 - our own output
    (entry,) = feed.findall(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}title") == "Månadsbrev mars 2026"
    assert (
        entry.findtext(f"{ATOM}id") == "https://tracker.test/blogg/manadsbrev-2026-03"
    )
    assert entry.findtext(f"{ATOM}published") == "2026-04-06T07:00:00+00:00"
    content = entry.find(f"{ATOM}content")
    assert content is not None and content.get("type") == "html"
    assert content.text == str(render_markdown(BODY))
    assert feed.findtext(f"{ATOM}updated") == "2026-04-06T07:00:00+00:00"


def test_the_bar_image_is_public_and_shows_the_numbers(client: FlaskClient) -> None:
    response = client.get("/blogg/stapel/3/6/10.svg")
    assert response.status_code == 200
    assert response.mimetype == "image/svg+xml"
    svg = ET.fromstring(response.get_data())  # noqa: S314 - our own output
    widths = [r.get("width") for r in svg.iter("{http://www.w3.org/2000/svg}rect")]
    assert widths[1:3] == ["90", "90"]  # 3 of 10 earlier, 3 more this month
    assert "max-age" in response.headers["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    [
        "/blogg/stapel/5/3/10.svg",
        "/blogg/stapel/0/11/10.svg",
        "/blogg/stapel/0/0/999999.svg",
    ],
)
def test_impossible_bars_are_404(client: FlaskClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_staff_see_the_blog_in_the_menu(app: Flask, staff: FlaskClient) -> None:
    page = staff.get("/").get_data(as_text=True)
    assert 'href="/blogg/"' in page
    assert 'href="/manadsbrev/"' not in page  # communicators only


def test_communicators_see_the_digest_in_the_menu(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        make_person(get_session(), role=Role.COMMUNICATOR, email="komm@test.se")
        get_session().commit()
    login(client, "komm@test.se")
    assert 'href="/manadsbrev/"' in client.get("/").get_data(as_text=True)
