"""HTTP security headers sent with every response."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Flask, abort, request
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
        return response


def refuse_nul_bytes() -> None:
    """Refuse form or query values that contain NUL bytes (400)."""
    # No browser sends them and PostgreSQL cannot store them: without this check
    # they would end in a server error deep inside a flush.
    for values in (request.args, request.form):
        for value in values.listvalues():
            if any("\x00" in item for item in value):
                abort(400)
