"""Forms of the communicators' digest workflow."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Regexp


class DraftForm(FlaskForm):
    """Draft a month's digest (the current month gives a preview so far)."""

    month = StringField(
        _l("Month (YYYY-MM)"),
        validators=[
            DataRequired(),
            Regexp(r"^\d{4}-\d{2}$", message=_l("Write the month as YYYY-MM.")),
        ],
    )


class DigestForm(FlaskForm):
    """The communicator's text; 'preview' shows it without saving."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        _l("Text (Markdown)"),
        validators=[Length(max=200_000)],
        render_kw={"rows": 24},
    )
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))


class ScheduleForm(FlaskForm):
    """When the digest should be published."""

    publish_at = DateTimeLocalField(
        _l("Publish at (Swedish time)"),
        format="%Y-%m-%dT%H:%M",
        validators=[DataRequired()],
    )


class TemplateForm(FlaskForm):
    """The admins' digest template."""

    body = TextAreaField(
        _l("Template (Jinja producing Markdown)"),
        validators=[DataRequired(), Length(max=100_000)],
        render_kw={"rows": 30},
    )
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))
