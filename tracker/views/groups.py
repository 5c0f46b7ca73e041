"""Working group pages and leadership's group forms."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.blueprints import BlueprintSetupState
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from tracker import clock
from tracker.auth import (
    PUBLIC_READER,
    current_person,
    current_person_or_none,
    current_reader,
    has_role,
    require_role,
)
from tracker.db import get_or_404, get_session
from tracker.errors import DomainError
from tracker.forms.applications import InviteeSearchForm, InviteForm
from tracker.forms.common import EmptyForm, attach_error
from tracker.forms.groups import (
    GroupForm,
    GroupStateForm,
    MemberForm,
    NewGroupForm,
    OpenSignupForm,
)
from tracker.i18n import date_filter
from tracker.models.assignments import Assignment
from tracker.models.groups import (
    GroupState,
    MemberRole,
    Membership,
    RecruitmentMode,
    WorkingGroup,
)
from tracker.models.people import Person, Role
from tracker.page_cache import (
    part_target,
    render_cached,
    render_macro,
    scoped_version,
)
from tracker.services import activity, groups, people
from tracker.services.interchange import saving
from tracker.services.recruitment import applications, invitations, seats
from tracker.views.plans import csv_download

bp = Blueprint("groups", __name__, url_prefix="/groups")
SUGGESTED_SIGNUP = timedelta(days=14)  # the deadline "Öppna anmälan nu" proposes


def _invitees(group: WorkingGroup, search: InviteeSearchForm) -> list[Person]:
    """People leadership searched for to invite (by department and competence)."""
    if group.recruitment is not RecruitmentMode.INVITED or not has_role(
        Role.LEADERSHIP
    ):
        return []
    db = get_session()
    search.set_choices(db)
    if not request.args or not search.validate():
        return []
    return invitations.find_invitees(
        db,
        group,
        department_id=search.department.data,
        competence_id=search.competence.data,
    )


def _group_or_404(slug: str) -> WorkingGroup:
    group = groups.get_by_slug(get_session(), slug)
    if group is None:
        abort(404)
    return group


# what a group's page reads (page_cache.scoped_version; checked in the tests)
GROUP_PAGE_READS = (
    "activity_events",
    "applications",
    "assignments",
    "check_ins",
    "competences",
    "deciding_bodies",
    "decision_assignments",
    "decision_groups",
    "decision_plans",
    "decisions",
    "departments",
    "evaluations",
    "group_assignments",
    "memberships",
    "people",
    "person_competences",
    "stages",
    "working_groups",
)


@bp.get("/", endpoint="list")
@require_role(Role.STAFF, PUBLIC_READER)
def list_groups() -> str:
    """All working groups, the living ones first."""
    return render_template("groups/list.html", rows=groups.list_rows(get_session()))


@bp.get("/<slug>")
@require_role(Role.STAFF, PUBLIC_READER)
def show(slug: str) -> str:
    """A group's purpose, time box, seats and members.

    Through the page cache: the same page for every reader of a role who leads the
    group (or not), which is what decides booking a check-in and evaluating; the
    follow button and the reader's own application are filled in per request.
    """
    db = get_session()
    # kept until a write to what it shows: this group's and its assignments' rows
    version = scoped_version(GROUP_PAGE_READS, (), groups.PAGE_SCOPES, slug=slug)
    group = _group_or_404(slug)
    person = current_person_or_none()
    leads = (
        groups.lead_standing(db, person, group.id)
        if person is not None and not has_role(Role.LEADERSHIP)
        else (False, False)
    )
    # a suggestion two weeks ahead, so opening is one click when it suits
    suggested = clock.today() + SUGGESTED_SIGNUP
    return render_cached(
        "groups/show.html",
        version,
        lambda: _page(group, OpenSignupForm(signup_deadline=suggested)),
        variant=leads,
        reads=GROUP_PAGE_READS,
    )  # ?historik=alla (the whole audit history) is a page of its own: the path


def _show_page(group: WorkingGroup, open_form: OpenSignupForm) -> str:
    """The group page with *open_form* as posted (its errors shown), not cached."""
    return render_template("groups/show.html", **_page(group, open_form))


def _page(group: WorkingGroup, open_form: OpenSignupForm) -> dict[str, Any]:
    db = get_session()
    search = InviteeSearchForm(formdata=request.args)
    can_edit = has_role(Role.LEADERSHIP)
    offered = can_edit and _may_open(group)
    if offered:  # the browser's date picker starts tomorrow
        tomorrow = clock.today() + timedelta(days=1)
        open_form.signup_deadline.render_kw = {"min": tomorrow.isoformat()}
    return {
        "group": group,
        "received": applications.received_counts(db, [group.id]).get(group.id, 0),
        "invite_form": InviteForm(),
        "search_form": search,
        "invitees": _invitees(group, search),
        "members": groups.current_members(db, group),
        "can_edit": can_edit,
        "member_form": MemberForm(),
        "state_form": GroupStateForm(state=group.state.value),
        "action_form": EmptyForm(),
        "open_form": open_form if offered else None,
        # shown to leadership only, who see all of recruitment
        **_history(group),
    }


def _history(group: WorkingGroup) -> dict[str, Any]:
    """The group's audit history: the newest rows, all of them on ?historik=alla."""
    db, reader = get_session(), current_reader(personal=False)
    rows, more = activity.newest(
        lambda n: activity.history_of(db, "WorkingGroup", group.id, reader, limit=n),
        request.args.get("historik") == "alla",
    )
    return {"history": rows, "more_history": more}


