"""Forms of recruitment: applying, selecting, changing and confirming a proposal."""

from __future__ import annotations

from collections.abc import Sequence

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
)

from tracker.forms.common import optional_int, to_choices
from tracker.services import people


class ApplicationForm(FlaskForm):
    """Apply to a group: department, competences, experience, motivation."""

    department_id = SelectField(
        _l("Department"), coerce=optional_int, validators=[Optional()]
    )
    former_department_ids = SelectMultipleField(
        _l("Departments you have worked in before"), coerce=int
    )
    competence_ids = SelectMultipleField(_l("Competences"), coerce=int)
    years_experience = IntegerField(
        _l("Years of experience"),
        validators=[
            Optional(),
            NumberRange(
                min=0, max=70, message=_l("Years of experience must be 0 to 70.")
            ),
        ],
    )
    motivation = TextAreaField(
        _l("Why do you want to take part?"), validators=[Length(max=5000)]
    )

    def set_choices(self, session: Session) -> None:
        """Offer the department and competence vocabularies."""
        departments = [(d.id, d.name) for d in people.list_departments(session)]
        self.department_id.choices = to_choices([("", "–"), *departments])
        self.former_department_ids.choices = to_choices(departments)
        self.competence_ids.choices = to_choices(
            (c.id, c.name) for c in people.list_competences(session)
        )


class SelectionForm(FlaskForm):
    """Leadership's inputs for a proposal."""

    seed = IntegerField(
        _l("Seed of the draw"),
        validators=[
            InputRequired(),
            NumberRange(min=0, max=2**31 - 1, message=_l("Use a seed from 0.")),
        ],
    )
    department_max = IntegerField(
        _l("At most this many per department"),
        validators=[Optional(), NumberRange(min=1, max=500)],
    )
    pinned = SelectMultipleField(_l("Must include"), coerce=int)
    excluded = SelectMultipleField(_l("Exclude"), coerce=int)

    def set_choices(self, labels: Sequence[tuple[int, str]]) -> None:
        """Offer the applicants, by id and label."""
        self.pinned.choices = to_choices(labels)
        self.excluded.choices = to_choices(labels)


class SwapForm(FlaskForm):
    """Replace one selected applicant by another, with a reason."""

    run_id = HiddenField()
    out_id = SelectField(_l("Take out"), coerce=int)
    in_id = SelectField(_l("Put in"), coerce=int)
    reason = TextAreaField(
        _l("Reason (stored in the audit log)"),
        validators=[DataRequired(), Length(max=2000)],
    )


class ConfirmSelectionForm(FlaskForm):
    """Confirm a selection; before the deadline, with why the call closes early."""

    reason = TextAreaField(
        _l("Why the call closes before its deadline (kept in the audit log)"),
        validators=[Length(max=2000)],
    )


class InviteeSearchForm(FlaskForm):
    """Find people to invite by department and competence (a GET form)."""

    class Meta:
        csrf = False  # a search changes nothing

    department = SelectField(
        _l("Department"), coerce=optional_int, validators=[Optional()]
    )
    competence = SelectField(
        _l("Competence"), coerce=optional_int, validators=[Optional()]
    )

    def set_choices(self, session: Session) -> None:
        """Offer the department and competence vocabularies, each optional."""
        self.department.choices = to_choices(
            [("", "–")] + [(d.id, d.name) for d in people.list_departments(session)]
        )
        self.competence.choices = to_choices(
            [("", "–")] + [(c.id, c.name) for c in people.list_competences(session)]
        )


class InviteForm(FlaskForm):
    """Invite a named person to a group."""

    person = StringField(
        _l("Name or e-mail address"), validators=[DataRequired(), Length(max=254)]
    )
    message = TextAreaField(_l("Why we ask you"), validators=[Length(max=2000)])
