"""What communicators are told about WordPress: the connection test and hints."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask_babel import lazy_gettext as _l

from tracker.services.digest.wordpress import (
    WordPressError,
    WordPressSettings,
    current_user,
)


@dataclass(frozen=True)
class ConnectionReport:
    """The outcome of 'test connection'."""

    ok: bool
    user_name: str = ""
    can_publish: bool = False
    https: bool = True
    error: WordPressError | None = None
    notes: list[str] = field(default_factory=list)


def test_connection(settings: WordPressSettings) -> ConnectionReport:
    """Check the address, the login and the right to publish posts."""
    try:
        me = current_user(settings)
    except WordPressError as error:
        return ConnectionReport(ok=False, https=settings.is_https, error=error)
    capabilities = me.get("capabilities") or {}
    can_publish = bool(capabilities.get("publish_posts"))
    return ConnectionReport(
        ok=can_publish,
        user_name=str(me.get("name", "")),
        can_publish=can_publish,
        https=settings.is_https,
    )


def error_hint(message: str) -> Any:
    """A Swedish explanation of a stored delivery error, for communicators."""
    if message.startswith("HTTP 401") or "rest_invalid_param" in message:
        return _l(
            "WordPress did not accept the login. Check USER and APP_PASSWORD under "
            "[WORDPRESS]: it must be an Application Password, and those only work "
            "when the site uses HTTPS."
        )
    if message.startswith("HTTP 403"):
        return _l(
            "The WordPress user may not publish posts. Give it the Author or "
            "Editor role."
        )
    if "HTML error page" in message or "without JSON" in message:
        return _l(
            "WordPress answered with a web page instead of its REST API. Check that "
            "URL under [WORDPRESS] is the site's root address and that the site "
            "is up."
        )
    if message.startswith(("HTTP 5", "No answer", "Could not reach", "Lost the")):
        return _l(
            "The WordPress site did not answer properly. The tracker tries again "
            "automatically."
        )
    return None