def signup_part(argument: str) -> str:
    """The reader's own application to "grupp:<id>" and the button to apply."""
    target = part_target(argument, ("grupp",))
    db = get_session()
    group = db.get(WorkingGroup, target[1]) if target else None
    if group is None:
        return ""
    can_apply, mine = applications.signup_state(
        db, group, current_person(), today=clock.today()
    )
    return render_macro(
        "groups/_signup.html",
        "signup",
        group=group,
        can_apply=can_apply,
        my_application=mine,
        action_form=EmptyForm(),
    )


def _may_open(group: WorkingGroup) -> bool:
    """Whether "Open sign-up now" is offered: planned, and not by invitation only."""
    return (
        group.state is GroupState.PLANNED
        and group.recruitment is not RecruitmentMode.INVITED
    )


@bp.get("/<slug>/medlemmar.csv")
@require_role(Role.STAFF)
def members_csv(slug: str) -> Response:
    """The group's memberships as a CSV file (logins only: it has e-mail addresses)."""
    group = _group_or_404(slug)
    data = saving.group_memberships_csv(get_session(), group)
    return csv_download(data, f"medlemmar-{group.slug}.csv")


@bp.route("/new", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def new() -> ResponseReturnValue:
    """Start a working group, and open its sign-up at once if asked."""
    db = get_session()
    form = NewGroupForm(recruitment=RecruitmentMode.INVITED.value, seats=8)
    form.set_choices(db)
    if form.validate_on_submit():
        values = _values(form)
        try:
            if form.open_now.data:  # checked before anything is created
                groups.check_opening(
                    values.recruitment, values.signup_deadline, today=clock.today()
                )
            group = groups.create_group(db, current_person(), values)
            if form.open_now.data:
                groups.set_state(
                    db, current_person(), group, GroupState.RECRUITING, clock.now()
                )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_created_message(form), "success")
            return redirect(url_for("groups.show", slug=group.slug))
    return render_template("groups/form.html", form=form, group=None)


