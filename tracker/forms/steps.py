"""Method step forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from tracker.forms.common import optional_int, to_choices
from tracker.models.steps import MethodStep


class StepForm(FlaskForm):
    """Move a plan to a step of the method."""

    step_id = SelectField(
        _l("Step"),
        coerce=optional_int,
        validators=[DataRequired(message=_l("Choose a step of the method."))],
    )
    entered_on = DateField(
        _l("The step began on"),
        validators=[DataRequired(message=_l("Give the date the step began."))],
    )
    purpose = TextAreaField(_l("Purpose in this step"), validators=[Length(max=5000)])
    goal = TextAreaField(_l("Goal of this step"), validators=[Length(max=5000)])

    def set_steps(self, steps: list[MethodStep]) -> None:
        """Offer the method's steps."""
        self.step_id.choices = to_choices(
            [(None, _l("— choose —"))] + [(s.id, s.name) for s in steps]
        )
