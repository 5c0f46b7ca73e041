"""The app's own address for links that leave it (digest, WordPress, e-mail, feed)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app, has_request_context, request

from tracker.config import SERVED_URL_FILE


def public_url() -> str:
    """PUBLIC_URL when configured; else the address this request came to (the
    demo's port too); outside requests the address last served on."""
    config = current_app.config
    if config.get("PUBLIC_URL_CONFIGURED", True) or not has_request_context():
        return str(config["PUBLIC_URL"]).rstrip("/")
    return request.host_url.rstrip("/")


def remember_served_url(app: Flask, url: str) -> None:
    """Without PUBLIC_URL, note where the app is served, for the CLI and jobs."""
    if app.config.get("PUBLIC_URL_CONFIGURED", True):
        return
    app.config["PUBLIC_URL"] = url
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    (instance / SERVED_URL_FILE).write_text(url + "\n")
