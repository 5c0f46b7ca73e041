"""Refuse selection criteria that cannot be met, saying what leadership can change."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from flask_babel import lazy_gettext as _l

from tracker.errors import DomainError
from tracker.services.selection.types import Candidate, Criteria


def check_criteria(candidates: Sequence[Candidate], criteria: Criteria) -> None:
    """Raise DomainError when the seats, pins, excludes or maximum cannot work."""
    ids = {c.id for c in candidates}
    if criteria.seats < 1:
        raise DomainError(_l("A group needs at least one seat."), field="seats")
    if not criteria.pinned <= ids or not criteria.excluded <= ids:
        raise DomainError(_l("Only applicants can be pinned or excluded."))
    if criteria.pinned & criteria.excluded:
        raise DomainError(
            _l("An applicant cannot be both included and excluded."), field="pinned"
        )
    if len(criteria.pinned) > criteria.seats:
        raise DomainError(
            _l(
                "You have pinned %(pinned)d applicants but the group has only "
                "%(seats)d seats.",
                pinned=len(criteria.pinned),
                seats=criteria.seats,
            ),
            field="pinned",
        )
    if list(criteria.bands) != sorted(set(criteria.bands)) or any(
        b <= 0 for b in criteria.bands
    ):
        raise DomainError(_l("Experience bands must be increasing whole years."))
    _check_department_max(candidates, criteria)


def _check_department_max(candidates: Sequence[Candidate], criteria: Criteria) -> None:
    cap = criteria.department_max
    if cap is None:
        return
    if cap < 1:
        raise DomainError(
            _l("The maximum per department must be at least 1."),
            field="department_max",
        )
    pinned = Counter(
        c.department for c in candidates if c.id in criteria.pinned and c.department
    )
    crowded = sorted(name for name, n in pinned.items() if n > cap)
    if crowded:
        raise DomainError(
            _l(
                "More pinned applicants from %(department)s than the maximum per "
                "department allows.",
                department=crowded[0],
            ),
            field="pinned",
        )
