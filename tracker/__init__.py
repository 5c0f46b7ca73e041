"""tracker: the change programme's plans, assignments, working groups and digest."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from tracker import oidc
from tracker.auth import enforce_declared_roles, login_manager
from tracker.config import load_config
from tracker.db import init_db
from tracker.errors import register_error_pages
from tracker.extensions import csrf
from tracker.i18n import init_i18n
from tracker.markup import render_markdown
from tracker.routing import init_routing
from tracker.security import init_security_headers


def _template_folder() -> str:
    # An installed wheel carries the templates inside the package; a checkout has
    # them at the top level beside tracker/.
    packaged = Path(__file__).parent / "templates"
    return str(
        packaged if packaged.is_dir() else Path(__file__).parent.parent / "templates"
    )


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """Build the tracker application."""
    app = Flask(__name__, template_folder=_template_folder())
    load_config(app, test_config)
    init_routing(app)
    init_db(app)
    if proxies := int(app.config["PROXY_COUNT"]):
        # behind a TLS proxy: trust its X-Forwarded-For/-Proto/-Host, so HTTPS is seen
        # (HSTS, Secure cookies) and login throttling sees the real client address
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies
        )
    login_manager.init_app(app)
    oidc.init_app(app)
    csrf.init_app(app)
    init_i18n(app)
    init_security_headers(app)
    register_error_pages(app)
    enforce_declared_roles(app)
    app.jinja_env.filters["markdown"] = render_markdown
    app.extensions["tracker.job_registrars"] = []

    from tracker import navigation
    from tracker.cli import commands
    from tracker.views import BLUEPRINTS

    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)
    navigation.init_app(app)
    commands.register(app)
    from tracker.views import api

    api.init_app(app)

    import sync  # the one tracker -> sync import: its CLI, jobs and webhook

    sync.init_app(app)
    return app
