"""Check-ins (avstämningar): book, change, cancel, and keep the notes as a report."""

from __future__ import annotations

from datetime import datetime

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_login import current_user

from tracker import clock
from tracker.auth import current_person, require_role
from tracker.clock import STOCKHOLM
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.checkins import CheckInForm, NotesForm
from tracker.forms.common import EmptyForm, attach_error
from tracker.models.assignments import Assignment
from tracker.models.checkins import CheckIn
from tracker.models.groups import WorkingGroup
from tracker.models.people import Role
from tracker.page_cache import render_macro
from tracker.services import groups
from tracker.services.attention import calendar, checkins, invitations

bp = Blueprint("checkins", __name__, url_prefix="/avstamningar")


@bp.route("/ny/uppdrag/<int:assignment_id>", methods=["GET", "POST"])
@require_role(Role.STAFF)
def new_for_assignment(assignment_id: int) -> ResponseReturnValue:
    """Book a check-in on an assignment."""
    assignment = get_or_404(get_session(), Assignment, assignment_id)
    return _book(assignment=assignment)


@bp.route("/ny/grupp/<slug>", methods=["GET", "POST"])
@require_role(Role.STAFF)
def new_for_group(slug: str) -> ResponseReturnValue:
    """Book a check-in on a working group."""
    group = groups.get_by_slug(get_session(), slug)
    if group is None:
        abort(404)
    return _book(group=group)


