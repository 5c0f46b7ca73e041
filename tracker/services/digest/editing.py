"""Saving a communicator's text without ever overwriting someone else's.

Every form carries the version it was opened at. Saving, refreshing or correcting
over a newer version saves nothing and raises EditConflict, which carries both
texts and their differences so the communicator can merge by hand.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Literal

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from tracker.errors import DomainError
from tracker.models.digests import Digest, DigestState, DigestVersion
from tracker.models.people import Person
from tracker.services import activity
from tracker.services.digest import drafts

CONTEXT_LINES = 2


@dataclass(frozen=True)
class DiffLine:
    """One line of the comparison: kept, only in theirs, or only in yours."""

    kind: Literal["same", "theirs", "yours", "gap"]
    text: str


class EditConflict(DomainError):
    """Someone saved a newer version since the form was opened."""

    def __init__(self, current: DigestVersion, title: str, body: str) -> None:
        super().__init__(
            _l(
                "Someone else saved the digest (version %(number)s) after you "
                "opened it. Your text was not saved: compare the two below, merge "
                "them into your text and save again.",
                number=current.number,
            )
        )
        self.current = current
        self.title, self.body = title, body

    @property
    def differences(self) -> list[DiffLine]:
        """Their saved text against yours, line by line."""
        return diff_lines(
            f"{self.current.title}\n\n{self.current.body}",
            f"{self.title}\n\n{self.body}",
        )


def save_text(
    session: Session,
    actor: Person | None,
    digest: Digest,
    *,
    title: str,
    body: str,
    base_version: int,
) -> bool:
    """Store the text opened at *base_version*; False when nothing changed."""
    drafts.check_open(digest)
    title, body = _clean(title, body)
    if (title, body) == (digest.title, digest.body):
        return False  # the same as saved: nothing to save, nothing to lose
    _new_version(session, actor, digest, base_version, title, body, "edited")
    if digest.state is DigestState.DRAFT:
        digest.state = DigestState.EDITED
    activity.record(session, actor, "updated", digest, label=digest.title)
    return True


def correct(
    session: Session,
    actor: Person | None,
    digest: Digest,
    *,
    title: str,
    body: str,
    note: str,
    base_version: int,
) -> None:
    """Correct a published digest; every post is then updated in place."""
    if digest.state is not DigestState.PUBLISHED:
        raise DomainError(_l("Only a published digest is corrected."))
    note = " ".join(note.split())
    if not note:
        raise DomainError(_l("Say briefly what you corrected."), field="note")
    title, body = _clean(title, body)
    if (title, body) == (digest.title, digest.body):
        raise DomainError(_l("The text is unchanged: there is nothing to correct."))
    version = _new_version(
        session, actor, digest, base_version, title, body, "corrected"
    )
    version.note = note[:300]
    activity.record(
        session, actor, "corrected", digest, label=digest.title, after={"note": note}
    )


def check_base(session: Session, digest: Digest, base_version: int) -> None:
    """Raise EditConflict if the digest changed since *base_version*."""
    _check_base(session, digest, base_version, digest.title, digest.body)


def diff_lines(theirs: str, yours: str) -> list[DiffLine]:
    """The changed lines with a little context; long unchanged runs as gaps."""
    a, b = theirs.splitlines(), yours.splitlines()
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    lines: list[DiffLine] = []
    for group in matcher.get_grouped_opcodes(CONTEXT_LINES):
        if lines:
            lines.append(DiffLine("gap", "…"))
        for tag, a1, a2, b1, b2 in group:
            if tag == "equal":
                lines += [DiffLine("same", text) for text in a[a1:a2]]
                continue
            lines += [DiffLine("theirs", text) for text in a[a1:a2]]
            lines += [DiffLine("yours", text) for text in b[b1:b2]]
    return lines


def _clean(title: str, body: str) -> tuple[str, str]:
    title = title.strip()
    if not title:
        raise DomainError(_l("Give the digest a title."), field="title")
    return title, body.replace("\r\n", "\n")


def _check_base(
    session: Session, digest: Digest, base_version: int, title: str, body: str
) -> None:
    newest = drafts.newest_version(session, digest)
    if newest is not None and newest.number != base_version:
        raise EditConflict(newest, title, body)


def _new_version(
    session: Session,
    actor: Person | None,
    digest: Digest,
    base_version: int,
    title: str,
    body: str,
    reason: str,
) -> DigestVersion:
    """Version base+1 with the new text; the unique number settles a race."""
    _check_base(session, digest, base_version, title, body)
    version = DigestVersion(
        digest_id=digest.id,
        number=base_version + 1,
        reason=reason,
        title=title,
        body=body,
        author_id=actor.id if actor is not None else None,
    )
    try:
        with session.begin_nested():
            session.add(version)
            session.flush()
    except IntegrityError:
        # another save took the same number between our check and our insert
        newest = drafts.newest_version(session, digest)
        if newest is None:  # pragma: no cover - the constraint said it exists
            raise
        raise EditConflict(newest, title, body) from None
    digest.title, digest.body = title, body
    session.flush()
    return version
