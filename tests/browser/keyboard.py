"""Moving through pages with the keyboard alone, checking that focus can be seen."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

FOCUS_JS = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return null;
  const s = getComputedStyle(e);
  const r = e.getBoundingClientRect();
  const label = e.labels && e.labels.length ? e.labels[0].innerText : "";
  return {
    tag: e.tagName.toLowerCase(),
    id: e.id,
    name: (e.getAttribute("aria-label") || label || e.innerText || e.value || "")
      .trim().replace(/\\s+/g, " ").slice(0, 80),
    outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0,
    shadow: s.boxShadow !== "none",
    size: r.width > 0 && r.height > 0,
    inView: r.bottom > 0 && r.top < innerHeight && r.right > 0 && r.left < innerWidth,
  };
}"""


@dataclass(frozen=True)
class Focus:
    """The focused element and whether a sighted keyboard user can see the focus."""

    tag: str
    id: str
    name: str
    visible: bool

    def __str__(self) -> str:
        return f"<{self.tag}#{self.id}> {self.name!r}"


def focus(page: Page) -> Focus | None:
    """What has the keyboard focus now (after any navigation the key started)."""
    for _ in range(5):
        page.wait_for_load_state()
        try:
            info: dict[str, Any] | None = page.evaluate(FOCUS_JS)
            break
        except PlaywrightError as error:  # a key press started a navigation
            if "context was destroyed" not in str(error):
                raise
    else:
        raise AssertionError(f"{page.url} kept navigating")
    if info is None:
        return None
    shown = (info["outline"] or info["shadow"]) and info["size"] and info["inView"]
    return Focus(info["tag"], info["id"], info["name"], bool(shown))


class KeyboardUser:
    """Tab, Shift+Tab, Enter and Space only; every focus stop must be visible."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.invisible: list[str] = []
        self.stops = 0

    def press(self, key: str) -> Focus | None:
        """Press *key* and note whether the new focus can be seen."""
        self.page.keyboard.press(key)
        now = focus(self.page)
        if key in ("Tab", "Shift+Tab"):
            self.stops += 1
            if now is not None and not now.visible:
                self.invisible.append(f"{self.page.url}: {now}")
        return now

    def tab_to(self, name: str | re.Pattern[str], *, back: bool = False) -> Focus:
        """Tab (or Shift+Tab) until the focused element is called *name*."""
        pattern = name if isinstance(name, re.Pattern) else re.compile(re.escape(name))
        for _ in range(150):
            now = self.press("Shift+Tab" if back else "Tab")
            if now is not None and pattern.search(now.name):
                return now
        raise AssertionError(f"could not reach {name!r} with the keyboard")

    def type(self, text: str) -> None:
        """Type into the focused field."""
        self.page.keyboard.type(text)
