"""The digest's Jinja template (sandboxed), its markers and the facts section."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import quote

from flask_babel import lazy_gettext as _l
from jinja2 import StrictUndefined, Template, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.digests import DigestTemplate
from tracker.models.people import Person
from tracker.services import activity

FACTS_START = "<!-- fakta:start -->"
FACTS_END = "<!-- fakta:slut -->"
_MD_INLINE = re.compile(r"([\\`*_\[\]|])")
_MD_LINE_START = re.compile(r"^(\s*)([#+\->]|\d+\.)")


def default_template() -> str:
    """The template shipped inside the package."""
    return (
        resources.files("tracker")
        .joinpath("digest_template.md.j2")
        .read_text(encoding="utf-8")
    )


def current_template(session: Session) -> str:
    """The admins' template, or the packaged one when they have not changed it."""
    row = session.scalars(select(DigestTemplate).limit(1)).first()
    return row.body if row is not None else default_template()


def save_template(session: Session, actor: Person | None, text: str) -> None:
    """Store the admins' template after checking it renders."""
    text = text.replace("\r\n", "\n")
    validate(text)
    row = session.scalars(select(DigestTemplate).limit(1)).first()
    if row is None:
        row = DigestTemplate(body=text)
        session.add(row)
    row.body = text
    row.updated_by_id = actor.id if actor is not None else None
    session.flush()
    activity.record(session, actor, "updated", row, label="Mall för månadsbrevet")


def reset_template(session: Session, actor: Person | None) -> None:
    """Go back to the packaged template."""
    for row in session.scalars(select(DigestTemplate)):
        activity.record(session, actor, "deleted", row, label="Mall för månadsbrevet")
        session.delete(row)
    session.flush()


def validate(text: str) -> None:
    """Raise DomainError unless *text* compiles, renders and keeps both markers."""
    if facts_section(render(text, sample_facts())) is None:
        raise DomainError(
            _l(
                "The template must contain %(start)s and, after it, %(end)s.",
                start=FACTS_START,
                end=FACTS_END,
            ),
            field="body",
        )


def render(text: str, facts: dict[str, Any]) -> str:
    """Markdown from the template; template errors become a DomainError."""
    try:
        rendered = _compiled(text).render(facts=facts)
    except (TemplateError, ArithmeticError, TypeError, ValueError) as error:
        # e.g. {{ 1/0 }} or {{ facts + 1 }}: the admin's mistake, not a crash
        raise DomainError(
            _l("The template has an error: %(error)s", error=str(error)), field="body"
        ) from error
    return rendered.strip() + "\n"


def facts_section(markdown: str) -> str | None:
    """The part between the markers (markers included), normalised."""
    start, end = markdown.find(FACTS_START), markdown.find(FACTS_END)
    if start < 0 or end < start:
        return None
    inner = markdown[start + len(FACTS_START) : end].strip()
    return f"{FACTS_START}\n\n{inner}\n\n{FACTS_END}"


def splice(body: str, section: str) -> tuple[str, bool]:
    """Put *section* in place of the body's facts; append it if the markers are gone.

    Returns the new body and whether the markers were found. Text outside the
    markers is the communicator's and is kept exactly.
    """
    start, end = body.find(FACTS_START), body.find(FACTS_END)
    if start < 0 or end < start:
        return f"{body.rstrip()}\n\n{section}\n", False
    head = body[:start].rstrip()
    tail = body[end + len(FACTS_END) :].lstrip("\n")
    joined = f"{head}\n\n{section}\n" if head else f"{section}\n"
    return (f"{joined}\n{tail}" if tail else joined), True


def md_escape(value: Any) -> str:
    """Text that markdown shows as typed: no links, emphasis or HTML from names."""
    text = " ".join(str(value).split())
    text = _MD_INLINE.sub(r"\\\1", text)
    text = text.replace("<", "&lt;").replace(">", "&gt;")
    return _MD_LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", text)


def url_escape(value: Any) -> str:
    """An address safe inside markdown's (...): no spaces, brackets or quotes."""
    return quote(str(value), safe=":/?#@!$&*+,;=%~")


@lru_cache(maxsize=8)
def _compiled(text: str) -> Template:
    """Compiling costs more than rendering; the template rarely changes."""
    return _environment().from_string(text)


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox, also refusing '*' and '**' that would build huge values."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Multiply and raise only within sane limits."""
        if operator == "**":
            if abs(right) > 64 or abs(left) > 10**6:
                raise ValueError("the power is too large")
            return left**right
        for size, times in ((left, right), (right, left)):
            sized = isinstance(size, str | list | tuple) and isinstance(times, int)
            if sized and len(size) * times > 100_000:
                raise ValueError("the repetition is too long")
        return left * right


def _environment() -> SandboxedEnvironment:
    # Admins edit the template in the browser: the sandbox keeps them (and anyone
    # who takes over an admin login) away from Python internals.
    env = _Sandbox(
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=StrictUndefined,
        autoescape=False,
    )
    env.filters["md"] = md_escape
    env.filters["url"] = url_escape
    return env


def sample_facts() -> dict[str, Any]:
    """Facts with one row everywhere, to try a template before saving it."""
    link = "https://tracker.example/x"
    row = {
        "title": "Exempel",
        "name": "Exempel",
        "plan": "Plan",
        "assignment": "Uppdrag",
        "url": link,
        "date_label": "1 april 2026",
    }
    listed = {"rows": [row], "count": 1, "more": 0}
    folded = {"rows": [row], "count": 1, "folded": False, "text": "1", "url": link}
    plan = {
        "id": 1,
        "title": "Plan",
        "url": link,
        "done": 1,
        "total": 2,
        "percent": 50,
        "done_before": 0,
        "change": 1,
        "change_text": "1 fler klara uppdrag än i februari",
        "bar_url": link,
        "bar_alt": "1 av 2 uppdrag klara",
        "trello_url": link,
        **{k: folded for k in ("new", "started", "finished", "ended", "milestones")},
    }
    return {
        "period": "2026-03",
        "month_label": "mars 2026",
        "next_month_label": "april 2026",
        "partial": False,
        "as_of_label": "31 mars 2026",
        "empty": False,
        "plans": [plan],
        "assignments": {k: listed for k in ("new", "started", "finished", "ended")},
        "groups_started": listed,
        "groups_closed": listed,
        "milestones": listed,
        "apply_url": link,
        "open_calls": [
            {
                "name": "G",
                "url": link,
                "deadline": "",
                "deadline_label": "1 maj 2026",
                "open_now": True,
            }
        ],
        "summary": ["Under mars 2026: 1 uppdrag startade.", "Inget blev klart."],
        "members": {
            "count": 2,
            "groups": [{"group": "G", "count": 2, "names": ["A"], "unnamed": 1}],
        },
        "coming": {k: listed for k in ("milestones", "ending", "groups_starting")},
    }
