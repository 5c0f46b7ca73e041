"""Check-in (avstämning) forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.validators import DataRequired, Length

from tracker.forms.common import to_choices


class CheckInForm(FlaskForm):
    """Book or change a check-in."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(message=_l("Write a title.")), Length(max=200)],
    )
    day = DateField(_l("Date"), validators=[DataRequired(message=_l("Choose a date."))])
    starts = TimeField(
        _l("Starts at"), validators=[DataRequired(message=_l("Choose a start time."))]
    )
    ends = TimeField(
        _l("Ends at"), validators=[DataRequired(message=_l("Choose an end time."))]
    )
    location = StringField(_l("Place or meeting link"), validators=[Length(max=500)])
    agenda = TextAreaField(_l("Agenda"), validators=[Length(max=5000)])


class NotesForm(FlaskForm):
    """Keep the check-in's notes as a progress report."""

    assignment_id = SelectField(_l("Report on the assignment"), coerce=int)
    notes = TextAreaField(
        _l("Notes (Markdown)"),
        validators=[
            DataRequired(message=_l("Write what was said.")),
            Length(max=20000),
        ],
    )

    def set_choices(self, assignments: list[tuple[int, str]]) -> None:
        """Offer the check-in's assignments."""
        self.assignment_id.choices = to_choices(assignments)
        if len(assignments) == 1 and self.assignment_id.data is None:
            self.assignment_id.data = assignments[0][0]
