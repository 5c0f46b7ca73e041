"""Forms of the communicators' digest workflow."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    HiddenField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp


def _stripped(value: str | None) -> str | None:
    """Whitespace alone is no version (Optional() lets it through as data)."""
    return value.strip() if isinstance(value, str) else value


class DraftForm(FlaskForm):
    """Draft a month's digest (the current month gives a preview so far)."""

    month = StringField(
        _l("Month (YYYY-MM)"),
        validators=[
            DataRequired(),
            Regexp(r"^\d{4}-\d{2}$", message=_l("Write the month as YYYY-MM.")),
        ],
        render_kw={"type": "month"},  # a month picker; YYYY-MM where there is none
    )


class DigestForm(FlaskForm):
    """The communicator's text; 'preview' shows it without saving."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        _l("Text (Markdown)"),
        validators=[Length(max=200_000)],
        render_kw={"rows": 24},
    )
    # the version the text was opened at: saving over a newer one saves nothing
    version = HiddenField(
        filters=[_stripped], validators=[Optional(), Regexp(r"^\d{1,9}$")]
    )
    preview = SubmitField(_l("Preview"))
    save = SubmitField(_l("Save"))


class CorrectionForm(FlaskForm):
    """A correction of a published digest: the new text and what was corrected."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    body = TextAreaField(
        _l("Text (Markdown)"),
        validators=[Length(max=200_000)],
        render_kw={"rows": 24},
    )
    note = StringField(
        _l("What did you correct?"),
        validators=[DataRequired(), Length(max=300)],
    )
    version = HiddenField(
        filters=[_stripped], validators=[Optional(), Regexp(r"^\d{1,9}$")]
    )


class PublishForm(FlaskForm):
    """Publish now; a month still running needs the explicit choice to freeze it."""

    freeze_early = BooleanField(
        _l("Publish anyway: freeze the facts today, before the month has ended")
    )


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
