"""Action plan forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from tracker.forms.common import optional_int, to_choices
from tracker.models.people import Person, Role


class PlanForm(FlaskForm):
    """Create or edit an action plan."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    goal = TextAreaField(_l("Goal (Markdown)"), validators=[Length(max=20000)])
    owner_id = SelectField(_l("Owner"), coerce=optional_int, validate_choice=True)
    position = IntegerField(
        _l("Position on the overview"),
        validators=[Optional(), NumberRange(min=0, max=10000)],
    )
    documents_link = StringField(
        _l("Documents (shared folder path or web address)"),
        validators=[Length(max=500)],
    )

    def set_choices(self, session: Session) -> None:
        """Offer leaders as owners."""
        leaders = session.scalars(
            select(Person)
            .where(
                Person.role.in_([Role.LEADERSHIP, Role.ADMIN]), Person.active.is_(True)
            )
            .order_by(Person.name)
        )
        self.owner_id.choices = to_choices(
            [(None, _l("— none —"))] + [(p.id, p.name) for p in leaders]
        )
