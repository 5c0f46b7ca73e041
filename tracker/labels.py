"""Translated names of the domain's enums, for forms and the |label filter."""

from __future__ import annotations

import enum
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms.fields.choices import SelectChoice

from tracker.models.accounts import TokenScope
from tracker.models.digests import DigestState, PublicationStatus, PublicationTarget
from tracker.models.groups import GroupState, MemberRole, RecruitmentMode
from tracker.models.people import Role
from tracker.models.plans import PlanState

LABELS: dict[enum.Enum, Any] = {
    RecruitmentMode.OPEN_CALL: _l("Open call (leadership selects)"),
    RecruitmentMode.FIRST_COME: _l("First come, with a waitlist"),
    RecruitmentMode.INVITED: _l("By invitation"),
    GroupState.PLANNED: _l("Planned"),
    GroupState.RECRUITING: _l("Recruiting"),
    GroupState.ACTIVE: _l("Active"),
    GroupState.CLOSED: _l("Closed"),
    MemberRole.LEAD: _l("Lead"),
    MemberRole.MEMBER: _l("Member"),
    Role.STAFF: _l("Staff"),
    Role.COMMUNICATOR: _l("Communicator"),
    Role.LEADERSHIP: _l("Leadership"),
    Role.ADMIN: _l("Administrator"),
    PlanState.ACTIVE: _l("Active"),
    PlanState.CLOSED: _l("Closed"),
    DigestState.DRAFT: _l("Draft"),
    DigestState.EDITED: _l("Edited"),
    DigestState.SCHEDULED: _l("Scheduled"),
    DigestState.HELD: _l("Held"),
    DigestState.PUBLISHED: _l("Published"),
    PublicationTarget.BUILTIN: _l("The built-in blog"),
    PublicationTarget.WORDPRESS: _l("WordPress"),
    PublicationTarget.EMAIL: _l("E-mail"),
    PublicationStatus.PENDING: _l("Waiting"),
    PublicationStatus.SENDING: _l("Sending"),
    PublicationStatus.PUBLISHED: _l("Published"),
    PublicationStatus.FAILED: _l("Failed"),
    PublicationStatus.UNCERTAIN: _l("Uncertain: waiting for WordPress"),
    TokenScope.READ: _l("Read only"),
    TokenScope.READ_WRITE: _l("Read and write"),
}


def label(value: enum.Enum | None) -> str:
    """The reader's-language name of an enum value."""
    if value is None:
        return ""
    return str(LABELS.get(value, value.value))


def choices(enum_type: type[enum.Enum]) -> list[SelectChoice]:
    """Select options for an enum, labelled in the reader's language."""
    return [
        SelectChoice(member.value, LABELS.get(member, member.value))
        for member in enum_type
    ]


VERBS: dict[str, Any] = {
    "created": _l("created"),
    "updated": _l("changed"),
    "moved": _l("moved"),
    "closed": _l("closed"),
    "reopened": _l("reopened"),
    "accepted": _l("accepted"),
    "reported": _l("reported progress on"),
    "completed": _l("completed"),
    "deleted": _l("removed"),
    "state_changed": _l("changed the state of"),
    "member_added": _l("added a member to"),
    "member_left": _l("ended a membership in"),
    "role_changed": _l("changed the role of"),
    "login_granted": _l("gave a login to"),
    "login_switched_off": _l("switched off the login of"),
    "login_switched_on": _l("switched on the login of"),
    "drafted": _l("drafted"),
    "refreshed": _l("refreshed the facts of"),
    "published": _l("published"),
    "restored": _l("restored an older version of"),
    "corrected": _l("corrected"),
    # recruitment: the object (an application or a selection) is named in the verb
    "applied": _l("sent an application to"),
    "application_changed": _l("changed an application to"),
    "withdrawn": _l("withdrew an application to"),
    "moved_up": _l("gave a seat from the waitlist in"),
    "invited": _l("invited a person to"),
    "invitation_accepted": _l("accepted an invitation to"),
    "invitation_declined": _l("declined an invitation to"),
    "application_viewed": _l("read an application to"),
    "applications_viewed": _l("read the applications to"),
    "applications_downloaded": _l("downloaded the list of applications to"),
    "applications_anonymised": _l("anonymised old applications, in number:"),
    "selection_changed": _l("changed the proposed selection for"),
    "selection_confirmed": _l("confirmed the selection for"),
    "call_closed_early": _l("closed the call early for"),
    "cancelled": _l("cancelled"),
    # governance
    "decided": _l("recorded the decision"),
    "evaluated": _l("evaluated"),
    "step_entered": _l("moved on in the method with"),
    "round_opened": _l("opened"),
    "round_closed": _l("closed"),
}
OBJECT_TYPES: dict[str, Any] = {
    "ActionPlan": _l("action plan"),
    "Assignment": _l("assignment"),
    "Milestone": _l("milestone"),
    "WorkingGroup": _l("working group"),
    "Person": _l("person"),
    "Digest": _l("monthly digest"),
    "DigestTemplate": _l("digest template"),
    "CheckIn": _l("check-in"),
    "Decision": "",  # named in the verb ("recorded the decision")
    "MaturityRound": _l("maturity round"),
    # named in the recruitment verbs above ("sent an application to")
    "Application": "",
    "SelectionRun": "",
}


