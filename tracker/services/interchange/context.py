"""What an import may refer to: the keys in the database and in the files."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.assignments import Assignment, Milestone, Stage
from tracker.models.groups import Membership, WorkingGroup
from tracker.models.people import Person
from tracker.models.plans import ActionPlan

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass
class Known:
    """Keys an import may use: existing rows, and the plans and groups in its files."""

    plans: dict[str, ActionPlan]
    groups: dict[str, WorkingGroup]
    stages: dict[str, Stage]
    people: dict[str, Person]  # by lower-case e-mail and by "#id"
    assignments: dict[int, Assignment]
    milestones: dict[int, Milestone]
    memberships: dict[int, Membership]
    new_plans: set[str] = field(default_factory=set)
    new_groups: set[str] = field(default_factory=set)

    @classmethod
    def load(cls, session: Session) -> Known:
        """Every key in the database."""
        people: dict[str, Person] = {}
        for person in session.scalars(select(Person)):
            people[f"#{person.id}"] = person
            if person.email:
                people[person.email.lower()] = person
        return cls(
            plans={p.slug: p for p in session.scalars(select(ActionPlan))},
            groups={g.slug: g for g in session.scalars(select(WorkingGroup))},
            stages={s.name: s for s in session.scalars(select(Stage))},
            people=people,
            assignments=_by_id(session, Assignment),
            milestones=_by_id(session, Milestone),
            memberships=_by_id(session, Membership),
        )

    def person(self, text: str) -> Person | None:
        """A person by e-mail address (or #id); empty is nobody."""
        key = text.strip().lower()
        if not key:
            return None
        if key not in self.people:
            raise DomainError(
                _l("Nobody has the e-mail address %(value)s.", value=text)
            )
        return self.people[key]

    def plan_slug(self, text: str) -> str:
        """A plan that exists or is in plans.csv."""
        slug = text.strip()
        if slug not in self.plans and slug not in self.new_plans:
            raise DomainError(_l("There is no action plan %(value)s.", value=text))
        return slug

    def group_slug(self, text: str) -> str:
        """A group that exists or is in groups.csv."""
        slug = text.strip()
        if slug not in self.groups and slug not in self.new_groups:
            raise DomainError(_l("There is no working group %(value)s.", value=text))
        return slug

    def stage(self, text: str) -> Stage:
        """A workflow stage by name."""
        if text.strip() not in self.stages:
            raise DomainError(
                _l(
                    "There is no stage %(value)s; the stages are: %(names)s.",
                    value=text,
                    names=", ".join(self.stages),
                )
            )
        return self.stages[text.strip()]


def slug(text: str) -> str:
    """A key such as invanaren-i-centrum."""
    text = text.strip()
    if not SLUG.match(text) or len(text) > 80:
        raise DomainError(
            _l("%(value)s is not a key: use a-z, 0-9 and hyphens.", value=text)
        )
    return text


def existing_id(rows: dict[int, Any]) -> Callable[[str], int | None]:
    """A parser for an id column: empty is a new row, else an id that exists."""

    def parse(text: str) -> int | None:
        text = text.strip()
        if not text:
            return None
        if not text.isdigit() or int(text) not in rows:
            raise DomainError(
                _l(
                    "There is no row with id %(value)s; leave it empty for a new one.",
                    value=text,
                )
            )
        return int(text)

    return parse


def enum_value(enum_type: Any) -> Callable[[str], Any]:
    """A parser for one of an enum's values."""

    def parse(text: str) -> Any:
        try:
            return enum_type(text.strip())
        except ValueError:
            names = ", ".join(member.value for member in enum_type)
            raise DomainError(
                _l("%(value)s is not one of %(names)s.", value=text, names=names)
            ) from None

    return parse


def _by_id(session: Session, model: Any) -> dict[int, Any]:
    return {row.id: row for row in session.scalars(select(model))}
