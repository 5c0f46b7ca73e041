"""Search: people, plans, assignments, milestones, groups, reports, decisions, digests.

Short fields (names, titles of plans, groups and milestones) match when every word
occurs in one of them, anywhere in a word (LIKE). The long texts (assignments,
progress reports, decisions, digests) use the database's full-text search: on
PostgreSQL ``to_tsvector('swedish', …)`` against ``websearch_to_tsquery`` or each
word as a stemmed prefix (so "workshopen" finds "workshoppar"), on SQLite the FTS5
tables of models/fulltext.py with each word as a prefix. Hits are ranked by where
the words occur (the title counts most), and within a kind by ts_rank or bm25; each
comes with a snippet around the first match. One query per kind of object, so the
number of queries stays flat as data grows.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Subquery,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
)
from sqlalchemy.orm import InstrumentedAttribute, Session, selectinload

from tracker.db import contains
from tracker.models.assignments import Assignment, Milestone, ProgressReport
from tracker.models.decisions import Decision
from tracker.models.digests import BlogPost
from tracker.models.fulltext import SOURCES as FULL_TEXT
from tracker.models.groups import WorkingGroup
from tracker.models.people import Competence, Department, Person
from tracker.models.plans import ActionPlan

LIMIT = 50  # per kind
MAX_WORDS = 8
MAX_QUERY_CHARS = 200
# a constant, as in the GIN index (a bound parameter would not use it)
SWEDISH: ColumnElement[Any] = literal_column("'swedish'::regconfig")
TOKEN = re.compile(r"[^\W_]+")  # letters and digits: safe inside any FTS syntax
SNIPPET_CHARS = 160
TITLE_WEIGHT = 3  # a word in the title counts three times a word in the text
KIND_ORDER = (
    "person",
    "plan",
    "assignment",
    "milestone",
    "group",
    "report",
    "decision",
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


def stem(word: str) -> str:
    """A rough stem for marking inflected forms: "workshopen" gives "worksho"."""
    return word[:-3] if len(word) > 6 else word


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
        count = lowered_text.count(needle) or lowered_text.count(stem(needle))
        total += min(count, 3)
    return total


def snippet(
    words: Sequence[str], text: str, *, stems: bool = False
) -> list[tuple[str, bool]]:
    """About 160 characters of *text* around its first match, matches flagged.

    With *stems*, words beginning like a query word's stem are marked too (the
    full-text search found them by their stem).
    """
    flat = " ".join(re.sub(r"[#*_>`\[\]]", " ", text).split())
    if not flat:
        return []
    choices = [re.escape(w) for w in words]
    if stems:
        choices += [rf"\b{re.escape(stem(w))}\w*" for w in words]
    pattern = re.compile("|".join(choices), re.IGNORECASE)
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
    words: Sequence[str],
    kind: str,
    title: str,
    text: str,
    link: tuple[str, Any],
    *,
    stems: bool = False,
) -> Hit:
    endpoint, values = link
    context, body = text.split("\x00", 1) if "\x00" in text else ("", text)
    return Hit(
        kind=kind,
        title=title,
        endpoint=endpoint,
        values=values,
        context=context,
        snippet=snippet(words, body, stems=stems) or snippet(words, context),
        score=score(words, title, f"{context} {body}"),
    )


def terms(words: Sequence[str]) -> tuple[list[str], list[str]]:
    """The letters-and-digits words to find, and those to leave out ("-word")."""
    wanted: list[str] = []
    unwanted: list[str] = []
    for word in words:
        bucket = unwanted if word.startswith("-") else wanted
        bucket.extend(TOKEN.findall(word))
    return wanted[:MAX_WORDS], unwanted[:MAX_WORDS]


def _matches(session: Session, kind: str, words: Sequence[str]) -> Subquery | None:
    """(id, rank) of the rows of *kind* whose text matches; None: nothing to find."""
    wanted, unwanted = terms(words)
    if not wanted:
        return None
    source = FULL_TEXT[kind]
    if session.get_bind().dialect.name == "postgresql":
        rows = table(source.table, column("id", Integer))
        doc: ColumnElement[Any] = literal_column(source.document)
        web = func.websearch_to_tsquery(SWEDISH, " ".join(words))
        pre = func.to_tsquery(SWEDISH, " & ".join(f"{w}:*" for w in wanted))
        found = select(
            rows.c.id, func.ts_rank(doc, web.op("||")(pre)).label("rank")
        ).where(or_(doc.op("@@")(web), doc.op("@@")(pre)))
        if unwanted:
            out = func.to_tsquery(SWEDISH, " | ".join(unwanted))
            found = found.where(~doc.op("@@")(out))
    else:
        rows = table(source.fts_table, column("rowid", Integer))
        fts: ColumnElement[Any] = literal_column(source.fts_table)
        leave_out = "".join(f' NOT "{w}"' for w in unwanted)
        match = " ".join(f'"{w}"*' for w in wanted) + leave_out
        found = select(rows.c.rowid.label("id"), (-func.bm25(fts)).label("rank")).where(
            fts.op("MATCH")(match)
        )
    return found.subquery(f"found_{kind}")


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
    found = _matches(session, "assignment", words)
    if found is None:
        return
    rows = session.scalars(
        select(Assignment)
        .join(found, found.c.id == Assignment.id)
        .options(selectinload(Assignment.plan))
        .order_by(found.c.rank.desc(), Assignment.id)
        .limit(LIMIT)
    )
    for a in rows:
        body = f"{a.plan.title}\x00{a.description} {a.outcome or ''}"
        link = ("assignments.show", {"assignment_id": a.id})
        yield _hit(terms(words)[0], "assignment", a.title, body, link, stems=True)


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
    found = _matches(session, "report", words)
    if found is None:
        return
    rows = session.execute(
        select(ProgressReport.body, ProgressReport.reported_on, Assignment)
        .join(found, found.c.id == ProgressReport.id)
        .join(Assignment, ProgressReport.assignment_id == Assignment.id)
        .order_by(found.c.rank.desc(), ProgressReport.reported_on.desc())
        .limit(LIMIT)
    )
    for body, reported_on, a in rows:
        link = ("assignments.show", {"assignment_id": a.id, "_anchor": "timeline"})
        title = f"{a.title} · {reported_on.isoformat()}"
        text = f"{a.title}\x00{body}"
        yield _hit(terms(words)[0], "report", title, text, link, stems=True)


def _decisions(session: Session, words: Sequence[str]) -> Iterable[Hit]:
    """Decisions by title and text (for logged-in readers, as on /beslut/)."""
    found = _matches(session, "decision", words)
    if found is None:
        return
    rows = session.scalars(
        select(Decision)
        .join(found, found.c.id == Decision.id)
        .order_by(found.c.rank.desc(), Decision.decided_on.desc())
        .limit(LIMIT)
    )
    for d in rows:
        context = f"{d.body.name} {d.decided_on.isoformat()}"
        link = ("decisions.show", {"decision_id": d.id})
        text = f"{context}\x00{d.text}"
        yield _hit(terms(words)[0], "decision", d.title, text, link, stems=True)


def _digests(session: Session, words: Sequence[str]) -> Iterable[Hit]:
    """Published monthly digests (the blog); drafts are the communicators' own."""
    found = _matches(session, "digest", words)
    if found is None:
        return
    rows = session.scalars(
        select(BlogPost)
        .join(found, found.c.id == BlogPost.id)
        .order_by(found.c.rank.desc(), BlogPost.published_at.desc())
        .limit(LIMIT)
    )
    for post in rows:
        link = ("blog.show", {"slug": post.slug})
        yield _hit(terms(words)[0], "digest", post.title, post.body, link, stems=True)


# Each kind of object is one function (decisions only for logged-in readers).
SOURCES: list[Callable[[Session, Sequence[str]], Iterable[Hit]]] = [
    _people,
    _plans,
    _assignments,
    _milestones,
    _groups,
    _reports,
    _digests,
]


def search(
    session: Session, query: str, *, with_decisions: bool = False
) -> SearchResults:
    """Everything that contains every word of *query*, best match first.

    Decisions are searched only *with_decisions* (readers who may open /beslut/).
    """
    words = split_words(query.replace("\x00", " ")[:MAX_QUERY_CHARS])
    if not words:
        return SearchResults()
    sources = [*SOURCES, _decisions] if with_decisions else SOURCES
    hits = [hit for source in sources for hit in source(session, words)]
    hits.sort(key=lambda h: (-h.score, KIND_ORDER.index(h.kind), h.title.casefold()))
    return SearchResults(hits)
