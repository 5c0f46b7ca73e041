"""The test world: a small set of real objects every route can point at, with objects
that belong to others, and each area's hook that adds its own (applications, digests,
Trello, notifications, governance, API tokens). route_samples turns it into URLs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from factories import (
    make_assignment,
    make_department,
    make_group,
    make_person,
    make_plan,
)
from sqlalchemy.orm import Session

from tracker.models.groups import MemberRole, RecruitmentMode
from tracker.models.people import Person, Role
from tracker.services import groups, people
from tracker.services.programme import milestones, reports

ROLES = ("anonymous", "staff", "communicator", "leadership", "admin")
ROLE_ENUMS = {
    "staff": Role.STAFF,
    "communicator": Role.COMMUNICATOR,
    "leadership": Role.LEADERSHIP,
    "admin": Role.ADMIN,
}


@dataclass
class World:
    """Objects every route can point at, including objects that belong to others."""

    logins: dict[str, Person]
    other: Person  # a staff member who is none of the logins: "someone else"
    external: Person
    plan_slug: str
    assignment_id: int  # only `other` is a member of its group
    shared_assignment_id: int  # every login is a member of its group
    milestone_id: int
    shared_milestone_id: int
    group_slug: str
    open_group_slug: str
    team_slug: str  # every login is a member
    membership_id: int
    extra: dict[str, Any] = field(default_factory=dict)


def build_world(
    session: Session,
    logins: dict[str, Person] | None = None,
    public_url: str = "https://tracker.test",
    secret: str = "test",
) -> World:
    """Create the objects the routes point at (logins too, unless given)."""
    if logins is None:
        logins = {
            role: make_person(session, role=enum, email=f"{role}@authz.se")
            for role, enum in ROLE_ENUMS.items()
        }
    department = make_department(session)
    other = make_person(session, name="Olle Annan", department=department)
    external = people.create_person(
        session,
        None,
        people.PersonValues(name="Ester Extern"),
        external=True,
        consent_on=date(2026, 1, 2),
        consent_note="Muntligt samtycke.",
    )
    plan = make_plan(session, owner=logins["leadership"])
    assignment = make_assignment(
        session, plan, responsible=other, description="Ett **uppdrag**."
    )
    shared = make_assignment(session, plan)
    group = make_group(session, assignments=[assignment], purpose="Ett *syfte*.")
    membership = groups.add_member(
        session, None, group, other, role=MemberRole.LEAD, today=date(2026, 1, 5)
    )
    team = make_group(session, assignments=[shared])
    for person in logins.values():
        groups.add_member(
            session, None, team, person, role=MemberRole.MEMBER, today=date(2026, 1, 5)
        )
    open_group = make_group(session, recruitment=RecruitmentMode.OPEN_CALL, seats=8)
    milestone = milestones.add_milestone(
        session, None, assignment, title="Startmöte", due_on=date(2026, 2, 1)
    )
    shared_milestone = milestones.add_milestone(
        session, None, shared, title="Delrapport", due_on=date(2026, 3, 1)
    )
    reports.add_report(
        session,
        other,
        assignment,
        body="Vi har *börjat*.",
        reported_on=date(2026, 1, 9),
    )
    session.flush()
    world = World(
        logins=logins,
        other=other,
        external=external,
        plan_slug=plan.slug,
        assignment_id=assignment.id,
        shared_assignment_id=shared.id,
        milestone_id=milestone.id,
        shared_milestone_id=shared_milestone.id,
        group_slug=group.slug,
        open_group_slug=open_group.slug,
        team_slug=team.slug,
        membership_id=membership.id,
        extra={"public_url": public_url, "secret": secret},
    )
    for hook in WORLD_HOOKS:
        hook(session, world)
    session.flush()
    return world


def _digests(session: Session, world: World) -> None:
    """A draft digest (2026-01) and a published one on the blog (2025-12)."""
    from tracker.services.digest import blog
    from tracker.services.digest import drafts as digests
    from tracker.services.digest.months import Month

    now = datetime(2026, 2, 3, 9, 0, tzinfo=UTC)
    url = world.extra["public_url"]
    draft, _ = digests.draft_for_month(
        session, None, Month(2026, 1), now=now, public_url=url
    )
    published, _ = digests.draft_for_month(
        session, None, Month(2025, 12), now=now, public_url=url
    )
    post = blog.add_post(session, published, slug=f"manadsbrev-{published.period}")
    world.extra.update(period=draft.period, version=1, post_slug=post.slug)


def _trello(session: Session, world: World) -> None:
    """A linked board with a card, a conflict and a match proposal."""
    from tracker.models import trello
    from tracker.services.programme import plans

    plan = plans.get_by_slug(session, world.plan_slug)
    assert plan is not None
    board = trello.TrelloBoard(plan_id=plan.id, board_id="b" * 24)
    session.add(board)
    session.flush()
    card = trello.TrelloCard(
        assignment_id=world.assignment_id,
        board_link_id=board.id,
        card_id="c" * 24,
        marker="tracker-assignment",
    )
    conflict = trello.TrelloConflict(
        board_link_id=board.id,
        assignment_id=world.assignment_id,
        field="title",
        tracker_value="Här",
        trello_value="Där",
        winner=trello.Side.TRACKER,
    )
    proposal = trello.TrelloMatchProposal(
        board_link_id=board.id,
        assignment_id=world.shared_assignment_id,
        card_id="d" * 24,
        card_name="Nytt kort",
    )
    session.add_all([card, conflict, proposal])
    session.flush()
    world.extra.update(
        board_link_id=board.id,
        card_link_id=card.id,
        conflict_id=conflict.id,
        proposal_id=proposal.id,
    )


def _applications(session: Session, world: World) -> None:
    """The open call recruits; someone else and the staff login applied; a run."""
    from tracker.config import DEFAULTS
    from tracker.services.recruitment import applications
    from tracker.services.selection import runs as selection_runs

    group = groups.get_by_slug(session, world.open_group_slug)
    assert group is not None
    group.signup_deadline = date(2099, 1, 1)
    groups.set_state(
        session, None, group, groups.GroupState.RECRUITING, datetime.now(UTC)
    )
    made = {}
    for key, person in (("other", world.other), ("own", world.logins["staff"])):
        values = applications.ApplicationValues(
            department=make_department(session), motivation="Jag vill."
        )
        made[key] = applications.apply(
            session, group, person, values, today=date(2026, 1, 5)
        ).id
    run = selection_runs.run_selection(
        session,
        None,
        group,
        selection_runs.Choices(seed=1),
        DEFAULTS["RECRUITMENT"],
    )
    world.extra.update(
        application_id=made["other"], own_application_id=made["own"], run_id=run.id
    )
    _invitations(session, world)


def _invitations(session: Session, world: World) -> None:
    """Staff is invited to the invited group, someone else to the team."""
    from tracker.services.recruitment import invitations

    invited, team = (
        groups.get_by_slug(session, s) for s in (world.group_slug, world.team_slug)
    )
    assert invited is not None and team is not None
    mine = invitations.invite(session, None, invited, world.logins["staff"])
    theirs = invitations.invite(session, None, team, world.other)
    world.extra.update(invitation_id=theirs.id, own_invitation_id=mine.id)


def _password_link(session: Session, world: World) -> None:
    """A set-password link for someone else, signed with the app's key."""
    from tracker.services.accounts import links

    settings = links.LinkSettings(
        secret=world.extra["secret"],
        set_password_url="",
        login_url="",
        passwords=True,
        now=datetime.now(UTC),
    )
    world.extra["password_token"] = links.password_link(settings, world.other)


