"""The Swedish catalog covers every string, and the compiled catalog is current."""

from __future__ import annotations

from i18n_catalog import MO, compiled, extract, read_catalog, untranslated


def test_swedish_catalog_has_no_untranslated_or_fuzzy_entries() -> None:
    missing = untranslated(read_catalog(), extract())
    assert missing == [], (
        f"run `python tests/i18n_catalog.py --add sv.json`: {missing[:20]}"
    )


def test_compiled_catalog_matches_the_po_file() -> None:
    assert MO.read_bytes() == compiled(read_catalog()), (
        "run `python tests/i18n_catalog.py`"
    )
