"""The WordPress client against a fake WordPress REST API on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest
import requests
from fakes.wordpress import FakeWordPress

from tracker.services.digest import wordpress
from tracker.services.digest.wordpress import WordPressError, WordPressSettings

PASSWORD = "abcd EFGH 1234 ijkl MNOP 6789"
SLUG = "manadsbrev-2026-03"


@pytest.fixture
def wp() -> Iterator[FakeWordPress]:
    fake = FakeWordPress()
    fake.add_user("redaktion", PASSWORD, role="editor")
    fake.add_user("bidrag", PASSWORD, role="contributor")
    fake.start()
    yield fake
    fake.stop()


def settings(fake: FakeWordPress, **changes: object) -> WordPressSettings:
    base = WordPressSettings(
        url=fake.url, user="redaktion", app_password=PASSWORD, category=7, timeout=2
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def publish(fake: FakeWordPress, **changes: object) -> wordpress.Post:
    return wordpress.publish_post(
        settings(fake, **changes),
        slug=SLUG,
        title="Månadsbrev mars",
        content="<p>Hej</p>",
    )


def test_publishing_creates_one_post_with_slug_status_and_category(
    wp: FakeWordPress,
) -> None:
    post = publish(wp)
    (stored,) = wp.posts.values()
    assert stored["slug"] == SLUG
    assert stored["status"] == "publish"
    assert stored["categories"] == [7]
    assert stored["content"] == "<p>Hej</p>"
    assert post.id == stored["id"]
    assert post.url == f"{wp.url}/{SLUG}/"


def test_a_second_run_updates_the_same_post_instead_of_making_a_dash_2(
    wp: FakeWordPress,
) -> None:
    first = publish(wp)
    second = publish(wp)
    assert second.id == first.id
    assert [p["slug"] for p in wp.posts.values()] == [SLUG]


def test_the_fake_gives_a_taken_slug_dash_2_like_wordpress(wp: FakeWordPress) -> None:
    # what a naive client would get: the reason for the lookup before creating
    auth = ("redaktion", PASSWORD.replace(" ", ""))
    for _ in range(2):
        response = requests.post(
            f"{wp.url}/wp-json/wp/v2/posts",
            json={"slug": SLUG, "title": "x", "status": "draft"},
            auth=auth,
            timeout=5,
        )
        assert response.status_code == 201
    assert sorted(p["slug"] for p in wp.posts.values()) == [SLUG, f"{SLUG}-2"]


def test_a_draft_with_the_slug_is_found_and_updated(wp: FakeWordPress) -> None:
    draft = publish(wp, status="draft")
    assert draft.status == "draft"
    published = publish(wp)
    assert published.id == draft.id
    assert published.status == "publish"
    assert len(wp.posts) == 1


def test_a_create_answered_too_late_is_found_by_its_slug(wp: FakeWordPress) -> None:
    wp.answer_delay_after_create = 1.5
    post = publish(wp, timeout=0.5)
    wp.answer_delay_after_create = 0
    assert len(wp.posts) == 1
    assert post.id == next(iter(wp.posts))
    lookups = [path for method, path in wp.log if method == "GET"]
    assert len(lookups) == 2  # before creating and after the timeout


def test_a_timeout_before_anything_was_created_is_an_error(wp: FakeWordPress) -> None:
    wp.delay_before_answer = 1.0
    with pytest.raises(WordPressError) as caught:
        publish(wp, timeout=0.3)
    wp.delay_before_answer = 0
    assert caught.value.status is None
    assert caught.value.code == "timeout"
    assert not wp.posts


def test_a_wrong_application_password_is_a_401_with_wordpress_code(
    wp: FakeWordPress,
) -> None:
    with pytest.raises(WordPressError) as caught:
        publish(wp, app_password="wrong wrong wrong")
    assert caught.value.status == 401
    assert caught.value.code == "incorrect_password"
    assert "invalid application password" in str(caught.value)


def test_spaces_in_the_application_password_do_not_matter(wp: FakeWordPress) -> None:
    publish(wp, app_password=PASSWORD.replace(" ", ""))
    assert len(wp.posts) == 1


def test_a_user_who_may_not_publish_gets_403(wp: FakeWordPress) -> None:
    with pytest.raises(WordPressError) as caught:
        publish(wp, user="bidrag")
    assert caught.value.status == 403
    assert caught.value.code == "rest_cannot_publish"
    assert not wp.posts


def test_status_any_needs_a_login(wp: FakeWordPress) -> None:
    response = requests.get(
        f"{wp.url}/wp-json/wp/v2/posts", params={"status": "any"}, timeout=5
    )
    body = response.json()
    assert response.status_code == 400
    assert body["code"] == "rest_invalid_param"
    assert body["data"]["details"]["status"]["code"] == "rest_forbidden_status"


def test_a_server_error_is_reported_with_its_status(wp: FakeWordPress) -> None:
    wp.fail_next(503, method="POST")
    with pytest.raises(WordPressError) as caught:
        publish(wp)
    assert caught.value.status == 503
    assert not wp.posts


def test_an_html_error_page_is_still_an_error(wp: FakeWordPress) -> None:
    wp.fail_next(502, method="GET", html=True)
    with pytest.raises(WordPressError) as caught:
        publish(wp)
    assert caught.value.status == 502


def test_an_unreachable_site_is_an_error_not_a_crash() -> None:
    unreachable = WordPressSettings(
        url="http://127.0.0.1:9", user="u", app_password="p"
    )
    with pytest.raises(WordPressError) as caught:
        wordpress.find_by_slug(unreachable, SLUG)
    assert caught.value.code == "unreachable"


def test_connection_test_names_the_user_and_the_right_to_publish(
    wp: FakeWordPress,
) -> None:
    report = wordpress.test_connection(settings(wp))
    assert report.ok and report.can_publish
    assert report.user_name == "redaktion"
    contributor = wordpress.test_connection(settings(wp, user="bidrag"))
    assert not contributor.ok and contributor.error is None


def test_connection_test_on_a_site_without_application_passwords(
    wp: FakeWordPress,
) -> None:
    wp.app_passwords_available = False  # what a plain-HTTP production site does
    report = wordpress.test_connection(settings(wp))
    assert not report.ok
    assert report.error is not None and report.error.status == 401
    hint = str(wordpress.error_hint(str(report.error)))
    assert "HTTPS" in hint


def test_https_is_expected_except_for_local_test_sites() -> None:
    assert not WordPressSettings("http://blogg.example.se", "u", "p").is_https
    assert WordPressSettings("https://blogg.example.se", "u", "p").is_https
    assert WordPressSettings("http://127.0.0.1:8080", "u", "p").is_https
