"""The WordPress client against a fake WordPress REST API on loopback."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime

import pytest
import requests
from fakes.wordpress import FakeWordPress

from tracker.services.digest import wordpress, wordpress_delivery, wordpress_status
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
    chosen = settings(fake, **changes)
    fields = wordpress.post_fields(
        chosen,
        slug=SLUG,
        title="Månadsbrev mars",
        content="<p>Hej</p>",
        excerpt="Kort.",
    )
    delivered = wordpress_delivery.deliver(
        chosen,
        slug=SLUG,
        fields=fields,
        known_id=None,
        uncertain_at=None,
        now=datetime.now(UTC),
    )
    return delivered.post


def test_publishing_creates_one_post_with_slug_status_and_category(
    wp: FakeWordPress,
) -> None:
    post = publish(wp)
    (stored,) = wp.posts.values()
    assert stored["slug"] == SLUG
    assert stored["status"] == "publish"
    assert stored["categories"] == [7]
    assert stored["excerpt"] == "Kort."
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
            json={"slug": SLUG, "title": "x", "status": "publish"},
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
    assert len(lookups) == 3  # before creating, after the timeout, for duplicates


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
    report = wordpress_status.test_connection(settings(wp))
    assert report.ok and report.can_publish
    assert report.user_name == "redaktion"
    contributor = wordpress_status.test_connection(settings(wp, user="bidrag"))
    assert not contributor.ok and contributor.error is None


def test_connection_test_on_a_site_without_application_passwords(
    wp: FakeWordPress,
) -> None:
    wp.app_passwords_available = False  # what a plain-HTTP production site does
    report = wordpress_status.test_connection(settings(wp))
    assert not report.ok
    assert report.error is not None and report.error.status == 401
    hint = str(wordpress_status.error_hint(str(report.error)))
    assert "HTTPS" in hint


def test_https_is_expected_except_for_local_test_sites() -> None:
    assert not WordPressSettings("http://blogg.example.se", "u", "p").is_https
    assert WordPressSettings("https://blogg.example.se", "u", "p").is_https
    assert WordPressSettings("http://127.0.0.1:8080", "u", "p").is_https


def test_a_lost_answer_after_sending_is_uncertain_and_found_again(
    wp: FakeWordPress,
) -> None:
    from fakes.delay_proxy import DelayProxy

    proxy = DelayProxy(wp.url, drop_answers={"POST"}).start()
    try:
        fake_url = settings(wp, url=proxy.url)
        fields = wordpress.post_fields(
            fake_url, slug=SLUG, title="T", content="<p>x</p>", excerpt=""
        )
        with pytest.raises(WordPressError) as caught:
            wordpress.create_post(fake_url, fields)
        assert caught.value.uncertain and caught.value.sent_at is not None
        # carried out all the same: the look-up finds it, no second create
        delivered = wordpress_delivery.deliver(
            fake_url,
            slug=SLUG,
            fields=fields,
            known_id=None,
            uncertain_at=caught.value.sent_at,
            now=datetime.now(UTC),
        )
    finally:
        proxy.stop()
    assert [p["id"] for p in wp.live_posts()] == [delivered.post.id]


def test_a_refused_connection_is_certain_nothing_was_sent() -> None:
    unreachable = WordPressSettings(
        url="http://127.0.0.1:9", user="u", app_password="p"
    )
    with pytest.raises(WordPressError) as caught:
        wordpress.create_post(unreachable, {"title": "x"})
    assert not caught.value.uncertain


def test_no_create_before_the_settle_time_after_an_unknown_outcome(
    wp: FakeWordPress,
) -> None:
    sent = datetime.now(UTC)
    chosen = settings(wp, settle_seconds=120)
    fields = wordpress.post_fields(chosen, slug=SLUG, title="T", content="", excerpt="")
    with pytest.raises(WordPressError) as caught:
        wordpress_delivery.deliver(
            chosen, slug=SLUG, fields=fields, known_id=None, uncertain_at=sent, now=sent
        )
    assert caught.value.code == "settling"
    assert not wp.posts


def test_duplicates_by_the_same_author_are_trashed_others_left(
    wp: FakeWordPress,
) -> None:
    auth = ("redaktion", PASSWORD)
    for _ in range(3):
        requests.post(
            f"{wp.url}/wp-json/wp/v2/posts",
            json={"slug": SLUG, "title": "x", "status": "publish"},
            auth=auth,
            timeout=5,
        )
    first, *_ = sorted(wp.posts)
    ours = wordpress.Post(first, "", "publish")
    found = wordpress_delivery.sweep(settings(wp), SLUG, ours)
    assert sorted(d["slug"] for d in found) == [f"{SLUG}-2", f"{SLUG}-3"]
    assert all(d["trashed"] for d in found)
    assert [p["slug"] for p in wp.live_posts()] == [SLUG]
    trashed = [p["slug"] for p in wp.posts.values() if p["status"] == "trash"]
    assert sorted(trashed) == [f"{SLUG}-2__trashed", f"{SLUG}-3__trashed"]
    response = requests.delete(
        f"{wp.url}/wp-json/wp/v2/posts/{found[0]['id']}", auth=auth, timeout=5
    )
    assert response.status_code == 410
    assert response.json()["code"] == "rest_already_trashed"


def test_the_fake_lets_drafts_keep_a_taken_slug_like_wordpress(
    wp: FakeWordPress,
) -> None:
    auth = ("redaktion", PASSWORD)
    for status in ("draft", "draft", "publish"):
        requests.post(
            f"{wp.url}/wp-json/wp/v2/posts",
            json={"slug": SLUG, "title": "x", "status": status},
            auth=auth,
            timeout=5,
        )
    assert sorted(p["slug"] for p in wp.posts.values()) == [SLUG, SLUG, f"{SLUG}-2"]