def _book(
    assignment: Assignment | None = None, group: WorkingGroup | None = None
) -> ResponseReturnValue:
    db = get_session()
    if not checkins.can_book(db, current_person(), assignment=assignment, group=group):
        abort(403)
    form = CheckInForm()
    if form.validate_on_submit():
        try:
            checkin = checkins.book(
                db,
                current_person(),
                _values(form),
                now=clock.now(),
                settings=_settings(),
                assignment=assignment,
                group=group,
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The check-in is booked and the invitations are sent."), "success")
            return redirect(url_for("checkins.show", checkin_id=checkin.id))
    return render_template(
        "checkins/form.html",
        form=form,
        checkin=None,
        subject=_subject_of(assignment, group),
    )


@bp.get("/<int:checkin_id>")
@require_role(Role.STAFF)
def show(checkin_id: int) -> str:
    """A check-in: when, where, the agenda, who takes part, and its notes."""
    db = get_session()
    checkin = get_or_404(db, CheckIn, checkin_id)
    person = current_person()
    now = clock.now()
    notes_form = NotesForm()
    notes_form.set_choices([(a.id, a.title) for a in checkins.assignments_of(checkin)])
    return render_template(
        "checkins/show.html",
        checkin=checkin,
        when=calendar.when_text(checkin),
        subject_name=checkins.subject_name(checkin),
        participants=checkins.participants(db, checkin),
        can_change=checkin.starts_at > now
        and not checkin.is_cancelled
        and _may_book(checkin),
        can_save_notes=checkin.starts_at <= now
        and not checkin.is_cancelled
        and checkin.report_id is None
        and checkins.can_save_notes(db, person, checkin),
        notes_form=notes_form,
        action_form=EmptyForm(),
    )


@bp.route("/<int:checkin_id>/andra", methods=["GET", "POST"])
@require_role(Role.STAFF)
def edit(checkin_id: int) -> ResponseReturnValue:
    """Change a coming check-in; everyone gets the update."""
    db = get_session()
    checkin = get_or_404(db, CheckIn, checkin_id)
    if not _may_book(checkin):
        abort(403)
    form = CheckInForm(obj=checkin, **_form_values(checkin))
    if form.validate_on_submit():
        try:
            changed = checkins.update(
                db,
                current_person(),
                checkin,
                _values(form),
                now=clock.now(),
                settings=_settings(),
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            if changed:
                flash(_("The check-in was changed and everyone told."), "success")
            return redirect(url_for("checkins.show", checkin_id=checkin.id))
    return render_template(
        "checkins/form.html",
        form=form,
        checkin=checkin,
        subject=_subject_of(checkin.assignment, checkin.group),
    )


@bp.post("/<int:checkin_id>/stall-in")
@require_role(Role.STAFF)
def cancel(checkin_id: int) -> ResponseReturnValue:
    """Call off a coming check-in; everyone's calendar is told."""
    db = get_session()
    checkin = get_or_404(db, CheckIn, checkin_id)
    if not _may_book(checkin):
        abort(403)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        checkins.cancel(
            db, current_person(), checkin, now=clock.now(), settings=_settings()
        )
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("The check-in is cancelled and everyone told."), "success")
    return redirect(url_for("checkins.show", checkin_id=checkin.id))


@bp.post("/<int:checkin_id>/anteckningar")
@require_role(Role.STAFF)
def save_notes(checkin_id: int) -> ResponseReturnValue:
    """Keep the check-in's notes as a progress report of its assignment."""
    db = get_session()
    checkin = get_or_404(db, CheckIn, checkin_id)
    if not checkins.can_save_notes(db, current_person(), checkin):
        abort(403)
    form = NotesForm()
    form.set_choices([(a.id, a.title) for a in checkins.assignments_of(checkin)])
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for message in errors:
                flash(str(message), "error")
        return redirect(url_for("checkins.show", checkin_id=checkin.id) + "#notes")
    assignment = get_or_404(db, Assignment, form.assignment_id.data)
    try:
        checkins.save_notes(
            db,
            current_person(),
            checkin,
            notes=form.notes.data or "",
            assignment=assignment,
            now=clock.now(),
        )
    except DomainError as error:
        flash(str(error), "error")
        return redirect(url_for("checkins.show", checkin_id=checkin.id) + "#notes")
    db.commit()
    flash(_("The notes were saved as a progress report."), "success")
    return redirect(
        url_for("assignments.show", assignment_id=assignment.id) + "#timeline"
    )


def _may_book(checkin: CheckIn) -> bool:
    return checkins.can_book(
        get_session(),
        current_person(),
        assignment=checkin.assignment,
        group=checkin.group,
    )


def _values(form: CheckInForm) -> checkins.CheckInValues:
    day = form.day.data
    starts, ends = form.starts.data, form.ends.data
    return checkins.CheckInValues(
        title=form.title.data or "",
        starts_at=datetime.combine(day, starts, STOCKHOLM),
        ends_at=datetime.combine(day, ends, STOCKHOLM),
        location=form.location.data or "",
        agenda=form.agenda.data or "",
    )


def _form_values(checkin: CheckIn) -> dict[str, object]:
    start = checkin.starts_at.astimezone(STOCKHOLM)
    end = checkin.ends_at.astimezone(STOCKHOLM)
    return {"day": start.date(), "starts": start.time(), "ends": end.time()}


def _settings() -> invitations.InviteSettings:
    config = current_app.config
    return invitations.InviteSettings(
        public_url=str(config["PUBLIC_URL"]).rstrip("/"),
        sender=str(config["SMTP"]["SENDER"]),
    )


def _subject_of(
    assignment: Assignment | None, group: WorkingGroup | None
) -> dict[str, str]:
    if assignment is not None:
        url = url_for("assignments.show", assignment_id=assignment.id)
        return {"name": assignment.title, "url": url}
    if group is not None:
        return {"name": group.name, "url": url_for("groups.show", slug=group.slug)}
    return {"name": "", "url": url_for("overview.index")}


def checkins_part(argument: str) -> str:
    """The check-ins of "uppdrag:<id>" or "grupp:<id>", and a button to book one."""
    kind, _sep, raw = argument.partition(":")
    if kind not in ("uppdrag", "grupp") or not raw.isdigit():
        return ""
    if not current_user.is_authenticated:
        return ""
    db = get_session()
    target = int(raw)
    if kind == "uppdrag":
        rows = checkins.listed_for(db, assignment_id=target)
        assignment = db.get(Assignment, target)
        book = url_for("checkins.new_for_assignment", assignment_id=target)
        may = assignment is not None and checkins.can_book(
            db, current_person(), assignment=assignment
        )
    else:
        rows = checkins.listed_for(db, group_id=target)
        group = db.get(WorkingGroup, target)
        book = url_for("checkins.new_for_group", slug=group.slug) if group else ""
        may = group is not None and checkins.can_book(db, current_person(), group=group)
    lines = [(c, calendar.when_text(c)) for c in rows]
    return render_macro(
        "checkins/_parts.html", "section", lines=lines, book_url=book if may else None
    )


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    parts = state.app.extensions.setdefault("tracker.reader_parts", {})
    parts["checkins"] = checkins_part
