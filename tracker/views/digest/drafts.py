"""The communicators' monthly digest: draft, edit, preview, schedule and publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from tracker import clock
from tracker.auth import current_person, has_role, require_role
from tracker.clock import STOCKHOLM
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.common import EmptyForm, attach_error
from tracker.forms.digests import DigestForm, DraftForm, ScheduleForm
from tracker.models.digests import Digest, DigestState, Publication, PublicationStatus
from tracker.models.people import Role
from tracker.services.digest import drafts as digests
from tracker.services.digest import publishing, wordpress
from tracker.services.digest.months import Month
from tracker.views.digest import history as digest_history
from tracker.views.digest import settings as digest_settings
from tracker.views.digest.history import digest_or_404

bp = Blueprint("digests", __name__, url_prefix="/manadsbrev")
bp.register_blueprint(digest_history.bp)
bp.register_blueprint(digest_settings.bp)


@dataclass(frozen=True)
class DigestRow:
    """A digest on the list, with when it goes out by itself."""

    digest: Digest
    automatic_at: datetime | None
    failures: int


@dataclass(frozen=True)
class PublicationRow:
    """A delivery with a Swedish explanation of its last error."""

    publication: Publication
    hint: Any


@bp.get("/", endpoint="list")
@require_role(Role.COMMUNICATOR)
def list_digests() -> str:
    """Every month's digest and a form to draft one."""
    rows = [_row(d) for d in digests.list_digests(get_session())]
    form = DraftForm(month=Month.of(clock.now()).previous.key)
    mode = current_app.config["DIGEST"]["MODE"]
    return render_template(
        "digests/list.html",
        rows=rows,
        form=form,
        mode=mode,
        can_edit_template=has_role(Role.ADMIN),
    )


@bp.post("/draft")
@require_role(Role.COMMUNICATOR)
def draft() -> ResponseReturnValue:
    """Draft a month's digest from the activity log (or open the existing one)."""
    db = get_session()
    form = DraftForm()
    if form.validate_on_submit():
        try:
            digest, created = digests.draft_for_month(
                db,
                current_person(),
                Month.parse(form.month.data or ""),
                now=clock.now(),
                public_url=str(current_app.config["PUBLIC_URL"]),
            )
        except DomainError as error:
            flash(str(error), "error")
        else:
            db.commit()
            if created:
                flash(_("The digest was drafted from the activity log."), "success")
            return redirect(url_for("digests.edit", period=digest.period))
    for errors in form.errors.values():
        flash(" ".join(str(e) for e in errors), "error")
    return redirect(url_for("digests.list"))


@bp.route("/<period>", methods=["GET", "POST"])
@require_role(Role.COMMUNICATOR)
def edit(period: str) -> ResponseReturnValue:
    """Edit the text; the preview is rendered exactly as the blog will show it."""
    db = get_session()
    digest = digest_or_404(period)
    form = DigestForm(obj=digest)
    preview = digest.body
    if form.validate_on_submit():
        if form.preview.data:
            preview = form.body.data or ""
        else:
            try:
                digests.save_text(
                    db,
                    current_person(),
                    digest,
                    title=form.title.data or "",
                    body=form.body.data or "",
                )
            except DomainError as error:
                attach_error(form, error)
            else:
                db.commit()
                flash(_("The digest was saved."), "success")
                return redirect(url_for("digests.edit", period=digest.period))
    return render_template(
        "digests/edit.html", form=form, preview=preview, **_context(digest)
    )


@bp.post("/<period>/refresh")
@require_role(Role.COMMUNICATOR)
def refresh(period: str) -> ResponseReturnValue:
    """Rewrite the facts from the activity log, keeping the communicator's text."""

    def run(db: Session, digest: Digest) -> None:
        found = digests.refresh_facts(
            db,
            current_person(),
            digest,
            now=clock.now(),
            public_url=str(current_app.config["PUBLIC_URL"]),
        )
        if not found:
            flash(_("The facts markers were missing; new facts were added at the end."))

    return _action(period, run, _("The facts were refreshed."))


@bp.post("/<period>/hold")
@require_role(Role.COMMUNICATOR)
def hold(period: str) -> ResponseReturnValue:
    """Stop the digest from being published automatically."""
    return _action(
        period,
        lambda db, d: digests.hold(db, current_person(), d),
        _("The digest is held and will not be published automatically."),
    )


