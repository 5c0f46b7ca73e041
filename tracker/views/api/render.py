"""Models as the API's JSON objects (the shapes in schemas.py)."""

from __future__ import annotations

from typing import Any

from tracker.models.activity import ActivityEvent
from tracker.models.assignments import Assignment, Milestone, ProgressReport, Stage
from tracker.models.decisions import Decision
from tracker.models.groups import Membership, WorkingGroup
from tracker.models.people import Person
from tracker.models.plans import ActionPlan
from tracker.services.attention.needs import Need

Json = dict[str, Any]


def may_name(person: Person) -> bool:
    """External participants are named only with a consent to publication: other
    systems read the API, and a citizen's name should not travel there unasked."""
    return not person.external or person.publication_consent_on is not None


def person(p: Person | None) -> Json | None:
    """A person reference."""
    if p is None:
        return None
    return {"id": p.id, "name": p.name if may_name(p) else None, "external": p.external}


def plan(p: ActionPlan) -> Json:
    """An action plan."""
    return {
        "id": p.id,
        "slug": p.slug,
        "title": p.title,
        "goal": p.goal,
        "state": p.state.value,
        "position": p.position,
        "owner": person(p.owner),
        "created_at": p.created_at,
        "closed_at": p.closed_at,
    }


def milestone(m: Milestone) -> Json:
    """A milestone."""
    return {
        "id": m.id,
        "assignment_id": m.assignment_id,
        "title": m.title,
        "due_on": m.due_on,
        "done": m.done,
        "done_at": m.done_at,
    }


def assignment(a: Assignment) -> Json:
    """An assignment with its milestones."""
    return {
        "id": a.id,
        "plan": a.plan.slug,
        "title": a.title,
        "description": a.description,
        "stage": a.stage.name,
        "responsible": person(a.responsible),
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "documents_link": a.documents_link,
        "outcome": a.outcome,
        "closed_at": a.closed_at,
        "updated_at": a.updated_at,
        "groups": sorted(g.slug for g in a.groups),
        "milestones": [milestone(m) for m in a.milestones],
    }


def group(g: WorkingGroup) -> Json:
    """A working group."""
    return {
        "id": g.id,
        "slug": g.slug,
        "name": g.name,
        "purpose": g.purpose,
        "state": g.state.value,
        "recruitment": g.recruitment.value,
        "seats": g.seats,
        "starts_on": g.starts_on,
        "ends_on": g.ends_on,
        "signup_deadline": g.signup_deadline,
        "assignments": sorted(a.id for a in g.assignments),
    }


def membership(m: Membership) -> Json:
    """A current membership."""
    return {
        "id": m.id,
        "group": m.group.slug,
        "person": person(m.person),
        "role": m.role.value,
        "joined_on": m.joined_on,
    }


def stage(s: Stage) -> Json:
    """A workflow stage."""
    return {"id": s.id, "name": s.name, "position": s.position}


def event(e: ActivityEvent, hidden_subjects: set[int]) -> Json:
    """An activity event; the label is left out when it would name someone unasked."""
    return {
        "id": e.id,
        "created_at": e.created_at,
        "actor": e.actor_label,
        "verb": e.verb,
        "object_type": e.object_type,
        "object_id": e.object_id,
        "object_label": "" if e.subject_id in hidden_subjects else e.object_label,
        "plan_id": e.plan_id,
        "assignment_id": e.assignment_id,
        "group_id": e.group_id,
    }


def report(r: ProgressReport) -> Json:
    """A progress report."""
    return {
        "id": r.id,
        "assignment_id": r.assignment_id,
        "reported_on": r.reported_on,
        "body": r.body,
        "author": person(r.author),
    }


def decision(d: Decision) -> Json:
    """A decision and what it concerns."""
    return {
        "id": d.id,
        "decided_on": d.decided_on,
        "body_id": d.body_id,
        "body": d.body.name,
        "reference": d.reference,
        "title": d.title,
        "text": d.text,
        "owner": person(d.owner),
        "follow_up_on": d.follow_up_on,
        "created_at": d.created_at,
        "plans": [p.slug for p in d.plans],
        "assignments": [a.id for a in d.assignments],
        "groups": [g.slug for g in d.groups],
    }


def need(n: Need) -> Json:
    """An item of "what needs me"."""
    return {
        "kind": n.kind.value,
        "severity": n.severity.value,
        "date": n.on,
        "sentence": n.text,
        "link": n.path,
    }
