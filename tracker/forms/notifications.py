"""Following and e-mail settings forms."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField

from tracker.forms.common import to_choices
from tracker.models.notifications import EmailSchedule

SCHEDULE_LABELS = {
    EmailSchedule.INSTANT: _l("At once"),
    EmailSchedule.DAILY: _l("A summary every day"),
    EmailSchedule.WEEKLY: _l("A summary every week"),
    EmailSchedule.NEVER: _l("Never"),
}


class NotificationSettingsForm(FlaskForm):
    """How often e-mail about what I follow comes."""

    schedule = SelectField(
        _l("E-mail about what I follow"),
        choices=to_choices((s.value, label) for s, label in SCHEDULE_LABELS.items()),
    )
    open_calls = BooleanField(_l("Tell me when a working group opens for applications"))
