"""The communicators' monthly digest: draft, edit, preview, refresh, schedule."""

from __future__ import annotations

from collections.abc import Callable
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

from tracker import clock, links
from tracker.auth import current_person, has_role, require_role
from tracker.clock import STOCKHOLM
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.common import EmptyForm, attach_error
from tracker.forms.digests import DigestForm, DraftForm, ScheduleForm
from tracker.models.digests import Digest
from tracker.models.people import Role
from tracker.services.digest import drafts as digests
from tracker.services.digest import editing
from tracker.services.digest.months import Month
from tracker.views.digest import delivery, page
from tracker.views.digest import history as digest_history
from tracker.views.digest import settings as digest_settings
from tracker.views.digest.history import digest_or_404

bp = Blueprint("digests", __name__, url_prefix="/manadsbrev")
bp.register_blueprint(digest_history.bp)
bp.register_blueprint(digest_settings.bp)
# publishing, retries, corrections and the e-mail live in delivery.py
bp.add_url_rule("/<period>/publish", "publish", delivery.publish, methods=["POST"])
bp.add_url_rule("/<period>/retry", "retry", delivery.retry, methods=["POST"])
bp.add_url_rule("/<period>/correct", "correct", delivery.correct, methods=["POST"])
bp.add_url_rule("/<period>/testbrev", "test_mail", delivery.test_mail, methods=["POST"])
bp.add_url_rule("/<period>/epost", "mail_preview", delivery.mail_preview)


@bp.get("/", endpoint="list")
@require_role(Role.COMMUNICATOR)
def list_digests() -> str:
    """Every month's digest and a form to draft one."""
    rows = [page.row(d) for d in digests.list_digests(get_session())]
    form = DraftForm(month=Month.of(clock.now()).previous.key)
    return render_template(
        "digests/list.html",
        rows=rows,
        form=form,
        mode=current_app.config["DIGEST"]["MODE"],
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
                public_url=links.public_url(),
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
    """Edit the text; the preview is exactly what every target will get."""
    digest = digest_or_404(period)
    form = DigestForm()
    if not form.validate_on_submit():
        return page.render_edit(digest, form=form if form.is_submitted() else None)
    if form.preview.data:
        return page.render_edit(digest, form=form, preview=form.body.data or "")
    return _save(digest, form, refresh=False)


@bp.post("/<period>/refresh")
@require_role(Role.COMMUNICATOR)
def refresh(period: str) -> ResponseReturnValue:
    """Save the text as typed, then rewrite its facts from the activity log."""
    digest = digest_or_404(period)
    form = DigestForm()
    if not form.validate_on_submit():
        return page.render_edit(digest, form=form, status=400)
    return _save(digest, form, refresh=True)


def _save(digest: Digest, form: DigestForm, *, refresh: bool) -> ResponseReturnValue:
    """Save (and refresh); over a newer version nothing is saved, both are shown."""
    db = get_session()
    try:
        editing.save_text(
            db,
            current_person(),
            digest,
            title=form.title.data or "",
            body=form.body.data or "",
            base_version=int(form.version.data or 0),
        )
        found = refresh and digests.refresh_facts(
            db, current_person(), digest, now=clock.now(), public_url=links.public_url()
        )
    except editing.EditConflict as conflict:
        db.rollback()
        form.version.data = str(conflict.current.number)  # the next save merges
        flash(str(conflict), "error")
        return page.render_edit(digest, form=form, conflict=conflict, status=409)
    except DomainError as error:
        db.rollback()
        attach_error(form, error)
        return page.render_edit(digest, form=form)
    db.commit()
    if refresh and not found:
        flash(_("The facts markers were missing; new facts were added at the end."))
    done = _("The facts were refreshed.") if refresh else _("The digest was saved.")
    flash(done, "success")
    return redirect(url_for("digests.edit", period=digest.period))


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