def _notifications(session: Session, world: World) -> None:
    """Staff's feed address, a notification each for staff and someone else,
    a coming check-in on the assignment and a past one on the shared assignment."""
    from flask import current_app

    from tracker.models.checkins import CheckIn
    from tracker.services.attention import notifications, tokens
    from tracker.services.programme import plans

    now = datetime.now(UTC)
    key = str(current_app.config["SECRET_KEY"])
    staff = world.logins["staff"]
    token = tokens.create_feed_token(session, staff, secret_key=key, now=now)
    notifications.store(
        session,
        [
            notifications.Delivery(
                p.id, notifications.DIGEST, "world", now, params={"title": "Brevet"}
            )
            for p in (staff, world.other)
        ],
        now=now,
    )
    mine, theirs = (
        notifications.page(session, p.id)[0].id for p in (staff, world.other)
    )
    coming = CheckIn(
        assignment_id=world.assignment_id,
        title="Avstämning",
        starts_at=datetime(2099, 1, 1, 9, tzinfo=UTC),
        ends_at=datetime(2099, 1, 1, 10, tzinfo=UTC),
        organizer=world.logins["leadership"],
    )
    past = CheckIn(
        assignment_id=world.shared_assignment_id,
        title="Förra avstämningen",
        starts_at=datetime(2026, 1, 8, 9, tzinfo=UTC),
        ends_at=datetime(2026, 1, 8, 10, tzinfo=UTC),
    )
    session.add_all([coming, past])
    session.flush()
    plan = plans.get_by_slug(session, world.plan_slug)
    world.extra.update(
        feed_token=token,
        unsubscribe_token=tokens.unsubscribe_token(staff.id, secret_key=key),
        notification_id=theirs,
        own_notification_id=mine,
        checkin_id=coming.id,
        shared_checkin_id=past.id,
        plan_id=plan.id if plan else 0,
    )


