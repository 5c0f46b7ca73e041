"""Chapter of the monthly digests: each ended month drafted and put on the blog."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from tracker import clock
from tracker.config import DEFAULTS
from tracker.demo.story import PLANS_ADOPTED
from tracker.models.digests import PublicationTarget
from tracker.services.digest import drafts, publishing
from tracker.services.digest.deliveries import PublishSettings
from tracker.services.digest.months import Month

if TYPE_CHECKING:
    from tracker.demo.load import Demo, Step


def monthly_digests(demo: Demo) -> Iterator[Step]:
    """Klara publishes every ended month's digest on the built-in blog, on time."""
    month = Month.of(demo.at(PLANS_ADOPTED))
    while month.next.start <= demo.real_now:
        publish_at = drafts.automatic_publish_at(month, DEFAULTS["DIGEST"])
        yield _step(demo, min(publish_at, demo.real_now), month)
        month = month.next


def _step(demo: Demo, at: datetime, month: Month) -> Step:
    def publish() -> None:
        settings = PublishSettings(
            public_url=demo.public_url, wordpress=None, mail_to=()
        )
        communicator = demo.people["kommunikator@demo.se"]
        digest, _ = drafts.draft_for_month(
            demo.session,
            communicator,
            month,
            now=clock.now(),
            public_url=demo.public_url,
        )
        publishing.publish(
            demo.session,
            communicator,
            digest,
            targets=[PublicationTarget.BUILTIN],
            now=clock.now(),
            settings=settings,
            checkpoint=demo.session.flush,
        )

    # a month that has only just ended is published minutes before the real now
    return demo.step_at(min(at, demo.real_now - timedelta(minutes=4)), publish)