@bp.post("/<period>/release")
@require_role(Role.COMMUNICATOR)
def release(period: str) -> ResponseReturnValue:
    """Undo a hold or a schedule."""
    return _action(
        period,
        lambda db, d: digests.release(db, current_person(), d),
        _("The digest is no longer held or scheduled."),
    )


@bp.post("/<period>/schedule")
@require_role(Role.COMMUNICATOR)
def schedule(period: str) -> ResponseReturnValue:
    """Approve the digest for publication at a chosen time."""
    db = get_session()
    digest = digest_or_404(period)
    form = ScheduleForm()
    if not form.validate_on_submit() or form.publish_at.data is None:
        flash(_("Choose a date and time."), "error")
        return redirect(url_for("digests.edit", period=digest.period))
    at = form.publish_at.data.replace(tzinfo=STOCKHOLM)
    try:
        digests.schedule(db, current_person(), digest, at=at, now=clock.now())
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("The digest is scheduled."), "success")
    return redirect(url_for("digests.edit", period=digest.period))


@bp.post("/<period>/publish")
@require_role(Role.COMMUNICATOR)
def publish(period: str) -> ResponseReturnValue:
    """Publish now to every configured target."""

    def run(db: Session, digest: Digest) -> None:
        settings = publishing.PublishSettings.from_config(current_app.config)
        publishing.publish(
            db,
            current_person(),
            digest,
            targets=settings.targets(),
            now=clock.now(),
            settings=settings,
            checkpoint=db.commit,
        )
        _flash_failures(digest)

    return _action(period, run, _("The digest was published."))


@bp.post("/<period>/retry")
@require_role(Role.COMMUNICATOR)
def retry(period: str) -> ResponseReturnValue:
    """Try failed deliveries again now instead of waiting for the next attempt."""

    def run(db: Session, digest: Digest) -> None:
        settings = publishing.PublishSettings.from_config(current_app.config)
        for publication in digest.publications:
            if publication.status is not PublicationStatus.PUBLISHED:
                publishing.deliver_one(
                    db, publication, settings, clock.now(), db.commit
                )
        _flash_failures(digest)

    return _action(period, run, _("The deliveries were tried again."))


def _action(
    period: str, run: Callable[[Session, Digest], Any], success: str
) -> ResponseReturnValue:
    """A button-only POST on a digest: run, commit, say so, go back to it."""
    db = get_session()
    digest = digest_or_404(period)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        run(db, digest)
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(success, "success")
    return redirect(url_for("digests.edit", period=digest.period))


def _flash_failures(digest: Digest) -> None:
    failed = [
        p for p in digest.publications if p.status is not PublicationStatus.PUBLISHED
    ]
    if failed:
        flash(
            _(
                "Some targets failed. The tracker tries again automatically; "
                "see the delivery status below."
            ),
            "error",
        )


def _row(digest: Digest) -> DigestRow:
    automatic = None
    config = current_app.config["DIGEST"]
    if config["MODE"] == "automatic" and digest.state in (
        DigestState.DRAFT,
        DigestState.EDITED,
    ):
        automatic = digests.automatic_publish_at(Month.parse(digest.period), config)
        if automatic < clock.now():
            automatic = None  # that time has passed: the page says "not published"
    failures = sum(p.status is PublicationStatus.FAILED for p in digest.publications)
    return DigestRow(digest, automatic, failures)


def _context(digest: Digest) -> dict[str, Any]:
    """What the digest page shows besides the editor."""
    config = current_app.config["DIGEST"]
    default_at = max(
        digests.automatic_publish_at(Month.parse(digest.period), config),
        clock.now() + timedelta(hours=1),
    )
    local = (digest.publish_at or default_at).astimezone(STOCKHOLM)
    return {
        "digest": digest,
        "row": _row(digest),
        "published": digest.state is DigestState.PUBLISHED,
        "can_release": digest.state in (DigestState.HELD, DigestState.SCHEDULED),
        "action_form": EmptyForm(),
        "schedule_form": ScheduleForm(
            formdata=None, publish_at=local.replace(tzinfo=None, second=0)
        ),
        "publications": [
            PublicationRow(
                p, wordpress.error_hint(p.last_error) if p.last_error else None
            )
            for p in digest.publications
        ],
        "mode": config["MODE"],
    }
