"""The digest page's data: its deliveries explained, and the editor or the
correction form; shared by the drafting and the publishing views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import current_app, render_template
from flask_babel import format_datetime
from flask_babel import gettext as _
from markupsafe import Markup

from tracker import clock, links
from tracker.clock import STOCKHOLM
from tracker.db import get_session
from tracker.forms.common import EmptyForm
from tracker.forms.digests import (
    CorrectionForm,
    DigestForm,
    PublishForm,
    ScheduleForm,
)
from tracker.markup import render_markdown
from tracker.models.digests import Digest, DigestState, Publication, PublicationStatus
from tracker.models.mail import OutboxMessage
from tracker.services.digest import content, deliveries, freezing, targets
from tracker.services.digest import drafts as digests
from tracker.services.digest.editing import EditConflict
from tracker.services.digest.months import Month, swedish_date
from tracker.services.digest.wordpress_status import error_hint


@dataclass(frozen=True)
class DigestRow:
    """A digest on the list, with when it goes out by itself."""

    digest: Digest
    automatic_at: datetime | None
    failures: int


@dataclass(frozen=True)
class PublicationRow:
    """A delivery explained: its error's hint, duplicates, messages, waiting."""

    publication: Publication
    hint: Any
    duplicates: list[dict[str, Any]]
    messages: list[OutboxMessage]
    not_before: datetime | None
    outdated: bool


def settings() -> deliveries.PublishSettings:
    """Publishing settings with links to the address the app is served on."""
    return deliveries.PublishSettings.from_config(
        current_app.config, public_url=links.public_url()
    )


def preview_html(markdown: str) -> Markup:
    """Exactly the HTML every target gets."""
    return render_markdown(content.publishable(markdown), base=links.public_url())


def row(digest: Digest) -> DigestRow:
    """The list's view of a digest."""
    automatic = None
    config = current_app.config["DIGEST"]
    if config["MODE"] == "automatic" and digest.state in (
        DigestState.DRAFT,
        DigestState.EDITED,
    ):
        automatic = digests.automatic_publish_at(Month.parse(digest.period), config)
        if automatic < clock.now():
            automatic = None  # that time has passed: the page says "not published"
    failures = sum(
        p.status in (PublicationStatus.FAILED, PublicationStatus.UNCERTAIN)
        for p in digest.publications
    )
    return DigestRow(digest, automatic, failures)


def wait_message(not_before: datetime) -> str:
    """What the retry button and the CLI say while WordPress may still answer."""
    return str(
        _(
            "WordPress did not answer in time, so the post may exist already. The "
            "tracker does not create it again until it has looked for it after "
            "%(time)s; try again after that.",
            time=format_datetime(not_before, "HH:mm:ss"),
        )
    )


def render_edit(
    digest: Digest,
    *,
    form: DigestForm | None = None,
    correction: CorrectionForm | None = None,
    preview: str | None = None,
    conflict: EditConflict | None = None,
    status: int = 200,
) -> tuple[str, int]:
    """The digest's page: state, deliveries, the editor (or correction form)."""
    version = deliveries.current_version(get_session(), digest)
    published = digest.state is DigestState.PUBLISHED
    if form is None and not published:
        form = DigestForm(obj=digest, version=str(version))
    if correction is None and published:
        correction = CorrectionForm(obj=digest, version=str(version))
    page = render_template(
        "digests/edit.html",
        form=form,
        correction=correction,
        conflict=conflict,
        preview=preview_html(digest.body if preview is None else preview),
        **_context(digest, version),
    )
    return page, status


def _context(digest: Digest, version: int) -> dict[str, Any]:
    config = current_app.config["DIGEST"]
    month = Month.parse(digest.period)
    default_at = max(
        digests.automatic_publish_at(month, config), clock.now() + timedelta(hours=1)
    )
    local = (digest.publish_at or default_at).astimezone(STOCKHOLM)
    ended = freezing.month_ended(digest, clock.now())
    return {
        "digest": digest,
        "row": row(digest),
        "published": digest.state is DigestState.PUBLISHED,
        "can_release": digest.state in (DigestState.HELD, DigestState.SCHEDULED),
        "action_form": EmptyForm(),
        "publish_form": PublishForm(),
        "month_ended": ended,
        "month_end_label": swedish_date(month.last_day),
        "schedule_form": ScheduleForm(
            formdata=None, publish_at=local.replace(tzinfo=None, second=0)
        ),
        "publications": [_publication(p, version) for p in digest.publications],
        "mode": config["MODE"],
    }


def _publication(publication: Publication, version: int) -> PublicationRow:
    now = clock.now()
    return PublicationRow(
        publication,
        error_hint(publication.last_error) if publication.last_error else None,
        list(publication.details.get("duplicates", [])),
        targets.mail_messages(get_session(), publication),
        deliveries.not_before(publication, now),
        publication.status is PublicationStatus.PUBLISHED
        and publication.version < version
        and publication.target.value != "email",
    )
