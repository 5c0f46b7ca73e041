"""Evaluation forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.forms.common import to_choices


class EvaluationForm(FlaskForm):
    """Evaluate an ended assignment or a closed group."""

    evaluated_on = DateField(
        _l("Date"),
        validators=[DataRequired(message=_l("Give the date of the evaluation."))],
    )
    worked = TextAreaField(_l("What worked?"), validators=[Length(max=10000)])
    did_not_work = TextAreaField(
        _l("What did not work?"), validators=[Length(max=10000)]
    )
    adjust = TextAreaField(_l("What do we adjust?"), validators=[Length(max=10000)])
    interview_count = IntegerField(
        _l("Number of interviews"),
        validators=[
            Optional(),
            NumberRange(
                min=0,
                max=10000,
                message=_l(
                    "Give the number of interviews as a whole number, 0 or more."
                ),
            ),
        ],
    )
    interview_roles = StringField(
        _l("Roles of those interviewed"), validators=[Length(max=500)]
    )
    findings = TextAreaField(
        _l("Key findings, one per line (anonymised)"),
        validators=[Length(max=20000)],
    )


class FindingForm(FlaskForm):
    """Turn a finding into an assignment of a plan."""

    plan_id = SelectField(_l("Action plan"), coerce=int)

    def set_plans(self, plans: list[tuple[int, str]]) -> None:
        """Offer the plans the evaluation belongs to."""
        self.plan_id.choices = to_choices(plans)
