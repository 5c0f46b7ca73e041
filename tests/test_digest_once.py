"""Exactly one WordPress post per month, however slowly WordPress answers.

A proxy holds every POST for a while before WordPress sees it; the tracker gives
up after TIMEOUT, and the communicator presses "Försök igen nu" at once and then
again and again. Two of the delays outlast SETTLE_SECONDS, so WordPress makes a
"-2" that the tracker must find and trash.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterator

import pytest
from conftest import post_form
from fakes.delay_proxy import DelayProxy
from fakes.wordpress import FakeWordPress
from flask import Flask
from sqlalchemy import Connection
from test_digest_views import PASSWORD, bound_app, log_in_as

from tracker import jobs
from tracker.db import get_session
from tracker.models.digests import PublicationStatus, PublicationTarget
from tracker.models.people import Role
from tracker.services.digest import drafts as digests

TIMEOUT, SETTLE = 0.3, 1.2
# seconds each POST is held before WordPress sees it; the last two outlast SETTLE
DELAYS = [0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.9, 2.4]


@pytest.fixture
def slow_wordpress() -> Iterator[tuple[FakeWordPress, DelayProxy]]:
    wp = FakeWordPress()
    wp.add_user("redaktion", PASSWORD)
    wp.start()
    proxy = DelayProxy(wp.url).start()
    yield wp, proxy
    proxy.stop()
    wp.stop()


def wordpress_state(app: Flask, period: str) -> tuple[PublicationStatus, str, list]:  # type: ignore[type-arg]
    with app.app_context():
        digest = digests.get_by_period(get_session(), period)
        assert digest is not None
        (publication,) = [
            p for p in digest.publications if p.target is PublicationTarget.WORDPRESS
        ]
        duplicates = list(publication.details.get("duplicates", []))
        return publication.status, publication.external_id, duplicates


def test_slow_post_then_retry_leaves_exactly_one_post_per_month(
    db_url: str,
    connection: Connection,
    slow_wordpress: tuple[FakeWordPress, DelayProxy],
) -> None:
    wp, proxy = slow_wordpress
    app = bound_app(
        db_url,
        connection,
        WORDPRESS={
            "URL": proxy.url,
            "USER": "redaktion",
            "APP_PASSWORD": PASSWORD,
            "TIMEOUT": TIMEOUT,
            "SETTLE_SECONDS": SETTLE,
        },
    )
    client = app.test_client()
    log_in_as(app, client, Role.COMMUNICATOR)
    runner = app.test_cli_runner()
    jobs.bind(app)
    ours: dict[str, str] = {}
    for month, delay in enumerate(DELAYS, start=1):
        period = f"2026-{month:02d}"
        proxy.hold["POST"] = delay
        runner.invoke(args=["digest", "draft", "--month", period])
        result = runner.invoke(
            args=["digest", "publish", "--month", period, "--target", "wordpress"]
        )
        assert result.exit_code != 0
        assert "WordPress svarade inte i tid" in result.output
        # "Försök igen nu" at once: refused, and told when it may try
        page = post_form(client, f"/manadsbrev/{period}/retry", follow_redirects=True)
        assert "Trackern skapar det inte igen" in page.get_data(as_text=True)
        deadline = time.monotonic() + 30
        while wordpress_state(app, period)[0] is not PublicationStatus.PUBLISHED:
            assert time.monotonic() < deadline, wordpress_state(app, period)
            time.sleep(0.2)
            post_form(client, f"/manadsbrev/{period}/retry")
        proxy.wait_idle()  # every held request has reached WordPress
        jobs.digest_tick_job()  # looks for late duplicates
        _status, external_id, duplicates = wordpress_state(app, period)
        ours[period] = external_id
        if delay > SETTLE:
            assert duplicates and all(d["trashed"] for d in duplicates)

    live = wp.live_posts()
    per_month = Counter(p["slug"][: len("manadsbrev-2026-01")] for p in live)
    assert per_month == {f"manadsbrev-{period}": 1 for period in ours}
    assert sorted(str(p["id"]) for p in live) == sorted(ours.values())  # no orphan
    assert all(
        p["slug"] == f"manadsbrev-{period}"
        for period, p in zip(
            sorted(ours), sorted(live, key=lambda p: p["slug"]), strict=True
        )
    )
    print(f"posts per month over {len(DELAYS)} runs: {dict(per_month)}")