def verb(value: str) -> str:
    """The reader's-language verb of an activity event."""
    return str(VERBS.get(value, value.replace("_", " ")))


def object_type(value: str) -> str:
    """The reader's-language noun for an activity event's object type."""
    return str(OBJECT_TYPES.get(value, value))


# The audit history names fields and enum values in the reader's language, not as
# English identifiers inside a Swedish page (WCAG 3.1.2).
FIELDS: dict[str, Any] = {
    "title": _l("Title"),
    "name": _l("Name"),
    "goal": _l("Goal"),
    "purpose": _l("Purpose"),
    "description": _l("Description"),
    "position": _l("Position"),
    "owner": _l("Owner"),
    "responsible": _l("Responsible"),
    "starts_on": _l("Start date"),
    "ends_on": _l("End date"),
    "documents_link": _l("Documents link"),
    "seats": _l("Seats"),
    "recruitment": _l("Recruitment"),
    "state": _l("State"),
    "stage": _l("Stage"),
    "status": _l("Status"),
    "role": _l("Role"),
    "signup_deadline": _l("Sign-up deadline"),
    "assignments": _l("Assignments"),
    "email": _l("E-mail address"),
    "department": _l("Department"),
    "competences": _l("Competences"),
    "years_experience": _l("Years of experience"),
    "trello_username": _l("Trello username"),
    "digest_opt_out": _l("Left out of what is published"),
    "publication_consent_on": _l("Agreed to be named in what is published"),
    "outcome": _l("Outcome"),
    "person": _l("Person"),
    "reason": _l("Reason"),
    "done": _l("Done"),
    "due_on": _l("Date to reach it"),
    "closed": _l("Ended"),
    "proposed": _l("Proposed from Trello"),
    "trello_card": _l("Trello card"),
    "trello_card_unlinked": _l("Trello card unlinked"),
    "decided_on": _l("Date of the decision"),
    "body": _l("Deciding body"),
    "step": _l("Step in the method"),
    "maturity_dimensions": _l("Maturity dimensions"),
}
# internal identifiers the reader cannot use: the event's own line says what happened
HIDDEN_FIELDS = {"report_id"}
VALUES: dict[str, Any] = {
    member.value: text
    for member, text in LABELS.items()
    if isinstance(member, GroupState | PlanState | RecruitmentMode | MemberRole | Role)
}


def change_list(
    before: dict[str, Any] | None, after: dict[str, Any] | None
) -> list[tuple[str, str, str]]:
    """(field, old, new) rows of an event, for the audit history."""
    before, after = before or {}, after or {}
    rows = []
    for key in sorted((set(before) | set(after)) - HIDDEN_FIELDS):
        name = str(FIELDS.get(key, key.replace("_", " ")))
        rows.append((name, _show(before.get(key)), _show(after.get(key))))
    return rows


def _show(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return str(_l("Yes") if value else _l("No"))
    if isinstance(value, str) and value in VALUES:
        return str(VALUES[value])
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    text = str(value)
    return text if len(text) <= 120 else text[:117] + "…"
