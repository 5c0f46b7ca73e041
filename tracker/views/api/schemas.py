"""The API's JSON shapes (marshmallow), from which the OpenAPI document is made."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

MAX_PAGE = 100
# PostgreSQL cannot hold NUL in text: the document says so, and so they are refused
NO_NUL = validate.Regexp(r"^[^\x00]*$")
SLUG = validate.Regexp(r"^[a-z0-9-]{1,80}$")


class PageArgs(ma.Schema):
    """Cursor pagination: at most *limit* items after *cursor*."""

    limit = fields.Integer(
        load_default=50,
        validate=validate.Range(1, MAX_PAGE),
        metadata={"description": "Items per page (1–100)."},
    )
    cursor = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^[0-9]{1,9}$"),  # fits a 32-bit id
        metadata={"description": "next_cursor of the previous page."},
    )


class AssignmentArgs(PageArgs):
    """Assignments, optionally of one plan."""

    plan = fields.String(
        load_default=None,
        validate=SLUG,
        metadata={"description": "Only this plan's assignments (its slug)."},
    )


class ActivityArgs(PageArgs):
    """The activity feed, optionally of one plan or group."""

    plan = fields.String(load_default=None, validate=SLUG)
    group = fields.String(load_default=None, validate=SLUG)


class DecisionArgs(PageArgs):
    """The decision register, narrowed as on the /beslut/ page."""

    q = fields.String(
        load_default="",
        validate=[validate.Length(max=200), NO_NUL],
        metadata={"description": "Words in the title, text or reference number."},
    )
    body = fields.Integer(
        load_default=None,
        validate=validate.Range(1, 2_147_483_647),
        metadata={"description": "Only this deciding body's decisions (its id)."},
    )


class PersonRef(ma.Schema):
    """A person as the API names them."""

    id = fields.Integer(required=True)
    name = fields.String(
        allow_none=True,
        required=True,
        metadata={
            "description": "null for an external participant without a recorded "
            "consent to publication."
        },
    )
    external = fields.Boolean(required=True)


class Plan(ma.Schema):
    """An action plan (handlingsplan)."""

    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    title = fields.String(required=True)
    goal = fields.String(required=True, metadata={"description": "Markdown."})
    state = fields.String(required=True, validate=validate.OneOf(["active", "closed"]))
    position = fields.Integer(required=True)
    owner = fields.Nested(PersonRef, allow_none=True, required=True)
    created_at = fields.AwareDateTime(required=True)
    closed_at = fields.AwareDateTime(allow_none=True, required=True)


class Milestone(ma.Schema):
    """A dated checkpoint of an assignment."""

    id = fields.Integer(required=True)
    assignment_id = fields.Integer(required=True)
    title = fields.String(required=True)
    due_on = fields.Date(allow_none=True, required=True)
    done = fields.Boolean(required=True)
    done_at = fields.AwareDateTime(allow_none=True, required=True)


class Assignment(ma.Schema):
    """An assignment (uppdrag) of a plan, with its milestones."""

    id = fields.Integer(required=True)
    plan = fields.String(required=True, metadata={"description": "The plan's slug."})
    title = fields.String(required=True)
    description = fields.String(required=True, metadata={"description": "Markdown."})
    stage = fields.String(required=True)
    responsible = fields.Nested(PersonRef, allow_none=True, required=True)
    starts_on = fields.Date(allow_none=True, required=True)
    ends_on = fields.Date(allow_none=True, required=True)
    documents_link = fields.String(required=True)
    outcome = fields.String(required=True)
    closed_at = fields.AwareDateTime(allow_none=True, required=True)
    updated_at = fields.AwareDateTime(required=True)
    groups = fields.List(fields.String(), required=True)
    milestones = fields.List(fields.Nested(Milestone), required=True)


class Group(ma.Schema):
    """A working group (arbetsgrupp)."""

    id = fields.Integer(required=True)
    slug = fields.String(required=True)
    name = fields.String(required=True)
    purpose = fields.String(required=True, metadata={"description": "Markdown."})
    state = fields.String(required=True)
    recruitment = fields.String(required=True)
    seats = fields.Integer(required=True)
    starts_on = fields.Date(allow_none=True, required=True)
    ends_on = fields.Date(allow_none=True, required=True)
    signup_deadline = fields.Date(allow_none=True, required=True)
    assignments = fields.List(fields.Integer(), required=True)


class Membership(ma.Schema):
    """A current member of a group."""

    id = fields.Integer(required=True)
    group = fields.String(required=True)
    person = fields.Nested(PersonRef, required=True)
    role = fields.String(required=True, validate=validate.OneOf(["lead", "member"]))
    joined_on = fields.Date(required=True)


class Stage(ma.Schema):
    """A step of the workflow; the last is done."""

    id = fields.Integer(required=True)
    name = fields.String(required=True)
    position = fields.Integer(required=True)


class Event(ma.Schema):
    """An entry of the activity feed."""

    id = fields.Integer(required=True)
    created_at = fields.AwareDateTime(required=True)
    actor = fields.String(required=True)
    verb = fields.String(required=True)
    object_type = fields.String(required=True)
    object_id = fields.Integer(allow_none=True, required=True)
    object_label = fields.String(required=True)
    plan_id = fields.Integer(allow_none=True, required=True)
    assignment_id = fields.Integer(allow_none=True, required=True)
    group_id = fields.Integer(allow_none=True, required=True)


class Report(ma.Schema):
    """A progress report on an assignment."""

    id = fields.Integer(required=True)
    assignment_id = fields.Integer(required=True)
    reported_on = fields.Date(required=True)
    body = fields.String(required=True)
    author = fields.Nested(PersonRef, allow_none=True, required=True)


class Decision(ma.Schema):
    """A decision (beslut) of a deciding body."""

    id = fields.Integer(required=True)
    decided_on = fields.Date(required=True)
    body_id = fields.Integer(required=True)
    body = fields.String(required=True, metadata={"description": "The body's name."})
    reference = fields.String(
        required=True, metadata={"description": "Reference number (diarienummer)."}
    )
    title = fields.String(required=True)
    text = fields.String(required=True, metadata={"description": "Markdown."})
    owner = fields.Nested(PersonRef, allow_none=True, required=True)
    follow_up_on = fields.Date(allow_none=True, required=True)
    created_at = fields.AwareDateTime(required=True)
    plans = fields.List(fields.String(), required=True)
    assignments = fields.List(fields.Integer(), required=True)
    groups = fields.List(fields.String(), required=True)


class Need(ma.Schema):
    """Something that needs the caller's attention."""

    kind = fields.String(
        required=True,
        validate=validate.OneOf(
            [
                "milestone",
                "assignment_end",
                "stale",
                "time_box",
                "selection",
                "invitation",
                "application",
                "digest",
            ]
        ),
    )
    severity = fields.String(
        required=True, validate=validate.OneOf(["late", "waiting", "due_soon"])
    )
    date = fields.Date(required=True)
    sentence = fields.String(
        required=True, metadata={"description": "What needs attention, in Swedish."}
    )
    link = fields.String(
        required=True, metadata={"description": "The page's path in the app."}
    )


