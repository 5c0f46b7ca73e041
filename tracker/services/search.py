"""Search: plans, assignments, groups, people, milestones, progress reports and digests.

Every word must occur (case-insensitive, anywhere in a word) in one of an object's
fields. Hits are ranked by where the words occur (the title counts most) and come with
a snippet of the text around the first match. One query per kind of object (people
add one for their competences), so the number of queries stays flat as data grows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from tracker.db import contains
from tracker.models.assignments import Assignment, Milestone, ProgressReport
from tracker.models.digests import BlogPost
from tracker.models.groups import WorkingGroup
from tracker.models.people import Competence, Department, Person
from tracker.models.plans import ActionPlan

LIMIT = 50  # per kind
MAX_WORDS = 8
SNIPPET_CHARS = 160
TITLE_WEIGHT = 3  # a word in the title counts three times a word in the text
KIND_ORDER = (
    "person",
    "plan",
    "assignment",
    "milestone",
    "group",
    "report",
    "decision",  # reserved for the governance helper's decisions (see SOURCES)
    "digest",
)


@dataclass(frozen=True)
class Hit:
    """One match: what it is, where it leads, and why it matched."""

    kind: str
    title: str
    endpoint: str
    values: dict[str, Any]
    context: str  # the plan of an assignment, the department of a person …
    snippet: list[tuple[str, bool]]  # text pieces; True: a matched word, to mark
    score: int


@dataclass(frozen=True)
class SearchResults:
    """Hits in rank order, best first."""

    hits: list[Hit] = field(default_factory=list)

    @property
    def count(self) -> int:
        """How many matches in all."""
        return len(self.hits)

    def of_kind(self, kind: str) -> list[Hit]:
        """The hits of one kind, in rank order."""
        return [hit for hit in self.hits if hit.kind == kind]


def split_words(text: str) -> list[str]:
    """The query's words (at most eight), without duplicates."""
    words: list[str] = []
    for word in text.split():
        if word and word.casefold() not in (w.casefold() for w in words):
            words.append(word)
    return words[:MAX_WORDS]


def all_words_in(
    words: Sequence[str], *columns: InstrumentedAttribute[Any] | ColumnElement[Any]
) -> list[ColumnElement[bool]]:
    """SQL conditions: every word occurs in at least one of *columns*."""
    return [
        or_(*(col.ilike(contains(word), escape="\\") for col in columns))
        for word in words
    ]


def score(words: Sequence[str], title: str, text: str) -> int:
    """Higher when more words occur, in the title most, whole words more."""
    total = 0
    lowered_title, lowered_text = title.casefold(), text.casefold()
    for word in words:
        needle = word.casefold()
        if needle in lowered_title:
            total += TITLE_WEIGHT
            if re.search(rf"\b{re.escape(needle)}", lowered_title):
                total += 1
        total += min(lowered_text.count(needle), 3)
    return total


