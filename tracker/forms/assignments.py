"""Assignment, milestone and progress report forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import select
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    DateField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.forms.common import optional_int, to_choices
from tracker.models.people import Person
from tracker.services.programme import stages


def people_choices(session: Session) -> list[SelectChoice]:
    """Everyone active, for 'responsible' and 'member' selects."""
    people = session.execute(
        select(Person.id, Person.name)
        .where(Person.active.is_(True))
        .order_by(Person.name)
    )
    return to_choices([(None, _l("— none —")), *people])


class AssignmentForm(FlaskForm):
    """Create or edit an assignment."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description (Markdown)"), validators=[Length(max=20000)]
    )
    responsible_id = SelectField(_l("Responsible"), coerce=optional_int)
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    documents_link = StringField(
        _l("Documents (shared folder path or web address)"),
        validators=[Length(max=500)],
    )

    def set_choices(self, session: Session) -> None:
        """Offer everyone as responsible."""
        self.responsible_id.choices = people_choices(session)


class MoveForm(FlaskForm):
    """Move an assignment to another stage."""

    stage_id = SelectField(_l("Stage"), coerce=int)

    def set_choices(self, session: Session) -> None:
        """Offer the workflow's stages."""
        self.stage_id.choices = to_choices(
            (s.id, s.name) for s in stages.list_stages(session)
        )


class StageAccessForm(FlaskForm):
    """The stages an assignment's own people may move it to."""

    open_ids = SelectMultipleField(
        _l("The responsible person and group members may move their assignment to"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validate_choice=True,
    )


class CloseAssignmentForm(FlaskForm):
    """End an assignment with its outcome."""

    outcome = TextAreaField(
        _l("Outcome (Markdown)"), validators=[DataRequired(), Length(max=20000)]
    )


class MilestoneForm(FlaskForm):
    """Add or edit a milestone."""

    title = StringField(_l("Milestone"), validators=[DataRequired(), Length(max=200)])
    due_on = DateField(_l("Due date"), validators=[Optional()])


class MilestoneDoneForm(FlaskForm):
    """Tick or untick a milestone."""

    done = BooleanField(_l("Done"))


class ReportForm(FlaskForm):
    """A progress report."""

    reported_on = DateField(_l("Date"), validators=[DataRequired()])
    body = TextAreaField(
        _l("What has happened? (Markdown)"),
        validators=[DataRequired(), Length(max=20000)],
    )
