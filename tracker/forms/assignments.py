"""Assignment, milestone and progress report forms."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy import or_, select
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    Form,
    FormField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from tracker.forms.common import optional_int, to_choices
from tracker.models.people import Department, Person
from tracker.services.programme import stages

NOT_RESPONSIBLE = _l(
    "Choose an active member of staff as responsible. Citizens, partners and "
    "people who have left cannot be responsible for an assignment."
)
MILESTONE_ROWS = 3  # empty rows without JavaScript; the button adds more
MILESTONE_ROWS_MAX = 20
NO_DEPARTMENT = _l("No department")


def people_choices(session: Session, keep: int | None = None) -> list[SelectChoice]:
    """Active staff (no citizens or partners) by department, for 'responsible'.

    *keep* is the current responsible person, offered even if no longer eligible so
    an old assignment can be saved unchanged.
    """
    department = Department.name.label("department")
    eligible = Person.active.is_(True) & Person.external.is_(False)
    rows = session.execute(
        select(Person.id, Person.name, department)
        .outerjoin(Department, Person.department_id == Department.id)
        .where(or_(eligible, Person.id == keep) if keep else eligible)
        .order_by(Department.name.is_(None), Department.name, Person.name)
    )
    return [
        SelectChoice("", _l("— none —")),
        *(
            SelectChoice(pid, name, optgroup=group or NO_DEPARTMENT)
            for pid, name, group in rows
        ),
    ]


class MilestoneRow(Form):
    """One milestone row of the assignment form; a blank row is ignored."""

    title = StringField(_l("Milestone"), validators=[Length(max=200)])
    due_on = DateField(_l("Due date"), validators=[Optional()])

    def validate_title(self, field: StringField) -> None:
        """A due date needs a title; an empty row is fine."""
        if self.due_on.data and not (field.data or "").strip():
            raise ValidationError(
                _l("Write what the milestone is, or clear its due date.")
            )


class AssignmentForm(FlaskForm):
    """Create or edit an assignment."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(
        _l("Description (Markdown)"), validators=[Length(max=20000)]
    )
    responsible_id = SelectField(
        _l("Responsible"),
        coerce=optional_int,
        invalid_choice_message=NOT_RESPONSIBLE,
        # combobox.js turns the select into a type-ahead; these are its messages
        render_kw={
            "data-combobox": "",
            "data-msg-none": _l("No matches"),
            "data-msg-one": _l("1 match"),
            "data-msg-many": _l("%(count)s matches", count="{n}"),
        },
    )
    starts_on = DateField(_l("Start date"), validators=[Optional()])
    ends_on = DateField(_l("End date"), validators=[Optional()])
    documents_link = StringField(
        _l("Documents (shared folder path or web address)"),
        validators=[Length(max=500)],
    )

    # not "milestones": the edit form's obj (the assignment) has those already
    new_milestones = FieldList(
        FormField(MilestoneRow),
        min_entries=MILESTONE_ROWS,
        max_entries=MILESTONE_ROWS_MAX,
    )

    def set_choices(self, session: Session, keep: int | None = None) -> None:
        """Offer active staff as responsible (and *keep*, the current one)."""
        self.responsible_id.choices = people_choices(session, keep)

    def milestone_rows(self) -> Iterator[tuple[str, date | None]]:
        """(title, due date) of the filled-in milestone rows, blank rows left out."""
        for row in self.new_milestones:
            title = (row.form.title.data or "").strip()
            if title:
                yield title, row.form.due_on.data


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
