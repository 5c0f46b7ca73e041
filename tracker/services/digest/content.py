"""What every target receives: the digest without the editor's scaffolding, as HTML
with absolute links, as plain text and as an excerpt. One markdown, one path.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

from tracker.markup import render_markdown

# Everything in an HTML comment is the editor's: the facts markers, the prompt,
# notes to colleagues. Markdown would pass comments through; no target shows them.
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# The prompt of drafts made before it became a comment.
_OLD_PROMPT = re.compile(
    r"^\*Skriv gärna några egna rader om [^\n*]{1,60} här – de behålls när fakta "
    r"uppdateras\.\*[ \t]*$",
    re.MULTILINE,
)


def publishable(markdown: str) -> str:
    """The markdown as published: comments and the prompt gone, no blank runs."""
    text = _OLD_PROMPT.sub("", _COMMENT.sub("", markdown.replace("\r\n", "\n")))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def to_html(markdown: str, base: str) -> str:
    """Sanitised HTML of the publishable text, every link and image absolute."""
    return str(render_markdown(publishable(markdown), base=base))


def to_text(html: str) -> str:
    """Readable plain text of digest HTML: no markup, links as 'text (address)'."""
    parser = _TextWriter()
    parser.feed(html)
    parser.close()
    text = re.sub(r"[ \t]+\n", "\n", "".join(parser.out))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def excerpt(summary: list[str], html: str, *, limit: int = 300) -> str:
    """The summary's sentences, else the start of the text, for feeds and lists."""
    text = " ".join(summary) if summary else " ".join(to_text(html).split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


class _TextWriter(HTMLParser):
    """Headings underlined, list items dashed, links followed by their address."""

    BLOCKS = frozenset({"p", "ul", "ol", "table", "blockquote", "pre", "dl"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.links: list[tuple[str, int]] = []
        self.heading: tuple[str, int] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in {"h1", "h2", "h3", "h4", "h5", "h6"}:
            self.out.append("\n\n")
            self.heading = (tag, len(self.out))
        elif tag in self.BLOCKS:
            self.out.append("\n\n")
        elif tag == "li":
            self.out.append("\n- ")
        elif tag in {"br", "tr"}:
            self.out.append("\n")
        elif tag == "td" or tag == "th":
            self.out.append(" ")
        elif tag == "a":
            self.links.append((values.get("href") or "", len(self.out)))
        elif tag == "img":
            self.out.append(values.get("alt") or "")

    def handle_endtag(self, tag: str) -> None:
        if self.heading and tag == self.heading[0]:
            title = "".join(self.out[self.heading[1] :]).strip()
            line = "=" if tag in {"h1", "h2"} else "-"
            self.out.append("\n" + line * max(len(title), 3) + "\n\n")
            self.heading = None
        elif tag == "a" and self.links:
            href, start = self.links.pop()
            label = "".join(self.out[start:]).strip()
            if href and href != label and not href.startswith("#"):
                self.out.append(f" ({href})")
        elif tag in self.BLOCKS:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.out.append(re.sub(r"\s+", " ", data))
