"""The XSS corpus, and how to tell from inside Chromium that none of it became code."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import Page

# Every payload carries a marker xss-N, so we can see that it reached the page as text.
CORPUS = [
    '<script>alert("xss-1")</script>',
    '<img src=x onerror=alert("xss-2")>',
    '<svg onload=alert("xss-3")>xss-3</svg>',
    '<svg><script>alert("xss-4")</script></svg>',
    '"><script>alert("xss-5")</script>',
    "'><img src=x onerror=alert('xss-6')>",
    "<a href=\"javascript:alert('xss-7')\">xss-7</a>",
    '[xss-8](javascript:alert("xss-8"))',
    '![xss-9](javascript:alert("xss-9"))',
    '[xss-10](jAvAsCrIpT:alert("xss-10"))',
    "<iframe src=\"javascript:alert('xss-11')\"></iframe>xss-11",
    '<details open ontoggle=alert("xss-12")>xss-12</details>',
    "[xss-13](data:text/html;base64,PHNjcmlwdD5hbGVydCgxMyk8L3NjcmlwdD4=)",
    '<math><mtext><table><mglyph><style><img src=x onerror=alert("xss-14")>',
    '<div style="background:url(javascript:alert(15))">xss-15</div>',
    '[xss-16](  javascript:alert("xss-16"))',
    '<a href="&#106;avascript:alert(17)">xss-17</a>',
    "[xss-18](&#106;avascript:alert(18))",
    '<input autofocus onfocus=alert("xss-19")>xss-19',
    '<a href="x" onmouseover="alert(20)">xss-20</a>',
    "[xss-21]: javascript:alert(21)\n\n[ref][xss-21]",
    '<object data="javascript:alert(22)">xss-22</object>',
    "javascript:alert('xss-23')",
    '<base href="//evil.example/">xss-24',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(25)">xss-25',
    "<form action=javascript:alert(26)><button>xss-26</button></form>",
]
MARKERS = {f"xss-{n}" for n in range(1, 27)}

SCAN_JS = r"""() => {
  const bad = [];
  const urlAttrs = ["href", "src", "action", "formaction", "xlink:href", "data",
                    "background", "poster", "srcset", "cite"];
  const forbidden = ["SCRIPT", "IFRAME", "FRAME", "OBJECT", "EMBED", "BASE", "APPLET"];
  for (const el of document.querySelectorAll("*")) {
    const tag = el.tagName.toUpperCase();
    // the app's own scripts: a static file, from the head, with nothing inline
    const own = tag === "SCRIPT" && el.closest("head") && !el.textContent.trim()
      && /^\/static\/[\w-]+\.js$/.test(el.getAttribute("src") || "");
    if (forbidden.includes(tag) && !own) bad.push(`<${tag.toLowerCase()}> element`);
    if (["META", "LINK", "STYLE"].includes(tag) && !el.closest("head"))
      bad.push(`<${tag.toLowerCase()}> in the body`);
    if (tag === "STYLE") bad.push("<style> element");
    // the app's own drawings (icons, charts) are known by where they stand; any
    // other inline SVG or MathML came from input (scripts and on* are caught too)
    const ownSvg = tag === "SVG" && el.matches(
      "svg.menu-icon, svg.icon, svg.burnup, svg.chart, .burnup-figure ul.legend svg");
    if ((tag === "SVG" && !ownSvg) || tag === "MATH") bad.push(`inline <${tag}>`);
    for (const attr of el.attributes) {
      const name = attr.name.toLowerCase();
      const value = attr.value.replace(/[\s\u0000-\u001f]/g, "").toLowerCase();
      if (name.startsWith("on")) bad.push(`${tag} ${name}=${attr.value.slice(0, 40)}`);
      if (name === "srcdoc") bad.push(`${tag} srcdoc`);
      const risky = /^(javascript|vbscript|data:text\/html)/.test(value);
      if (urlAttrs.includes(name) && risky)
        bad.push(`${tag} ${name}=${attr.value.slice(0, 40)}`);
      if (name === "style") bad.push(`${tag} style=${attr.value.slice(0, 40)}`);
    }
  }
  return bad;
}"""

FORMS_JS = r"""() => Array.from(document.forms).map((form, index) => ({
  index,
  action: new URL(form.getAttribute("action") || location.href, location.href).pathname,
  method: (form.getAttribute("method") || "get").toLowerCase(),
  fields: Array.from(form.elements).filter(e => e.name).map(e => ({
    name: e.name,
    kind: e.tagName === "INPUT" ? (e.type || "text") : e.tagName.toLowerCase(),
    maxlength: e.maxLength > 0 ? e.maxLength : null,
  })),
}))"""

FILL_JS = r"""([index, values]) => {
  const form = document.forms[index];
  for (const [name, value] of Object.entries(values)) {
    for (const el of form.elements) if (el.name === name) el.value = value;
  }
  form.noValidate = true;
  const submit = form.querySelector("[type=submit]");
  form.requestSubmit(submit || undefined);
}"""

TEXT_KINDS = {"text", "search", "textarea", "url", "tel"}


def scan(page: Page) -> list[str]:
    """Anything in the DOM that could run script: elements, handlers, URLs."""
    found: list[str] = page.evaluate(SCAN_JS)
    return [f"{page.url}: {item}" for item in found]


def markers(page: Page) -> set[str]:
    """The corpus markers shown on the page as text."""
    return set(re.findall(r"xss-\d+", page.locator("body").inner_text())) & MARKERS


def forms(page: Page) -> list[dict[str, Any]]:
    """The page's forms with their named controls."""
    found: list[dict[str, Any]] = page.evaluate(FORMS_JS)
    return found


def payload(round_number: int, tag: str, limit: int | None) -> str:
    """The corpus, rotated per round, after a tag that keeps names unique."""
    shift = round_number * 5 % len(CORPUS)
    rotated = CORPUS[shift:] + CORPUS[:shift]
    text = f"{tag} " + "\n\n".join(rotated)
    return text[:limit] if limit else text


def fill_and_submit(page: Page, index: int, values: dict[str, str]) -> None:
    """Fill form *index* with *values* and submit it as the user's browser would."""
    with page.expect_navigation():
        page.evaluate(FILL_JS, [index, values])
