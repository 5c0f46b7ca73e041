"""The one markdown function renders and sanitises."""

from __future__ import annotations

import pytest

from tracker.markup import render_markdown


def test_markdown_renders() -> None:
    html = str(render_markdown("**fet** och [länk](https://example.se)\n\n- a\n- b"))
    assert "<strong>fet</strong>" in html
    assert 'href="https://example.se"' in html
    assert "<li>a</li>" in html


@pytest.mark.parametrize(
    "attack",
    [
        "<script>alert(1)</script>",
        "[klick](javascript:alert(1))",
        "![bild](javascript:alert(1))",
        '<a href="javascript:alert(1)">x</a>',
        "<img src=x onerror=alert(1)>",
        "<svg onload=alert(1)><circle/></svg>",
        '<iframe src="https://evil.example"></iframe>',
        "[x](JaVaScRiPt:alert(1))",
        '<a href="data:text/html,<script>alert(1)</script>">x</a>',
        "<details open ontoggle=alert(1)>",
    ],
)
def test_dangerous_markup_is_removed(attack: str) -> None:
    html = str(render_markdown(attack)).lower()
    assert "<script" not in html
    assert "javascript:" not in html
    assert "onerror" not in html and "onload" not in html and "ontoggle" not in html
    assert "<iframe" not in html and "<svg" not in html
    assert "data:text/html" not in html
