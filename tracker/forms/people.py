"""Profile, person and vocabulary forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from sqlalchemy.orm import Session
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from tracker.forms.common import optional_int, to_choices
from tracker.labels import choices
from tracker.models.people import Role
from tracker.services import people


class ProfileForm(FlaskForm):
    """A person's profile."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=200)])
    email = EmailField(
        _l("E-mail address"), validators=[Optional(), Email(), Length(max=254)]
    )
    department_id = SelectField(_l("Department"), coerce=optional_int)
    competence_ids = SelectMultipleField(_l("Competences"), coerce=int)
    years_experience = IntegerField(
        _l("Years of experience"), validators=[Optional(), NumberRange(min=0, max=60)]
    )
    trello_username = StringField(_l("Trello username"), validators=[Length(max=100)])
    digest_opt_out = BooleanField(
        _l("Leave my name out of what is published (the monthly digest, the blog)")
    )

    def set_choices(self, session: Session) -> None:
        """Offer the vocabularies."""
        self.department_id.choices = to_choices(
            [(None, _l("— none —"))]
            + [(d.id, d.name) for d in people.list_departments(session)]
        )
        self.competence_ids.choices = to_choices(
            (c.id, c.name) for c in people.list_competences(session)
        )


class ExternalPersonForm(ProfileForm):
    """A citizen or partner without a login, added with consent."""

    consent_on = DateField(_l("Consent given on"), validators=[DataRequired()])
    consent_note = TextAreaField(
        _l("How consent was given"), validators=[Length(max=2000)]
    )
    digest_opt_out = None  # externals: leadership records consent below
    publication_consent = BooleanField(
        _l(
            "They also agreed to be named in what is published (the monthly digest, "
            "the blog)"
        )
    )


class PublicationConsentForm(FlaskForm):
    """Leadership records or withdraws an external participant's consent."""

    consent = BooleanField(_l("Agreed to be named in what is published"))
    given_on = DateField(_l("Agreed on"), validators=[Optional()])


class UserForm(ProfileForm):
    """A login created by an administrator; the person chooses their own password."""

    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)]
    )
    role = SelectField(_l("Role"), choices=choices(Role))
    # shown once people with the same name or e-mail address have been offered
    confirm_new = BooleanField(_l("It is someone else: create a new person"))


class RoleForm(FlaskForm):
    """Change a login's role."""

    role = SelectField(_l("Role"), choices=choices(Role))


class TermForm(FlaskForm):
    """A department or competence name."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
