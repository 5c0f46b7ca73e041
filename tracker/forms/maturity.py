"""Maturity measurement forms."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import (
    DateField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length

from tracker.forms.common import optional_int, to_choices
from tracker.models.maturity import MaturityDimension, MaturityModel
from tracker.models.people import Department


class RoundForm(FlaskForm):
    """Open a round of measurement."""

    title = StringField(
        _l("Name of the round"),
        validators=[
            DataRequired(message=_l("Write a name for the round.")),
            Length(max=200),
        ],
    )
    opens_on = DateField(
        _l("Opens"),
        validators=[DataRequired(message=_l("Give the day the round opens."))],
    )
    closes_on = DateField(
        _l("Closes"),
        validators=[DataRequired(message=_l("Give the day the round closes."))],
    )
    department_ids = SelectMultipleField(_l("Departments asked"), coerce=int)
    # an unknown model gets the service's message, not WTForms' English one
    model_id = SelectField(
        _l("Measurement model"), coerce=optional_int, validate_choice=False
    )

    def set_choices(self, session: Session, models: list[MaturityModel]) -> None:
        """Offer the departments and the models."""
        departments = session.scalars(select(Department).order_by(Department.name))
        self.department_ids.choices = to_choices((d.id, d.name) for d in departments)
        self.model_id.choices = to_choices((m.id, m.name) for m in models)


class DimensionForm(FlaskForm):
    """Add a dimension, with a description of each level, to a model."""

    name = StringField(
        _l("Dimension"),
        validators=[
            DataRequired(message=_l("Write the dimension's name.")),
            Length(max=120),
        ],
    )
    level1 = TextAreaField(_l("Level 1"), validators=[Length(max=1000)])
    level2 = TextAreaField(_l("Level 2"), validators=[Length(max=1000)])
    level3 = TextAreaField(_l("Level 3"), validators=[Length(max=1000)])
    level4 = TextAreaField(_l("Level 4"), validators=[Length(max=1000)])
    level5 = TextAreaField(_l("Level 5"), validators=[Length(max=1000)])


class DimensionsForm(FlaskForm):
    """Which maturity dimensions a plan means to raise."""

    dimension_ids = SelectMultipleField(
        _l("Dimensions the plan means to raise"), coerce=int
    )

    def set_choices(self, dimensions: list[MaturityDimension]) -> None:
        """Offer every dimension."""
        self.dimension_ids.choices = to_choices((d.id, d.name) for d in dimensions)


def answer_form(model: MaturityModel, data: Any = None) -> FlaskForm:
    """A form with one 1–5 choice per dimension of *model*, named d<id>."""

    class AnswerForm(FlaskForm):
        pass

    for dimension in model.dimensions:
        levels = [
            (str(n), f"{n}. {text}") for n, text in enumerate(dimension.levels, 1)
        ]
        setattr(
            AnswerForm,
            f"d{dimension.id}",
            RadioField(
                dimension.name,
                choices=to_choices(levels),
                # a level outside 1–5 gets the service's message, not WTForms' own
                validate_choice=False,
                validators=[
                    InputRequired(message=_l("Choose a level for every dimension."))
                ],
            ),
        )
    return AnswerForm(formdata=data) if data is not None else AnswerForm()
