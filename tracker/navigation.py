"""The site navigation, prepared per role for base.html."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Flask, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from tracker.auth import has_role, is_public_reader, public_reading
from tracker.forms.common import EmptyForm, LanguageForm
from tracker.i18n import current_language
from tracker.labels import change_list, label, object_type, verb
from tracker.models.people import Role


@dataclass(frozen=True)
class NavItem:
    """A link in the main menu."""

    endpoint: str
    text: Any
    role: Role
    public: bool = False  # also for readers without a login (PUBLIC_READ)


NAV_ITEMS = [
    NavItem("overview.index", _l("Overview"), Role.STAFF, public=True),
    NavItem("plans.list", _l("Action plans"), Role.STAFF, public=True),
    NavItem("groups.list", _l("Working groups"), Role.STAFF, public=True),
    NavItem("applications.open_calls", _l("Open sign-ups"), Role.STAFF),
    NavItem("activity.list", _l("Activity"), Role.STAFF),
    NavItem("decisions.list", _l("Decisions"), Role.STAFF),
    NavItem("evaluations.list", _l("Lessons"), Role.STAFF),
    NavItem("maturity.index", _l("Maturity"), Role.STAFF),
    NavItem("people.list", _l("People"), Role.STAFF),
    NavItem("digests.list", _l("Monthly digest"), Role.COMMUNICATOR),
    NavItem("blog.index", _l("Blog"), Role.STAFF, public=True),
    NavItem("me.index", _l("My pages"), Role.STAFF),
    NavItem("sync.status", _l("Trello sync"), Role.LEADERSHIP),
    NavItem("admin.users", _l("Administration"), Role.ADMIN),
]


def nav_links(endpoints: set[str]) -> list[dict[str, Any]]:
    """The menu entries the current user may follow, marking the current page."""
    links = []
    public = is_public_reader() and public_reading()
    for item in NAV_ITEMS:
        allowed = has_role(item.role) or (item.public and public)
        if item.endpoint not in endpoints or not allowed:
            continue
        links.append(
            {
                "url": url_for(item.endpoint),
                "text": item.text,
                "current": request.endpoint == item.endpoint,
            }
        )
    return links


def init_app(app: Flask) -> None:
    """Provide the menu, the language switch and the logout form to every template."""
    app.jinja_env.filters["label"] = label
    app.jinja_env.filters["verb"] = verb
    app.jinja_env.filters["object_type"] = object_type
    app.jinja_env.globals["change_list"] = change_list

    @app.context_processor
    def inject_navigation() -> dict[str, Any]:
        endpoints = set(app.view_functions)
        return {
            "nav_links": nav_links(endpoints),
            # formdata=None: the header's forms never read the request's body, which
            # may be the reason for this (413) error page
            "language_form": LanguageForm(
                formdata=None,
                lang=current_language(),
                next=request.full_path.rstrip("?"),
            ),
            "logout_form": EmptyForm(formdata=None),
            "can_lead": has_role(Role.LEADERSHIP),
            # a reader without a login (PUBLIC_READ): pages leave out every person
            "public_reader": is_public_reader(),
            # a name of its own, so that tracker.page_cache can leave a slot for it
            "viewer_name": current_user.name if current_user.is_authenticated else "",
        }
