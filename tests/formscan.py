"""Find every form on the rendered pages, the way a browser (or an attacker) sees them.

The CSRF sweep and the form fuzzer take their forms from here, so a form added by
any area is covered as soon as one of its pages renders it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

from flask import Flask
from werkzeug.exceptions import HTTPException

TEXT_TYPES = {"text", "search", "email", "url", "tel", "password", ""}
PLAUSIBLE = {
    "email": lambda text: f"prov{abs(hash(text)) % 10**8}@prov.se",
    "password": lambda text: "ett-långt-lösenord-1",
    "date": lambda text: "2026-03-02",
    "month": lambda text: "2026-11",
    "datetime-local": lambda text: "2030-03-02T10:00",
    "number": lambda text: "3",
    "url": lambda text: "https://example.se/dok",
}


@dataclass
class FormField:
    """One named control of a form."""

    name: str
    kind: str  # input type, "textarea", "select" or "checkbox"
    value: str = ""
    options: list[str] = field(default_factory=list)
    multiple: bool = False
    maxlength: int | None = None
    required: bool = False
    checked: bool = False
    chosen: list[str] = field(default_factory=list)  # selected options

    @property
    def is_text(self) -> bool:
        """Whether a person types free text here."""
        return self.kind == "textarea" or (self.kind in TEXT_TYPES)


@dataclass
class Form:
    """A form as rendered: where it posts, and its controls."""

    page: str
    action: str  # path, query included
    method: str
    fields: list[FormField] = field(default_factory=list)

    def defaults(self) -> dict[str, Any]:
        """What a browser would submit without the user touching anything."""
        data: dict[str, Any] = {}
        for item in self.fields:
            if item.kind in ("checkbox", "radio"):
                if item.checked:
                    data.setdefault(item.name, item.value or "y")
            elif item.kind in ("submit", "button", "reset"):
                continue
            elif item.kind == "select" and item.multiple:
                data[item.name] = item.chosen or [o for o in item.options if o][:1]
            else:
                data[item.name] = item.value
        return data

    def filled(self, text: str) -> dict[str, Any]:
        """The defaults, with empty controls given plausible values and *text*."""
        data = self.defaults()
        for item in self.fields:
            if item.kind in PLAUSIBLE and not data.get(item.name):
                data[item.name] = PLAUSIBLE[item.kind](text)
            elif item.is_text and item.kind not in ("email", "password", "url"):
                if item.name.endswith("_link"):  # an optional address: left as is
                    data[item.name] = item.value
                    continue
                data[item.name] = item.value or text[: item.maxlength or None]
        return data

    def named(self, name: str) -> FormField | None:
        """The control called *name*, if any."""
        return next((f for f in self.fields if f.name == name), None)


class _FormParser(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: FormField | None = None
        self.textarea: FormField | None = None
        self.option_selected = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            action = urljoin(self.page, a.get("action") or self.page)
            parts = urlsplit(action)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            self.form = Form(self.page, path, (a.get("method") or "get").upper())
            self.forms.append(self.form)
        elif self.form is None or "name" not in a:
            if tag == "option" and self.select is not None:
                self._option(a)
            return
        elif tag == "input":
            self.form.fields.append(
                FormField(
                    a["name"],
                    a.get("type", "text").lower(),
                    a.get("value", ""),
                    maxlength=int(a["maxlength"]) if "maxlength" in a else None,
                    required="required" in a,
                    checked="checked" in a,
                )
            )
        elif tag == "textarea":
            self.textarea = FormField(
                a["name"],
                "textarea",
                maxlength=int(a["maxlength"]) if "maxlength" in a else None,
                required="required" in a,
            )
            self.form.fields.append(self.textarea)
        elif tag == "select":
            self.select = FormField(
                a["name"], "select", multiple="multiple" in a, required="required" in a
            )
            self.form.fields.append(self.select)
        elif tag == "button" and a.get("type", "submit") == "submit":
            self.form.fields.append(FormField(a["name"], "submit", a.get("value", "")))

    def _option(self, a: dict[str, str]) -> None:
        assert self.select is not None
        self.select.options.append(a.get("value", ""))
        if "selected" in a:
            self.select.chosen.append(a.get("value", ""))

    def handle_data(self, data: str) -> None:
        if self.textarea is not None:
            self.textarea.value += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.form = None
        elif tag == "select" and self.select is not None:
            chosen = self.select.chosen or self.select.options[:1]
            self.select.value = chosen[0] if chosen else ""
            self.select = None
        elif tag == "textarea":
            if self.textarea is not None:  # browsers drop one leading newline
                value = self.textarea.value
                self.textarea.value = value.removeprefix("\r").removeprefix("\n")
            self.textarea = None


def parse_forms(html: str, page: str) -> list[Form]:
    """Every form of a page, with its controls."""
    parser = _FormParser(page)
    parser.feed(html)
    return parser.forms


def endpoint_of(app: Flask, form: Form) -> str | None:
    """The endpoint a form sends to, or None if it leaves the app."""
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(urlsplit(form.action).path, method=form.method)
    except HTTPException:
        return None
    return str(endpoint)


def unique_forms(forms: list[Form], app: Flask) -> dict[tuple[str, str, str], Form]:
    """One form per endpoint, method and set of control names."""
    found: dict[tuple[str, str, str], Form] = {}
    for form in forms:
        endpoint = endpoint_of(app, form)
        if endpoint is None:
            continue
        names = ",".join(sorted({f.name for f in form.fields}))
        found.setdefault((endpoint, form.method, names), form)
    return found
