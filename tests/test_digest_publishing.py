"""Publishing a digest exactly once per target, with failures retried, never lost."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from fakes.wordpress import FakeWordPress
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tracker.clock import STOCKHOLM
from tracker.models.digests import (
    BlogPost,
    Digest,
    DigestState,
    PublicationStatus,
    PublicationTarget,
)
from tracker.models.mail import OutboxMessage
from tracker.services.digest import content, deliveries, publishing
from tracker.services.digest import drafts as digests
from tracker.services.digest.deliveries import PublishSettings
from tracker.services.digest.months import Month
from tracker.services.digest.wordpress import WordPressSettings

MARCH = Month(2026, 3)
NOW = datetime(2026, 4, 6, 9, tzinfo=STOCKHOLM)
URL = "https://tracker.test"
PASSWORD = "abcd EFGH 1234 ijkl MNOP 6789"
BUILTIN, WORDPRESS, EMAIL = (
    PublicationTarget.BUILTIN,
    PublicationTarget.WORDPRESS,
    PublicationTarget.EMAIL,
)


@pytest.fixture
def wp() -> Iterator[FakeWordPress]:
    fake = FakeWordPress()
    fake.add_user("redaktion", PASSWORD)
    fake.start()
    yield fake
    fake.stop()


def settings_for(
    fake: FakeWordPress | None = None, **changes: object
) -> PublishSettings:
    wordpress = (
        WordPressSettings(fake.url, "redaktion", PASSWORD, timeout=1) if fake else None
    )
    return replace(
        PublishSettings(public_url=URL, wordpress=wordpress, mail_to=()), **changes
    )  # type: ignore[arg-type]


def draft(session: Session) -> Digest:
    digest, _ = digests.draft_for_month(session, None, MARCH, now=NOW, public_url=URL)
    return digest


def publish(
    session: Session,
    digest: Digest,
    settings: PublishSettings,
    targets: list[PublicationTarget] | None = None,
    now: datetime = NOW,
) -> dict[PublicationTarget, object]:
    publications = publishing.publish(
        session,
        None,
        digest,
        targets=targets or settings.targets(),
        now=now,
        settings=settings,
        checkpoint=session.commit,
    )
    return {a.publication.target: a.publication for a in publications}


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_the_built_in_blog_gets_one_post_however_often_we_publish(
    session: Session,
) -> None:
    digest = draft(session)
    for _ in range(3):
        result = publish(session, digest, settings_for())
    (publication,) = result.values()
    assert publication.status is PublicationStatus.PUBLISHED
    assert publication.url == f"{URL}/blogg/manadsbrev-2026-03"
    assert count(session, BlogPost) == 1
    assert digest.state is DigestState.PUBLISHED
    assert digests.versions(session, digest)[0].reason == "published"


def test_wordpress_gets_the_same_html_as_the_preview(
    session: Session, wp: FakeWordPress
) -> None:
    digest = draft(session)
    result = publish(session, digest, settings_for(wp))
    (post,) = wp.posts.values()
    assert post["slug"] == "manadsbrev-2026-03"
    assert post["content"] == content.to_html(digest.body, URL)
    assert post["title"] == digest.title
    wordpress_publication = result[WORDPRESS]
    assert wordpress_publication.external_id == str(post["id"])
    assert wordpress_publication.url == f"{wp.url}/manadsbrev-2026-03/"


def test_publishing_again_never_makes_a_second_wordpress_post(
    session: Session, wp: FakeWordPress
) -> None:
    digest = draft(session)
    publish(session, digest, settings_for(wp))
    publish(session, digest, settings_for(wp))
    creates = [path for method, path in wp.log if method == "POST"]
    assert len(creates) == 1  # the second run saw everything was published
    assert len(wp.posts) == 1


def test_a_timeout_after_wordpress_created_the_post_is_no_duplicate(
    session: Session, wp: FakeWordPress
) -> None:
    wp.answer_delay_after_create = 2
    digest = draft(session)
    result = publish(session, digest, settings_for(wp))
    assert result[WORDPRESS].status is PublicationStatus.PUBLISHED
    assert result[WORDPRESS].external_id == str(next(iter(wp.posts)))
    assert len(wp.posts) == 1


def test_a_wrong_password_is_recorded_and_retried_later_with_backoff(
    session: Session, wp: FakeWordPress
) -> None:
    digest = draft(session)
    bad = settings_for(wp)
    bad = replace(bad, wordpress=replace(bad.wordpress, app_password="fel"))  # type: ignore[type-var]
    result = publish(session, digest, bad)
    failed = result[WORDPRESS]
    assert (
        result[BUILTIN].status is PublicationStatus.PUBLISHED
    )  # the blog did not wait
    assert failed.status is PublicationStatus.FAILED
    assert failed.last_error.startswith("HTTP 401 incorrect_password")
    assert failed.next_attempt_at == NOW + timedelta(minutes=10)
    assert not deliveries.due(session, NOW + timedelta(minutes=5))
    deliveries.retry_due(session, bad, NOW + timedelta(minutes=11), session.commit)
    assert failed.attempts == 2
    assert failed.next_attempt_at == NOW + timedelta(minutes=11 + 20)
    later = NOW + timedelta(hours=1)
    assert deliveries.retry_due(session, settings_for(wp), later, session.commit) == 1
    assert failed.status is PublicationStatus.PUBLISHED
    assert failed.last_error == ""
    assert len(wp.posts) == 1


def test_server_errors_are_retried_until_published(
    session: Session, wp: FakeWordPress
) -> None:
    wp.fail_next(503, times=2)
    digest = draft(session)
    result = publish(session, digest, settings_for(wp))
    assert result[WORDPRESS].status is PublicationStatus.FAILED
    assert "HTTP 503" in result[WORDPRESS].last_error
    for hours in (1, 2, 3):
        deliveries.retry_due(
            session, settings_for(wp), NOW + timedelta(hours=hours), session.commit
        )
    assert result[WORDPRESS].status is PublicationStatus.PUBLISHED
    assert len(wp.posts) == 1


def test_backoff_doubles_up_to_the_maximum() -> None:
    settings = settings_for()
    delays = [deliveries.backoff(n, settings) for n in (1, 2, 3, 9, 50)]
    assert delays[:3] == [timedelta(minutes=m) for m in (10, 20, 40)]
    assert delays[3:] == [timedelta(hours=24)] * 2


def test_a_delivery_claimed_by_another_process_is_left_alone(
    session: Session,
) -> None:
    digest = draft(session)
    publishing.start(session, None, digest, [BUILTIN], NOW, settings_for())
    (publication,) = digest.publications
    assert deliveries.claim(session, publication, NOW, 1)
    assert not deliveries.claim(session, publication, NOW + timedelta(minutes=1), 1)
    # a claim whose holder died runs out, and the delivery is picked up again
    assert deliveries.due(session, NOW + timedelta(minutes=6)) == [publication]
    assert deliveries.claim(session, publication, NOW + timedelta(minutes=6), 1)


def test_e_mail_is_queued_once_as_plain_text(session: Session) -> None:
    digest = draft(session)
    settings = settings_for(mail_to=("alla@example.se",))
    publish(session, digest, settings)
    publish(session, digest, settings)
    (message,) = session.scalars(select(OutboxMessage)).all()
    assert message.to == ["alla@example.se"]
    assert message.subject == "Månadsbrev mars 2026"
    assert "fakta:" not in message.body and "![" not in message.body
    assert f"{URL}/blogg/manadsbrev-2026-03" in message.body


def test_an_unconfigured_target_is_refused(session: Session) -> None:
    from tracker.errors import DomainError

    with pytest.raises(DomainError):
        publish(session, draft(session), settings_for(), targets=[WORDPRESS])


@pytest.mark.parametrize(
    ("mode", "state", "published"),
    [
        ("automatic", DigestState.DRAFT, True),
        ("automatic", DigestState.EDITED, True),
        ("automatic", DigestState.HELD, False),
        ("review", DigestState.EDITED, False),
    ],
)
def test_the_automatic_publication_respects_holds_and_review_mode(
    session: Session, mode: str, state: DigestState, published: bool
) -> None:
    digest = draft(session)
    digest.state = state
    outcome = publishing.publish_month(
        session,
        MARCH,
        mode=mode,
        now=NOW,
        settings=settings_for(),
        checkpoint=session.commit,
    )
    assert (digest.state is DigestState.PUBLISHED) == published, outcome
    assert count(session, BlogPost) == int(published)


def test_the_automatic_publication_drafts_a_missing_digest_first(
    session: Session,
) -> None:
    publishing.publish_month(
        session,
        MARCH,
        mode="automatic",
        now=NOW,
        settings=settings_for(),
        checkpoint=session.commit,
    )
    digest = digests.get_by_period(session, "2026-03")
    assert digest is not None and digest.state is DigestState.PUBLISHED


def test_scheduled_digests_go_out_when_their_time_comes(session: Session) -> None:
    digest = draft(session)
    digests.schedule(session, None, digest, at=NOW + timedelta(hours=2), now=NOW)
    assert not publishing.publish_scheduled(
        session, settings_for(), NOW, session.commit
    )
    later = NOW + timedelta(hours=2, minutes=1)
    assert publishing.publish_scheduled(session, settings_for(), later, session.commit)
    assert digest.state is DigestState.PUBLISHED
    assert digest.published_at == later
