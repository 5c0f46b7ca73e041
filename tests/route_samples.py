"""A small world of real objects and the URL values every route needs, from url_map.

The authorization matrix, the CSRF sweep, the form fuzzer and the browser tests all
walk ``app.url_map``; this module turns each rule into a real URL. A route whose
arguments have no sample here fails those tests with a message naming it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from flask import Flask
from route_world import World
from werkzeug.routing import Rule

SKIPPED_METHODS = {"HEAD", "OPTIONS"}

# endpoint-specific samples win over argument-name samples
Sampler = Callable[[World], Any]
BY_ENDPOINT: dict[tuple[str, str], Sampler] = {
    ("plans.show", "slug"): lambda w: w.plan_slug,
    ("plans.assignments_csv", "slug"): lambda w: w.plan_slug,
    ("plans.edit", "slug"): lambda w: w.plan_slug,
    ("plans.close", "slug"): lambda w: w.plan_slug,
    ("plans.reopen", "slug"): lambda w: w.plan_slug,
    ("applications.invite", "slug"): lambda w: w.group_slug,
    ("applications.answer", "application_id"): lambda w: w.extra["invitation_id"],
    ("notifications.unsubscribe", "token"): lambda w: w.extra["unsubscribe_token"],
    ("api.get_plan", "slug"): lambda w: w.plan_slug,
    ("notifications.unsubscribe_one_click", "token"): lambda w: w.extra[
        "unsubscribe_token"
    ],
    # recruit (issue #17): "Öppna anmälan nu" on a planned first-come group
    ("groups.open_signup", "slug"): lambda w: w.extra["planned_group_slug"],
}
BY_ARGUMENT: dict[str, Sampler] = {
    "plan_slug": lambda w: w.plan_slug,
    "assignment_id": lambda w: w.assignment_id,
    "milestone_id": lambda w: w.milestone_id,
    "membership_id": lambda w: w.membership_id,
    "person_id": lambda w: w.other.id,
    "kind": lambda w: "departments",
    "filename": lambda w: "tracker.css",
    "period": lambda w: w.extra["period"],
    "number": lambda w: w.extra["version"],
    "board_link_id": lambda w: w.extra["board_link_id"],
    "card_link_id": lambda w: w.extra["card_link_id"],
    "conflict_id": lambda w: w.extra["conflict_id"],
    "proposal_id": lambda w: w.extra["proposal_id"],
    "answer": lambda w: "accept",
    "application_id": lambda w: w.extra["application_id"],
    "token": lambda w: w.extra["password_token"],
    "run_id": lambda w: w.extra["run_id"],
    "notification_id": lambda w: w.extra["notification_id"],
    "checkin_id": lambda w: w.extra["checkin_id"],
    "decision_id": lambda w: w.extra["decision_id"],
    "evaluation_id": lambda w: w.extra["evaluation_id"],
    "finding_id": lambda w: w.extra["finding_id"],
    "round_id": lambda w: w.extra["round_id"],
    "model_id": lambda w: w.extra["model_id"],
    "token_id": lambda w: w.extra["api_token_id"],
    "target": lambda w: "plan",
    "target_id": lambda w: w.extra["plan_id"],
    # the digest's progress bar: 3 done before, 5 done now, of 8
    "before": lambda w: 3,
    "done": lambda w: 5,
    "total": lambda w: 8,
    # the digest's burn-up: one week, 5 of 8 done, 2 milestones reached
    "monday": lambda w: "2026-02-02",
    "milestones": lambda w: 2,
}
BY_BLUEPRINT: dict[tuple[str, str], Sampler] = {
    ("groups", "slug"): lambda w: w.group_slug,
    ("blog", "slug"): lambda w: w.extra["post_slug"],
    ("applications", "slug"): lambda w: w.open_group_slug,
    ("selection", "slug"): lambda w: w.open_group_slug,
    ("checkins", "slug"): lambda w: w.group_slug,
    ("evaluations", "slug"): lambda w: w.group_slug,
    ("feeds", "slug"): lambda w: w.plan_slug,
    ("feeds", "token"): lambda w: w.extra["feed_token"],
    ("api", "slug"): lambda w: w.group_slug,
}

# Extra cases of one route: other objects (someone else's, or one's own).
CASES: dict[str, dict[str, Callable[[World], dict[str, Any]]]] = {
    "assignments.add_report": {
        "member": lambda w: {"assignment_id": w.shared_assignment_id}
    },
    "assignments.toggle_milestone": {
        "member": lambda w: {"milestone_id": w.shared_milestone_id}
    },
    "assignments.move": {"member": lambda w: {"assignment_id": w.shared_assignment_id}},
    "people.show": {
        "external": lambda w: {"person_id": w.external.id},
        "self": lambda w: {"person_id": w.logins["staff"].id},
    },
    "groups.show": {
        "open call": lambda w: {"slug": w.open_group_slug},
        # recruit (issue #17): planned, so "Öppna anmälan nu" is on the page
        "planned": lambda w: {"slug": w.extra["planned_group_slug"]},
    },
    "people.publication_consent": {"external": lambda w: {"person_id": w.external.id}},
    "sync.decide_proposal": {"reject": lambda w: {"answer": "reject"}},
    "applications.edit": {
        "own": lambda w: {"application_id": w.extra["own_application_id"]}
    },
    "applications.withdraw": {
        "own": lambda w: {"application_id": w.extra["own_application_id"]}
    },
    "applications.receipt": {
        "own": lambda w: {"application_id": w.extra["own_application_id"]}
    },
    "applications.answer": {
        "own": lambda w: {"application_id": w.extra["own_invitation_id"]}
    },
    "notifications.mark_read": {
        "own": lambda w: {"notification_id": w.extra["own_notification_id"]}
    },
    "checkins.save_notes": {
        "member": lambda w: {"checkin_id": w.extra["shared_checkin_id"]}
    },
    "api_tokens.revoke": {"own": lambda w: {"token_id": w.extra["own_api_token_id"]}},
    # recruit (issue #17): undoing one's own withdrawal
    "applications.undo_withdrawal": {
        "own": lambda w: {"application_id": w.extra["own_application_id"]}
    },
}


class MissingSample(LookupError):
    """A route argument without a sample value: add one to route_samples.py."""


def sample(world: World, endpoint: str, argument: str) -> Any:
    """A real value for *argument* of *endpoint*."""
    blueprint = endpoint.rsplit(".", 1)[0]
    for table, key in (
        (BY_ENDPOINT, (endpoint, argument)),
        (BY_BLUEPRINT, (blueprint, argument)),
    ):
        if key in table:
            return table[key](world)  # type: ignore[index]
    if argument in BY_ARGUMENT:
        return BY_ARGUMENT[argument](world)
    raise MissingSample(
        f"no sample for <{argument}> of {endpoint}: add one to tests/route_samples.py"
    )


@dataclass(frozen=True)
class Call:
    """One endpoint, method and case, with the values of its URL."""

    endpoint: str
    method: str
    case: str
    values: dict[str, Any]
    missing: str = ""  # why no URL could be built (a route argument lacks a sample)

    @property
    def key(self) -> str:
        """How the authorization table names this call."""
        suffix = f" [{self.case}]" if self.case else ""
        return f"{self.endpoint} {self.method}{suffix}"


def rules(app: Flask) -> Iterator[Rule]:
    """Every rule but static files, in a stable order."""
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: (r.endpoint, r.rule)):
        if rule.endpoint != "static":
            yield rule


def calls(app: Flask, world: World) -> Iterator[Call]:
    """Every endpoint x method x case, with real values (or why there are none)."""
    for rule in rules(app):
        missing = ""
        try:
            base = {arg: sample(world, rule.endpoint, arg) for arg in rule.arguments}
        except MissingSample as error:
            base, missing = {}, str(error)
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            yield Call(rule.endpoint, method, "", base, missing)
            for case, values in CASES.get(rule.endpoint, {}).items():
                if not missing:
                    yield Call(rule.endpoint, method, case, base | values(world))


def unsampled(app: Flask, world: World) -> list[str]:
    """The routes whose URLs cannot be built yet, with the reason."""
    return sorted({call.missing for call in calls(app, world) if call.missing})


# Endpoints for machines, not pages for people (no HTML to look at or fill in)
NOT_PAGES = {
    "sync.trello_webhook",
    "blog.feed",
    "blog.bar",
    "blog.burnup_chart",
    "pages.healthz",
    "pages.favicon",
    "me.export",  # a JSON download
    "feeds.person_calendar",  # calendars and Atom feeds for programs
    "feeds.plan_calendar",
    "feeds.blog_atom",
    "feeds.plan_atom",
    # the JSON API and its OpenAPI document (tests/test_api.py)
    "api-docs.openapi_json",
    "api.list_plans",
    "api.get_plan",
    "api.list_assignments",
    "api.get_assignment",
    "api.move_assignment",
    "api.add_report",
    "api.set_milestone",
    "api.list_stages",
    "api.list_groups",
    "api.get_group",
    "api.list_memberships",
    "api.list_activity",
    "api.list_decisions",
    "api.get_decision",
    "api.my_needs",
    "plans.assignments_csv",  # CSV downloads (tests/test_interchange.py)
    "groups.members_csv",
    "selection.applications_csv",
    "activity.csv_file",
}


def get_pages(app: Flask, world: World) -> list[Call]:
    """Every GET page for people, with real values, each case included."""
    return [
        call
        for call in calls(app, world)
        if call.method == "GET" and not call.missing and call.endpoint not in NOT_PAGES
    ]
