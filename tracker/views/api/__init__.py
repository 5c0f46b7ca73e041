"""The JSON API under /api/v1: personal API tokens, problem+json errors, ETags.

flask-smorest makes the OpenAPI 3.1 document from the views' marshmallow schemas,
on the app as it is (no second app). Uses models, services and tracker.auth's
roles; used by create_app.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, render_template
from flask_smorest import Api

from tracker.auth import public
from tracker.extensions import csrf
from tracker.views.api import (  # noqa: F401 - routes
    activity,
    decisions,
    groups,
    me,
    programme,
)
from tracker.views.api.blueprint import bp
from tracker.views.api.problems import PREFIX, init_problems
from tracker.views.api.schemas import Problem


class TrackerApi(Api):
    """flask-smorest's Api, leaving the app's own (HTML) error pages alone."""

    ERROR_SCHEMA = Problem
    DEFAULT_ERROR_RESPONSE_NAME = None

    def _register_error_handlers(self) -> None:
        """Errors are answered by tracker.views.api.problems instead."""


SETTINGS: dict[str, Any] = {
    "API_TITLE": "tracker",
    "API_VERSION": "1",
    "OPENAPI_VERSION": "3.1.0",
    "OPENAPI_URL_PREFIX": PREFIX,
    "OPENAPI_JSON_PATH": "openapi.json",
    "API_SPEC_OPTIONS": {
        "info": {
            "description": "The change programme's plans, assignments, milestones, "
            "working groups, decisions, activity feed and what needs the caller. "
            "Authenticate with a personal API "
            "token from Mina sidor: `Authorization: Bearer <token>`."
        },
        "security": [{"token": []}],
        "components": {
            "securitySchemes": {"token": {"type": "http", "scheme": "bearer"}}
        },
    },
}


def init_app(app: Flask) -> None:
    """Register the API, its OpenAPI document and its documentation page."""
    for key, value in SETTINGS.items():
        app.config.setdefault(key, value)
    api = TrackerApi(app, spec_kwargs={"servers": [{"url": "/"}]})
    api.register_blueprint(bp)
    app.extensions["tracker.api"] = api
    csrf.exempt(bp)  # a bearer token, never a cookie: nothing for CSRF to ride on
    document = app.view_functions["api-docs.openapi_json"]

    def openapi_json() -> Any:
        """The OpenAPI document; it shows no data, so anyone may read it."""
        return document()

    app.view_functions["api-docs.openapi_json"] = public(openapi_json)
    app.add_url_rule(f"{PREFIX}/docs", "api_docs_page", public(docs_page))
    init_problems(app)


def docs_page() -> str:
    """A readable page of every API operation, made from the OpenAPI document."""
    spec = current_app.extensions["tracker.api"].spec.to_dict()
    return render_template("api/docs.html", spec=spec, operations=_operations(spec))


def _operations(spec: dict[str, Any]) -> list[dict[str, Any]]:
    rows = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if method in ("get", "put", "post", "patch", "delete"):
                rows.append(
                    {
                        "method": method.upper(),
                        "path": path,
                        "summary": operation.get("summary", ""),
                        "parameters": [
                            p["name"] for p in operation.get("parameters", [])
                        ],
                    }
                )
    return rows
