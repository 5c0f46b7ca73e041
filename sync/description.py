"""A card's text: what people wrote, then the tracker's footer, and back again.

The footer is found by its own start, ``[tracker:footer]`` (``[tracker:footer:cut]``
when the text was too long for the card), and its end, the marker
``[tracker:assignment:<id>]``; never by a Markdown rule. A ``---`` in what people
write is their text. With no footer, the whole text is the body.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TRELLO_DESC_MAX = 16_384  # Trello's limit, counted as JavaScript does (UTF-16 units)
START = "[tracker:footer]"
START_CUT = "[tracker:footer:cut]"
START_RE = re.compile(r"\[tracker:footer(:cut)?\]")
MARKER_RE = re.compile(r"\[tracker:assignment:(\d+)\]")
RULE = "---\n"
BEFORE_FOOTER = "\n\n" + RULE
# The footer before 2026-12 (no start tag): a rule, a link to the assignment, more
# lines, an empty line and the marker, at the very end of the text.
LEGACY_RE = re.compile(
    r"---\n[^\n]*/assignments/(\d+)\n(?:[^\n]*\n)*?\n\[tracker:assignment:\1\]\s*\Z"
)


@dataclass(frozen=True)
class ParsedText:
    """A card's text taken apart."""

    body: str
    assignment_id: int | None  # the footer's marker; None without a footer
    cut: bool  # the card shows only the start of the body


def marker(assignment_id: int) -> str:
    """The hidden tag that ends the footer and finds a card again after a crash."""
    return f"[tracker:assignment:{assignment_id}]"


def normalize(text: str) -> str:
    """Line ends as Trello keeps them."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def utf16_len(text: str) -> int:
    """The length Trello counts (a JavaScript string's length)."""
    return len(text.encode("utf-16-le")) // 2


def utf16_prefix(text: str, units: int) -> str:
    """The longest start of *text* of at most *units*, never half a character."""
    return text.encode("utf-16-le")[: max(units, 0) * 2].decode(
        "utf-16-le", errors="ignore"
    )


def compose(body: str, lines: list[str], assignment_id: int, rest_note: str) -> str:
    """Body and footer, within Trello's limit; a long body is cut, the footer says so.

    *rest_note* is the footer line telling where the rest of a cut body is.
    """
    body = normalize(body)
    lines = [_defuse(line) for line in lines]
    full = _join(body, START, lines, assignment_id)
    if utf16_len(full) <= TRELLO_DESC_MAX:
        return full
    footer = _join("x", START_CUT, [*lines, _defuse(rest_note)], assignment_id)
    room = TRELLO_DESC_MAX - (utf16_len(footer) - 1)
    visible = utf16_prefix(body, room)
    return _join(visible, START_CUT, [*lines, _defuse(rest_note)], assignment_id)


def parse(text: str) -> ParsedText:
    """The body people see above the footer, the footer's assignment, and the cut."""
    text = normalize(text or "")
    markers = list(MARKER_RE.finditer(text))
    if not markers:
        return ParsedText(text, None, False)
    end = markers[-1]
    starts = [m for m in START_RE.finditer(text, 0, end.start())]
    if starts:
        start = starts[-1]
        before = _before_rule(text[: start.start()])
        cut = start.group(1) is not None
    else:
        legacy = _legacy_start(text, end)
        if legacy is None:
            return ParsedText(text, None, False)  # a lone marker is people's text
        before, cut = text[:legacy].removesuffix("\n\n"), False
    after = text[end.end() :]
    body = before
    if after.strip():  # text written below the footer is kept, above it
        body = f"{before}\n\n{after.strip(chr(10))}" if before else after.lstrip("\n")
    return ParsedText(body, int(end.group(1)), cut)


def merged_body(card_text: str, base_text: str | None, tracker_body: str) -> str:
    """The tracker's new body after an edit in Trello; a cut card keeps its rest.

    When the card showed only the start of a long body, the part that was never on
    the card is kept after what the card says now.
    """
    card = parse(card_text).body
    base = parse(base_text) if base_text is not None else None
    if base is None or not base.cut:
        return card
    full = normalize(tracker_body)
    if not full.startswith(base.body):
        return card
    return card + full[len(base.body) :]


def _join(body: str, start: str, lines: list[str], assignment_id: int) -> str:
    footer = "\n".join([start, *lines]) + "\n\n" + marker(assignment_id)
    return f"{body}{BEFORE_FOOTER}{footer}" if body else f"{RULE}{footer}"


def _before_rule(text: str) -> str:
    """Text above the footer: the rule the footer brought is not the body's."""
    if text.endswith(BEFORE_FOOTER):
        return text[: -len(BEFORE_FOOTER)]
    if text == RULE:
        return ""
    return text


def _legacy_start(text: str, end: re.Match[str]) -> int | None:
    """Where a footer of the old form starts, if the text ends with one."""
    position = len(text)
    while (position := text.rfind(RULE, 0, position)) >= 0:
        at_block = position == 0 or text[:position].endswith("\n\n")
        match = LEGACY_RE.match(text, position) if at_block else None
        if match and match.group(1) == end.group(1):
            return position
    return None


def _defuse(line: str) -> str:
    """A footer line never holds a start tag or a marker (a group's odd name)."""
    return line.replace("[tracker:", "(tracker:").replace("\n", " ")