def snippet(words: Sequence[str], text: str) -> list[tuple[str, bool]]:
    """About 160 characters of *text* around its first match, matches flagged."""
    flat = " ".join(re.sub(r"[#*_>`\[\]]", " ", text).split())
    if not flat:
        return []
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    first = pattern.search(flat)
    start = max(0, (first.start() if first else 0) - SNIPPET_CHARS // 3)
    if start:  # begin at a word
        start = flat.find(" ", start) + 1 or start
    end = min(len(flat), start + SNIPPET_CHARS)
    if end < len(flat):
        end = flat.rfind(" ", start, end) if " " in flat[start:end] else end
    part = flat[start:end]
    pieces: list[tuple[str, bool]] = [("… ", False)] if start else []
    position = 0
    for match in pattern.finditer(part):
        if match.start() > position:
            pieces.append((part[position : match.start()], False))
        pieces.append((match.group(), True))
        position = match.end()
    pieces.append((part[position:], False))
    if end < len(flat):
        pieces.append((" …", False))
    return pieces


def _hit(
    words: Sequence[str], kind: str, title: str, text: str, link: tuple[str, Any]
) -> Hit:
    endpoint, values = link
    context, body = text.split("\x00", 1) if "\x00" in text else ("", text)
    return Hit(
        kind=kind,
        title=title,
        endpoint=endpoint,
        values=values,
        context=context,
        snippet=snippet(words, body) or snippet(words, context),
        score=score(words, title, f"{context} {body}"),
    )


def _plans(session: Session, words: Sequence[str]) -> Iterable[Hit]:
    rows = session.scalars(
        select(ActionPlan)
        .where(*all_words_in(words, ActionPlan.title, ActionPlan.goal))
        .limit(LIMIT)
    )
    for p in rows:
        link = ("plans.show", {"slug": p.slug})
        yield _hit(words, "plan", p.title, p.goal, link)


def _assignments(session: Session, words: Sequence[str]) -> Iterable[Hit]:
    rows = session.scalars(
        select(Assignment)
        .where(
            *all_words_in(
                words, Assignment.title, Assignment.description, Assignment.outcome
            )
        )
        .options(selectinload(Assignment.plan))
        .limit(LIMIT)
    )
    for a in rows:
        text = f"{a.plan.title}\x00{a.description} {a.outcome or ''}"
        link = ("assignments.show", {"assignment_id": a.id})
        yield _hit(words, "assignment", a.title, text, link)


def _groups(session: Session, words: Sequence[str]) -> Iterable[Hit]:
    rows = session.scalars(
        select(WorkingGroup)
        .where(*all_words_in(words, WorkingGroup.name, WorkingGroup.purpose))
        .limit(LIMIT)
    )
    for g in rows:
        link = ("groups.show", {"slug": g.slug})
        yield _hit(words, "group", g.name, g.purpose, link)


def _people(session: Session, words: Sequence[str]) -> Iterable[Hit]:
    """Active people by name, department or competence."""
    competence = Person.competences.any(
        or_(*(Competence.name.ilike(contains(w), escape="\\") for w in words))
    )
    conditions = [
        or_(
            Person.name.ilike(contains(w), escape="\\"),
            Department.name.ilike(contains(w), escape="\\"),
            Person.competences.any(Competence.name.ilike(contains(w), escape="\\")),
        )
        for w in words
    ]
    rows = session.scalars(
        select(Person)
        .outerjoin(Department, Person.department_id == Department.id)
        .where(Person.active.is_(True), *conditions)
        .options(selectinload(Person.competences))
        .order_by(competence.desc(), Person.name)
        .limit(LIMIT)
    )
    for p in rows:
        department = p.department.name if p.department else ""
        skills = ", ".join(c.name for c in p.competences)
        link = ("people.show", {"person_id": p.id})
        yield _hit(words, "person", p.name, f"{department}\x00{skills}", link)


def _milestones(session: Session, words: Sequence[str]) -> Iterable[Hit]:
    rows = session.execute(
        select(Milestone.title, Assignment.id, Assignment.title)
        .join(Assignment, Milestone.assignment_id == Assignment.id)
        .where(*all_words_in(words, Milestone.title))
        .limit(LIMIT)
    )
    for title, assignment_id, assignment_title in rows:
        link = (
            "assignments.show",
            {"assignment_id": assignment_id, "_anchor": "milestones"},
        )
        yield _hit(words, "milestone", title, f"{assignment_title}\x00", link)


def _reports(session: Session, words: Sequence[str]) -> Iterable[Hit]:
    rows = session.execute(
        select(ProgressReport.body, ProgressReport.reported_on, Assignment)
        .join(Assignment, ProgressReport.assignment_id == Assignment.id)
        .where(*all_words_in(words, ProgressReport.body))
        .order_by(ProgressReport.reported_on.desc())
        .limit(LIMIT)
    )
    for body, reported_on, a in rows:
        link = ("assignments.show", {"assignment_id": a.id, "_anchor": "timeline"})
        title = f"{a.title} · {reported_on.isoformat()}"
        yield _hit(words, "report", title, f"{a.title}\x00{body}", link)


def _digests(session: Session, words: Sequence[str]) -> Iterable[Hit]:
    """Published monthly digests (the blog); drafts are the communicators' own."""
    rows = session.scalars(
        select(BlogPost)
        .where(*all_words_in(words, BlogPost.title, BlogPost.body))
        .order_by(BlogPost.published_at.desc())
        .limit(LIMIT)
    )
    for post in rows:
        link = ("blog.show", {"slug": post.slug})
        yield _hit(words, "digest", post.title, post.body, link)


# Each kind of object is one function. Decisions (governance) belong here too: add a
# function yielding Hit(kind="decision", …) for the decisions a reader may see.
SOURCES: list[Callable[[Session, Sequence[str]], Iterable[Hit]]] = [
    _people,
    _plans,
    _assignments,
    _milestones,
    _groups,
    _reports,
    _digests,
]


def search(session: Session, text: str) -> SearchResults:
    """Everything that contains every word of *text*, best match first."""
    words = split_words(text)
    if not words:
        return SearchResults()
    hits = [hit for source in SOURCES for hit in source(session, words)]
    hits.sort(key=lambda h: (-h.score, KIND_ORDER.index(h.kind), h.title.casefold()))
    return SearchResults(hits)
