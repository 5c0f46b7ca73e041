"""Login and password forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from tracker.forms.common import to_choices


class LoginForm(FlaskForm):
    """E-mail and password."""

    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Length(max=254)]
    )
    password = PasswordField(
        _l("Password"), validators=[DataRequired(), Length(max=200)]
    )


class ChangePasswordForm(FlaskForm):
    """The current password and a new one twice."""

    current = PasswordField(_l("Current password"), validators=[DataRequired()])
    new = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=200)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo("new", message=_l("The passwords do not match.")),
        ],
    )


class ForgotPasswordForm(FlaskForm):
    """The e-mail address to send a set-password link to."""

    email = EmailField(
        _l("E-mail address"), validators=[DataRequired(), Email(), Length(max=254)]
    )


class SetPasswordForm(FlaskForm):
    """A new password twice, from a set-password link."""

    password = PasswordField(
        _l("New password"), validators=[DataRequired(), Length(min=8, max=200)]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The passwords do not match.")),
        ],
    )


class ApiTokenForm(FlaskForm):
    """A new personal API token: a name, what it may do, when it stops working."""

    name = StringField(
        _l("Name (what the token is for)"), validators=[DataRequired(), Length(max=100)]
    )
    scope = SelectField(
        _l("May"),
        choices=to_choices(
            [("read", _l("Read only")), ("read_write", _l("Read and write"))]
        ),
    )
    expires_on = DateField(_l("Stops working after"), validators=[DataRequired()])
