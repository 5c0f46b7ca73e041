"""Forms shared by several pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField
from wtforms.fields.choices import SelectChoice


def to_choices(pairs: Iterable[tuple[Any, Any]]) -> list[SelectChoice]:
    """Select options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class EmptyForm(FlaskForm):
    """A button-only POST (close, delete): just the CSRF token."""


class LanguageForm(FlaskForm):
    """Choose the interface language."""

    lang = SelectField(
        _l("Language"), choices=to_choices([("sv", "Svenska"), ("en", "English")])
    )
    next = HiddenField()


def optional_int(value: object) -> int | None:
    """Coerce a select value to int, the empty choice to None."""
    if value in (None, "", "None"):
        return None
    return int(str(value))


def attach_error(form: FlaskForm, error: Exception) -> None:
    """Show a DomainError beside its field, or above the form."""
    field_name = getattr(error, "field", None)
    field = getattr(form, field_name, None) if field_name else None
    if field is not None and hasattr(field, "errors"):
        field.errors = [*field.errors, str(error)]
    else:
        form.form_errors.append(str(error))
