"""The plain sentences of what needs attention, in the reader's language."""

from __future__ import annotations

from flask_babel import gettext, ngettext


def _(message: str, **values: str) -> str:
    return str(gettext(message, **values))


def milestone(title: str, assignment: str, day: str, *, late: bool) -> str:
    """A milestone past or near its date."""
    if late:
        return _(
            "The milestone “%(milestone)s” of “%(assignment)s” was due on %(date)s "
            "and is not reached.",
            milestone=title,
            assignment=assignment,
            date=day,
        )
    return _(
        "The milestone “%(milestone)s” of “%(assignment)s” is due on %(date)s.",
        milestone=title,
        assignment=assignment,
        date=day,
    )


def assignment_end(title: str, day: str, *, late: bool) -> str:
    """An assignment past or near its end date and not done."""
    if late:
        return _(
            "The assignment “%(title)s” was to end on %(date)s and is not done.",
            title=title,
            date=day,
        )
    return _("The assignment “%(title)s” is to end on %(date)s.", title=title, date=day)


def stale(title: str, day: str, *, ever: bool) -> str:
    """An assignment with no recent progress report."""
    if ever:
        return _(
            "No progress report on “%(title)s” since %(date)s.", title=title, date=day
        )
    return _(
        "No progress report on “%(title)s” since it started on %(date)s.",
        title=title,
        date=day,
    )


def time_box(group: str, day: str, *, late: bool) -> str:
    """A working group's time box ending soon or already over."""
    if late:
        return _(
            "The time box of the working group “%(group)s” ended on %(date)s, "
            "but the group is not closed.",
            group=group,
            date=day,
        )
    return _(
        "The time box of the working group “%(group)s” ends on %(date)s.",
        group=group,
        date=day,
    )


def invitation(group: str) -> str:
    """An invitation the reader has not answered."""
    return _(
        "You are invited to join “%(group)s” and have not answered yet.", group=group
    )


def application_open(group: str, day: str) -> str:
    """The reader's application to a call still open."""
    return _(
        "You have applied to “%(group)s”. The last day to apply, and to change "
        "your application, is %(date)s.",
        group=group,
        date=day,
    )


def application_waiting(group: str) -> str:
    """The reader's application after the deadline, before the selection."""
    return _("Your application to “%(group)s” waits for the selection.", group=group)


def digest(title: str) -> str:
    """A monthly digest waiting for a communicator."""
    return _("The monthly digest “%(title)s” waits for review.", title=title)


def selection(group: str, day: str, count: int) -> str:
    """Applications to an open call that wait for leadership's selection."""
    return str(
        ngettext(
            "%(num)d application to “%(group)s” waits for a selection; the last day "
            "to apply was %(date)s.",
            "%(num)d applications to “%(group)s” wait for a selection; the last day "
            "to apply was %(date)s.",
            count,
            group=group,
            date=day,
        )
    )