def _created_message(form: NewGroupForm) -> str:
    if form.open_now.data:
        return str(_("The working group was created and its sign-up is open."))
    return str(_("The working group was created."))


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@require_role(Role.LEADERSHIP)
def edit(slug: str) -> ResponseReturnValue:
    """Edit a working group."""
    db = get_session()
    group = _group_or_404(slug)
    form = GroupForm(
        obj=group,
        recruitment=group.recruitment.value,
        assignment_ids=[a.id for a in group.assignments],
    )
    form.set_choices(db)
    if form.validate_on_submit():
        try:
            groups.update_group(db, current_person(), group, _values(form))
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            flash(_("The working group was saved."), "success")
            return redirect(url_for("groups.show", slug=group.slug))
    return render_template("groups/form.html", form=form, group=group)


@bp.post("/<slug>/state")
@require_role(Role.LEADERSHIP)
def set_state(slug: str) -> ResponseReturnValue:
    """Plan, open recruitment, activate or close a group."""
    db = get_session()
    group = _group_or_404(slug)
    form = GroupStateForm()
    if form.validate_on_submit():
        try:
            groups.set_state(
                db, current_person(), group, GroupState(form.state.data), clock.now()
            )
        except DomainError as error:
            flash(str(error), "error")
        else:
            db.commit()
            flash(_("The group's state was changed."), "success")
    return redirect(url_for("groups.show", slug=group.slug))


@bp.post("/<slug>/open-signup")
@require_role(Role.LEADERSHIP)
def open_signup(slug: str) -> ResponseReturnValue:
    """Set the sign-up deadline and open recruitment in one step."""
    db = get_session()
    group = _group_or_404(slug)
    form = OpenSignupForm()
    if form.validate_on_submit():
        try:
            groups.open_signup(
                db,
                current_person(),
                group,
                form.signup_deadline.data,
                today=clock.today(),
                now=clock.now(),
            )
        except DomainError as error:
            attach_error(form, error)
        else:
            db.commit()
            day = date_filter(group.signup_deadline)
            flash(_("Sign-up is open until %(date)s.", date=day), "success")
            return redirect(url_for("groups.show", slug=group.slug))
    return _show_page(group, form), 422


@bp.post("/<slug>/members")
@require_role(Role.LEADERSHIP)
def add_member(slug: str) -> ResponseReturnValue:
    """Give a person a seat in the group."""
    db = get_session()
    group = _group_or_404(slug)
    form = MemberForm()
    if not form.validate_on_submit():
        flash(_("Write the name or e-mail address of the person to add."), "error")
        return redirect(url_for("groups.show", slug=group.slug) + "#members")
    try:
        person = people.resolve(db, form.person.data or "")
        groups.add_member(
            db,
            current_person(),
            group,
            person,
            role=MemberRole(form.role.data),
            today=clock.today(),
        )
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("The member was added."), "success")
    return redirect(url_for("groups.show", slug=group.slug) + "#members")


@bp.post("/memberships/<int:membership_id>/end")
@require_role(Role.LEADERSHIP)
def remove_member(membership_id: int) -> ResponseReturnValue:
    """End a membership."""
    db = get_session()
    membership = get_or_404(db, Membership, membership_id)
    if not EmptyForm().validate_on_submit():
        abort(400)
    try:
        seats.remove_member(db, current_person(), membership, today=clock.today())
    except DomainError as error:
        flash(str(error), "error")
    else:
        db.commit()
        flash(_("The member has left the group."), "success")
    return redirect(url_for("groups.show", slug=membership.group.slug) + "#members")


def _values(form: GroupForm) -> groups.GroupValues:
    db = get_session()
    chosen = [get_or_404(db, Assignment, aid) for aid in form.assignment_ids.data or []]
    return groups.GroupValues(
        name=form.name.data or "",
        purpose=form.purpose.data or "",
        mandate=form.mandate.data or "",
        ambition=form.ambition.data or "",
        follow_up=form.follow_up.data or "",
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        seats=form.seats.data or 0,
        recruitment=RecruitmentMode(form.recruitment.data),
        signup_deadline=form.signup_deadline.data,
        assignments=chosen,
    )


@bp.record_once
def _register(state: BlueprintSetupState) -> None:
    parts = state.app.extensions.setdefault("tracker.reader_parts", {})
    parts["signup"] = signup_part
