"""Digest settings pages: the admins' template and the WordPress connection test."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker.auth import current_person, require_role
from tracker.db import get_session
from tracker.errors import DomainError
from tracker.forms.common import EmptyForm, attach_error
from tracker.forms.digests import TemplateForm
from tracker.models.people import Role
from tracker.services.digest import drafts as digests
from tracker.services.digest import template as digest_template
from tracker.services.digest import wordpress, wordpress_status

# nested in the digests blueprint: endpoints digests.settings.*
bp = Blueprint("settings", __name__)


@bp.route("/mall", methods=["GET", "POST"])
@require_role(Role.ADMIN)
def template() -> ResponseReturnValue:
    """Edit the template the digests are drafted from."""
    db = get_session()
    form = TemplateForm(body=digest_template.current_template(db))
    preview = None
    if form.validate_on_submit():
        text = form.body.data or ""
        try:
            if form.preview.data:
                preview = digest_template.render(text, _preview_facts())
            else:
                digest_template.save_template(db, current_person(), text)
        except DomainError as error:
            attach_error(form, error)
        else:
            if preview is None:
                db.commit()
                flash(_("The digest template was saved."), "success")
                return redirect(url_for("digests.settings.template"))
    return render_template(
        "digests/template.html", form=form, preview=preview, reset_form=EmptyForm()
    )


@bp.post("/mall/aterstall")
@require_role(Role.ADMIN)
def reset_template() -> ResponseReturnValue:
    """Go back to the template that comes with the tracker."""
    db = get_session()
    if EmptyForm().validate_on_submit():
        digest_template.reset_template(db, current_person())
        db.commit()
        flash(_("The digest template was reset to the original."), "success")
    return redirect(url_for("digests.settings.template"))


@bp.route("/wordpress", methods=["GET", "POST"])
@require_role(Role.COMMUNICATOR)
def wordpress_test() -> ResponseReturnValue:
    """Show the WordPress settings and test the connection."""
    settings = wordpress.WordPressSettings.from_config(current_app.config["WORDPRESS"])
    form = EmptyForm()
    report = None
    if settings is not None and form.validate_on_submit():
        report = wordpress_status.test_connection(settings)
    return render_template(
        "digests/wordpress.html",
        settings=settings,
        form=form,
        report=report,
        hint=wordpress_status.error_hint(str(report.error))
        if report and report.error
        else None,
    )


def _preview_facts() -> dict[str, object]:
    """The newest digest's facts, or made-up ones before the first digest."""
    latest = digests.list_digests(get_session())
    if latest:
        return latest[0].facts
    return digest_template.sample_facts()
