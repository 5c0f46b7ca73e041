"""Working group forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from tracker.labels import choices
from tracker.models.assignments import Assignment
from tracker.models.groups import GroupState, MemberRole, RecruitmentMode
from tracker.models.plans import ActionPlan


class GroupForm(FlaskForm):
    """Create or edit a working group."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    purpose = TextAreaField(_l("Purpose (Markdown)"), validators=[Length(max=20000)])
    mandate = TextAreaField(
        _l("Mandate: what the group may decide (Markdown)"),
        validators=[Length(max=5000)],
    )
    ambition = TextAreaField(
        _l("Ambition level (Markdown)"), validators=[Length(max=5000)]
    )
    follow_up = TextAreaField(
        _l("How progress is followed up (Markdown)"), validators=[Length(max=5000)]
    )
    # rendered as a checklist by action plan (_macros.html checklist)
    assignment_ids = SelectMultipleField(_l("Assignments the group serves"), coerce=int)
    starts_on = DateField(_l("Starts"), validators=[Optional()])
    ends_on = DateField(_l("Ends"), validators=[Optional()])
    seats = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(),
            NumberRange(min=1, max=500, message=_l("Seats must be between 1 and 500.")),
        ],
    )
    recruitment = SelectField(
        _l("Recruitment"),
        choices=choices(RecruitmentMode),
    )
    signup_deadline = DateField(_l("Sign-up deadline"), validators=[Optional()])

    def set_choices(self, session: Session) -> None:
        """Offer open assignments, grouped by their plan."""
        rows = session.execute(
            select(Assignment.id, Assignment.title, ActionPlan.title)
            .join(ActionPlan, Assignment.plan_id == ActionPlan.id)
            .where(Assignment.closed_at.is_(None))
            .order_by(ActionPlan.position, Assignment.title)
        )
        self.assignment_ids.choices = [
            SelectChoice(aid, title, optgroup=plan) for aid, title, plan in rows
        ]


class GroupStateForm(FlaskForm):
    """Change a group's state."""

    state = SelectField(_l("State"), choices=choices(GroupState))


class MemberForm(FlaskForm):
    """Add a member to a group, found by name or e-mail address."""

    person = StringField(
        _l("Name or e-mail address"), validators=[DataRequired(), Length(max=254)]
    )
    role = SelectField(_l("Role"), choices=choices(MemberRole))


# "Öppna anmälan nu" (issue #17): open sign-up in one step, on the group page
# and at creation
class OpenSignupForm(FlaskForm):
    """Set the sign-up deadline and open recruitment at once."""

    signup_deadline = DateField(
        _l("Last day for sign-up"),
        validators=[InputRequired(message=_l("Choose the last day for sign-up."))],
    )


class NewGroupForm(GroupForm):
    """Start a working group, optionally opening sign-up at once."""

    open_now = BooleanField(_l("Open sign-up now (needs a sign-up deadline)"))