def _governance(session: Session, world: World) -> None:
    """A decision on the plan, an evaluated ended assignment with a finding, and a
    maturity round asking the other person's department."""
    from tracker.services.governance import decisions, evaluations, maturity
    from tracker.services.programme import assignments, plans

    plan = plans.get_by_slug(session, world.plan_slug)
    assert plan is not None
    decisions.ensure_bodies(session)
    body = decisions.list_bodies(session)[0]
    decision = decisions.record_decision(
        session,
        world.logins["leadership"],
        decisions.DecisionValues(
            decided_on=date(2026, 1, 20), body_id=body.id, title="Beslut", plans=[plan]
        ),
    )
    ended = make_assignment(session, plan, responsible=world.other)
    assignments.close_assignment(
        session, None, ended, outcome="Klart.", now=datetime(2026, 1, 30, tzinfo=UTC)
    )
    evaluation = evaluations.record_evaluation(
        session,
        world.other,
        evaluations.EvaluationValues(
            evaluated_on=date(2026, 2, 1), worked="Bra.", findings=["En lärdom"]
        ),
        assignment=ended,
    )
    department = world.other.department
    assert department is not None
    measured = maturity.open_round(
        session,
        None,
        maturity.RoundValues(
            "Omgång", date(2026, 1, 1), date(2099, 1, 1), [department]
        ),
    )
    world.extra.update(
        decision_id=decision.id,
        evaluation_id=evaluation.id,
        finding_id=evaluation.findings[0].id,
        round_id=measured.id,
        model_id=measured.model_id,
    )


def _api_tokens(session: Session, world: World) -> None:
    """An API token each for staff (own) and someone else."""
    from datetime import timedelta

    from tracker.models.accounts import TokenScope
    from tracker.services.accounts import api_tokens

    today = date.today()
    made = {}
    for key, person in (("other", world.other), ("own", world.logins["staff"])):
        token, _secret = api_tokens.create_token(
            session,
            person,
            name="Rapport",
            scope=TokenScope.READ,
            expires_on=today + timedelta(days=30),
            today=today,
        )
        made[key] = token.id
    world.extra.update(api_token_id=made["other"], own_api_token_id=made["own"])


# recruit (issue #17): a planned first-come group, offered "Öppna anmälan nu"
def _planned_signup(session: Session, world: World) -> None:
    """A planned first-come group whose sign-up leadership may open at once."""
    group = make_group(session, recruitment=RecruitmentMode.FIRST_COME, seats=4)
    world.extra["planned_group_slug"] = group.slug


# Other areas add objects to the world here (applications, digests, blog posts).
WORLD_HOOKS: list[Callable[[Session, World], None]] = [
    _digests,
    _trello,
    _applications,
    _password_link,
    _notifications,
    _governance,
    _api_tokens,
    _planned_signup,
]
