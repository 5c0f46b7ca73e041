"""Decision register forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import (
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional

from tracker.forms.common import optional_int, to_choices
from tracker.models.assignments import Assignment
from tracker.models.groups import WorkingGroup
from tracker.models.people import Person
from tracker.models.plans import ActionPlan
from tracker.services.governance import decisions


class DecisionForm(FlaskForm):
    """Record or correct a decision."""

    decided_on = DateField(
        _l("Date of the decision"),
        validators=[DataRequired(message=_l("Give the date of the decision."))],
    )
    body_id = SelectField(
        _l("Deciding body"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Choose the body that decided."))],
    )
    reference = StringField(
        _l("Reference number (diarienummer)"), validators=[Length(max=60)]
    )
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(message=_l("Write the decision's title.")),
            Length(max=200),
        ],
    )
    text = TextAreaField(_l("The decision (Markdown)"), validators=[Length(max=20000)])
    owner_id = SelectField(_l("Owner"), coerce=optional_int)
    follow_up_on = DateField(_l("Follow up on"), validators=[Optional()])
    plan_ids = SelectMultipleField(_l("Action plans it concerns"), coerce=int)
    assignment_ids = SelectMultipleField(_l("Assignments it concerns"), coerce=int)
    group_ids = SelectMultipleField(_l("Working groups it concerns"), coerce=int)

    def set_choices(self, session: Session) -> None:
        """Offer the bodies, people, plans, assignments and groups."""
        self.body_id.choices = to_choices(
            [(None, _l("— choose —"))]
            + [(b.id, b.name) for b in decisions.list_bodies(session)]
        )
        people = session.scalars(
            select(Person)
            .where(Person.active.is_(True), Person.external.is_(False))
            .order_by(Person.name)
        )
        self.owner_id.choices = to_choices(
            [(None, _l("— none —"))] + [(p.id, p.name) for p in people]
        )
        plans = session.scalars(select(ActionPlan).order_by(ActionPlan.title))
        self.plan_ids.choices = to_choices((p.id, p.title) for p in plans)
        tasks = session.scalars(select(Assignment).order_by(Assignment.title))
        self.assignment_ids.choices = to_choices((a.id, a.title) for a in tasks)
        groups = session.scalars(select(WorkingGroup).order_by(WorkingGroup.name))
        self.group_ids.choices = to_choices((g.id, g.name) for g in groups)


class BodyForm(FlaskForm):
    """Add a deciding body to the list."""

    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(message=_l("Write the body's name.")),
            Length(max=120),
        ],
    )
