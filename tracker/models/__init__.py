"""All models, imported so that Base.metadata and Alembic see every table."""

from tracker.models import (  # noqa: F401 - tables
    applications,
    digests,
    fulltext,
    mail,
    stamps,
    trello,
)
from tracker.models.accounts import ApiToken, LinkRequest, LoginSession, TokenScope
from tracker.models.activity import ActivityEvent
from tracker.models.assignments import Assignment, Milestone, ProgressReport, Stage
from tracker.models.checkins import CheckIn
from tracker.models.decisions import DecidingBody, Decision
from tracker.models.evaluations import Evaluation, Finding
from tracker.models.groups import (
    GroupState,
    MemberRole,
    Membership,
    RecruitmentMode,
    WorkingGroup,
    group_assignments,
)
from tracker.models.maturity import (
    MaturityDimension,
    MaturityModel,
    MaturityParticipation,
    MaturityRound,
    MaturityTally,
)
from tracker.models.notifications import Follow, Notification
from tracker.models.people import Competence, Department, LoginFailure, Person, Role
from tracker.models.plans import ActionPlan, PlanState
from tracker.models.steps import MethodStep, PlanStep

__all__ = [
    "ActionPlan",
    "ActivityEvent",
    "ApiToken",
    "Assignment",
    "CheckIn",
    "Competence",
    "DecidingBody",
    "Decision",
    "Department",
    "Evaluation",
    "Finding",
    "Follow",
    "GroupState",
    "LinkRequest",
    "LoginFailure",
    "LoginSession",
    "MaturityDimension",
    "MaturityModel",
    "MaturityParticipation",
    "MaturityRound",
    "MaturityTally",
    "MemberRole",
    "Membership",
    "MethodStep",
    "Milestone",
    "Notification",
    "Person",
    "PlanState",
    "PlanStep",
    "ProgressReport",
    "RecruitmentMode",
    "Role",
    "Stage",
    "TokenScope",
    "WorkingGroup",
    "group_assignments",
]
