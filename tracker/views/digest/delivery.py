"""Publishing a digest: publish, try again, correct, and its e-mail (preview and a
test to oneself). Routes are added to the digests blueprint in drafts.py."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import clock, links
from tracker.auth import current_person, require_role
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.common import EmptyForm, attach_error
from tracker.forms.digests import CorrectionForm, PublishForm
from tracker.models.digests import Digest
from tracker.models.people import Role
from tracker.services import mail
from tracker.services.digest import deliveries, editing, publishing, targets
from tracker.services.digest.deliveries import Attempt
from tracker.views.digest import page
from tracker.views.digest.history import digest_or_404


@require_role(Role.COMMUNICATOR)
def publish(period: str) -> ResponseReturnValue:
    """Publish now to every configured target."""
    db = get_session()
    digest = digest_or_404(period)
    form = PublishForm()
    if not form.validate_on_submit():
        abort(400)
    settings = page.settings()
    try:
        attempts = publishing.publish(
            db,
            current_person(),
            digest,
            targets=settings.targets(),
            now=clock.now(),
            settings=settings,
            checkpoint=db.commit,
            freeze_early=bool(form.freeze_early.data),
        )
    except DomainError as error:
        db.rollback()
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("The digest was published."), "success")
        _explain(attempts)
    return redirect(url_for("digests.edit", period=digest.period))


@require_role(Role.COMMUNICATOR)
def retry(period: str) -> ResponseReturnValue:
    """Try failed deliveries again now; an uncertain one only once it may."""
    db = get_session()
    digest = digest_or_404(period)
    if not EmptyForm().validate_on_submit():
        abort(400)
    settings = page.settings()
    attempts = [
        deliveries.deliver_one(db, publication, settings, clock.now(), db.commit)
        for publication in list(digest.publications)
    ]
    db.commit()
    if any(a.ran for a in attempts):
        flash(_("The deliveries were tried again."), "success")
    _explain(attempts)
    return redirect(url_for("digests.edit", period=digest.period))


@require_role(Role.COMMUNICATOR)
def correct(period: str) -> ResponseReturnValue:
    """Correct a published digest: every post is updated in place."""
    db = get_session()
    digest = digest_or_404(period)
    form = CorrectionForm()
    if not form.validate_on_submit():
        return page.render_edit(digest, correction=form, status=400)
    try:
        editing.correct(
            db,
            current_person(),
            digest,
            title=form.title.data or "",
            body=form.body.data or "",
            note=form.note.data or "",
            base_version=int(form.version.data or 0),
        )
    except editing.EditConflict as conflict:
        db.rollback()
        form.version.data = str(conflict.current.number)
        flash(str(conflict), "error")
        return page.render_edit(digest, correction=form, conflict=conflict, status=409)
    except DomainError as error:
        db.rollback()
        attach_error(form, error)
        return page.render_edit(digest, correction=form)
    db.commit()
    settings = page.settings()
    attempts = [
        deliveries.deliver_one(db, publication, settings, clock.now(), db.commit)
        for publication in list(digest.publications)
    ]
    db.commit()
    flash(_("The correction was saved and sent to every post."), "success")
    _explain(attempts)
    return redirect(url_for("digests.edit", period=digest.period))


@require_role(Role.COMMUNICATOR)
def test_mail(period: str) -> ResponseReturnValue:
    """Send the digest e-mail to oneself, now if SMTP is configured."""
    db = get_session()
    digest = digest_or_404(period)
    person = current_person()
    if not EmptyForm().validate_on_submit():
        abort(400)
    if person is None or not person.email:
        flash(_("Your profile has no e-mail address."), "error")
        return redirect(url_for("digests.edit", period=digest.period))
    subject, text, html = targets.mail_message(digest, links.public_url())
    message = mail.queue(
        db, to=[person.email], subject=f"[Test] {subject}", body=text, html=html
    )
    db.commit()
    smtp = current_app.config["SMTP"]
    mail.deliver_pending(db, smtp, ids=[message.id])
    db.commit()
    if message.sent_at is not None:
        flash(_("A test was sent to %(email)s.", email=person.email), "success")
    elif not smtp.get("HOST"):
        flash(_("No mail server is configured: the test is in the outbox."), "error")
    else:
        flash(_("The test could not be sent: %(error)s", error=message.last_error))
    return redirect(url_for("digests.edit", period=digest.period))


@require_role(Role.COMMUNICATOR)
def mail_preview(period: str) -> str:
    """The digest e-mail as recipients get it: HTML and plain text."""
    digest: Digest = digest_or_404(period)
    subject, text, _html = targets.mail_message(digest, links.public_url())
    return render_template(
        "digests/mail.html",
        digest=digest,
        subject=subject,
        text=text,
        html=page.preview_html(digest.body),
        mail_to=page.settings().mail_to,
        action_form=EmptyForm(),
    )


def _explain(attempts: list[Attempt]) -> None:
    """Say what failed, and when an uncertain WordPress delivery may be tried."""
    waiting = [a.not_before for a in attempts if a.not_before is not None]
    if waiting:
        flash(page.wait_message(max(waiting)), "error")
    failed = [a for a in attempts if a.ran and a.publication.last_error]
    if failed and not waiting:
        flash(
            _(
                "Some targets failed. The tracker tries again automatically; "
                "see the delivery status below."
            ),
            "error",
        )