def page_of(item: type[ma.Schema], name: str) -> type[ma.Schema]:
    """A page of *item*s with the cursor of the next page."""
    return ma.Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item), required=True),
            "next_cursor": fields.String(allow_none=True, required=True),
        },
        name=name,
    )


PlanPage = page_of(Plan, "PlanPage")
AssignmentPage = page_of(Assignment, "AssignmentPage")
GroupPage = page_of(Group, "GroupPage")
MembershipPage = page_of(Membership, "MembershipPage")
EventPage = page_of(Event, "EventPage")
StageList = page_of(Stage, "StageList")
DecisionPage = page_of(Decision, "DecisionPage")
NeedList = page_of(Need, "NeedList")


class StageChange(ma.Schema):
    """Move an assignment to the stage of this name."""

    stage = fields.String(
        required=True, validate=[validate.Length(min=1, max=80), NO_NUL]
    )


class NewReport(ma.Schema):
    """A progress report to add."""

    body = fields.String(
        required=True, validate=[validate.Length(min=1, max=20_000), NO_NUL]
    )
    reported_on = fields.Date(load_default=None)


class MilestoneState(ma.Schema):
    """Tick (true) or untick (false) a milestone."""

    done = fields.Boolean(required=True)


class Problem(ma.Schema):
    """An error as application/problem+json (RFC 9457)."""

    type = fields.String(required=True)
    title = fields.String(required=True)
    status = fields.Integer(required=True)
    detail = fields.String(required=True)
    errors = fields.Dict(metadata={"description": "What is wrong with each field."})
