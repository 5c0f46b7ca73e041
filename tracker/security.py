"""HTTP security headers sent with every response."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, request, session
from werkzeug.wrappers import Response

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


def init_security_headers(app: Flask) -> None:
    """Add CSP, framing, sniffing, referrer and (over HTTPS) HSTS headers."""
    app.before_request(refuse_nul_bytes)
    csp = CSP
    if issuer := app.config["OIDC"]["ISSUER"]:
        # logging out redirects the logout form's answer to the identity provider
        provider = urlsplit(str(issuer))
        csp = CSP.replace(
            "form-action 'self'",
            f"form-action 'self' {provider.scheme}://{provider.netloc}",
        )

    @app.after_request
    def add_headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", csp)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=()")
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if _logged_in() and request.endpoint != "static":
            # personal pages must not stay in the browser's or a proxy's cache
            response.headers["Cache-Control"] = "no-store"
        return response


def _logged_in() -> bool:
    # the cookie's login, not current_user: an error page must not load the user
    return "_user_id" in session


def refuse_nul_bytes() -> None:
    """No page has NUL in its address (404); NUL in form or query values is 400."""
    # No browser sends them and PostgreSQL cannot store or compare them: without
    # this check they would end in a server error deep inside a query.
    if "\x00" in request.path:
        abort(404)
    for values in (request.args, request.form):
        for value in values.listvalues():
            if any("\x00" in item for item in value):
                abort(400)
