"""Keep the Swedish catalog in step with the source.

Run `python tests/i18n_catalog.py [--add translations.json]`: extracts every msgid
from tracker/, sync/ and templates/, updates the sv messages.po (no fuzzy matching),
merges {"English msgid": "svensk text"} from the JSON file, compiles the .mo and
prints what is still untranslated. tests/test_i18n.py fails while anything is.
"""

from __future__ import annotations

import fcntl
import io
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "tracker/translations/sv/LC_MESSAGES/messages.po"
MO = PO.with_suffix(".mo")
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy_gettext": None,
    "_l": None,
    "lazy_ngettext": (1, 2),
}


def extract() -> Catalog:
    """Every translatable string in the Python code and the templates."""
    catalog = Catalog(project="tracker", charset="utf-8")
    for folder, method_map in (
        (ROOT / "tracker", [("**.py", "python")]),
        (ROOT / "sync", [("**.py", "python")]),
        (
            ROOT / "templates",
            [("**.html", "jinja2"), ("**.md", "jinja2"), ("**.txt", "jinja2")],
        ),
    ):
        for filename, lineno, message, comments, context in extract_from_dir(
            folder, method_map, keywords=KEYWORDS, comment_tags=("Translators:",)
        ):
            catalog.add(
                message,
                None,
                [(str(folder.name + "/" + filename), lineno)],
                auto_comments=comments,
                context=context,
            )
    return catalog


def read_catalog() -> Catalog:
    """The Swedish catalog as committed."""
    with PO.open("rb") as file:
        return read_po(file, locale="sv")


def untranslated(catalog: Catalog, template: Catalog) -> list[str]:
    """msgids of *template* missing, empty or fuzzy in *catalog*."""
    missing = []
    for message in template:
        if not message.id:
            continue
        entry = catalog.get(message.id, context=message.context)
        strings = entry.string if entry is not None else None
        values = list(strings) if isinstance(strings, tuple | list) else [strings]
        if entry is None or entry.fuzzy or not all(values):
            missing.append(message.id if isinstance(message.id, str) else message.id[0])
    return missing


def compiled(catalog: Catalog) -> bytes:
    """The .mo bytes for *catalog*."""
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


@contextmanager
def locked() -> Iterator[None]:
    """Serialise updates when several people edit the catalog at once."""
    with open("/tmp/tracker-i18n.lock", "w") as lock:  # noqa: S108 - a dev-machine lock
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def update(additions: dict[str, str]) -> list[str]:
    """Update the .po from the source, merge *additions*, write the .mo."""
    template = extract()
    catalog = read_catalog() if PO.exists() else Catalog(locale="sv", project="tracker")
    catalog.update(template, no_fuzzy_matching=True)
    catalog.obsolete.clear()
    for msgid, text in additions.items():
        for message in catalog:
            key = message.id if isinstance(message.id, str) else message.id[0]
            if key == msgid:
                message.string = tuple(text) if isinstance(message.id, tuple) else text
                message.flags.discard("fuzzy")
    PO.parent.mkdir(parents=True, exist_ok=True)
    with PO.open("wb") as file:
        write_po(file, catalog, width=100, sort_output=True, omit_header=False)
    MO.write_bytes(compiled(catalog))
    return untranslated(catalog, template)


def main(argv: list[str]) -> int:
    """Command-line entry: update the catalog and list what is left."""
    additions: dict[str, str] = {}
    if len(argv) == 2 and argv[0] == "--add":
        additions = json.loads(Path(argv[1]).read_text(encoding="utf-8"))
    with locked():
        left = update(additions)
    for msgid in left:
        print(json.dumps(msgid, ensure_ascii=False))
    print(f"{len(left)} untranslated", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
