"""The WordPress REST API client: one post per slug, never a '-2' duplicate."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests
from flask_babel import lazy_gettext as _l


@dataclass(frozen=True)
class WordPressSettings:
    """The [WORDPRESS] section of the configuration."""

    url: str
    user: str
    app_password: str
    category: int = 0
    status: str = "publish"
    timeout: float = 10.0

    @classmethod
    def from_config(cls, section: Mapping[str, Any]) -> WordPressSettings | None:
        """The settings, or None when no WordPress site is configured."""
        if not str(section.get("URL", "")).strip():
            return None
        return cls(
            url=str(section["URL"]).strip().rstrip("/"),
            user=str(section.get("USER", "")),
            app_password=str(section.get("APP_PASSWORD", "")),
            category=int(section.get("CATEGORY", 0) or 0),
            status=str(section.get("STATUS", "publish")),
            timeout=float(section.get("TIMEOUT", 10)),
        )

    @property
    def posts_url(self) -> str:
        """The posts collection endpoint."""
        return f"{self.url}/wp-json/wp/v2/posts"

    @property
    def is_https(self) -> bool:
        """Whether the site is reached over HTTPS (or is a local test site)."""
        parts = urlsplit(self.url)
        return parts.scheme == "https" or parts.hostname in {"127.0.0.1", "localhost"}


@dataclass(frozen=True)
class Post:
    """A WordPress post as far as we need it."""

    id: int
    url: str
    status: str


class WordPressError(Exception):
    """A failed call: HTTP status (None for timeouts) and WordPress' error code."""

    def __init__(self, message: str, *, status: int | None = None, code: str = ""):
        super().__init__(message)
        self.status = status
        self.code = code


@dataclass(frozen=True)
class ConnectionReport:
    """The outcome of 'test connection'."""

    ok: bool
    user_name: str = ""
    can_publish: bool = False
    https: bool = True
    error: WordPressError | None = None
    notes: list[str] = field(default_factory=list)


def publish_post(
    settings: WordPressSettings, *, slug: str, title: str, content: str
) -> Post:
    """Create the post with *slug*, or update it if it exists already.

    WordPress has no idempotency key, so the slug is looked up (all statuses)
    before creating and again after a timeout: a second run finds the first
    run's post instead of making 'slug-2'.
    """
    fields = _fields(settings, slug=slug, title=title, content=content)
    existing = find_by_slug(settings, slug)
    if existing is not None:
        return _send(settings, "POST", f"{settings.posts_url}/{existing.id}", fields)
    try:
        return _send(settings, "POST", settings.posts_url, fields)
    except WordPressError as error:
        if error.status is not None and error.status < 500:
            raise
        # The request may have been carried out even though we got no answer.
        created = find_by_slug(settings, slug)
        if created is None:
            raise
        return created


def find_by_slug(settings: WordPressSettings, slug: str) -> Post | None:
    """The post with exactly *slug*, in any status but trash."""
    data = _call(
        settings,
        "GET",
        settings.posts_url,
        params={"slug": slug, "status": "any", "context": "edit"},
    )
    matches = [item for item in data if item.get("slug") == slug]
    return _post(matches[0]) if matches else None


def test_connection(settings: WordPressSettings) -> ConnectionReport:
    """Check the address, the login and the right to publish posts."""
    try:
        me = _call(
            settings,
            "GET",
            f"{settings.url}/wp-json/wp/v2/users/me",
            params={"context": "edit"},
        )
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
    if message.startswith(("HTTP 5", "No answer", "Could not reach")):
        return _l(
            "The WordPress site did not answer properly. The tracker tries again "
            "automatically."
        )
    return None


def _fields(
    settings: WordPressSettings, *, slug: str, title: str, content: str
) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "slug": slug,
        "title": title,
        "content": content,
        "status": settings.status,
    }
    if settings.category:
        fields["categories"] = [settings.category]
    return fields


def _send(
    settings: WordPressSettings, method: str, url: str, fields: dict[str, Any]
) -> Post:
    return _post(_call(settings, method, url, json=fields))


def _post(item: Mapping[str, Any]) -> Post:
    return Post(
        id=int(item["id"]),
        url=str(item.get("link", "")),
        status=str(item.get("status", "")),
    )


def _call(settings: WordPressSettings, method: str, url: str, **kwargs: Any) -> Any:
    """One request with Basic auth (application password) and a timeout."""
    try:
        response = requests.request(
            method,
            url,
            auth=(settings.user, settings.app_password),
            timeout=settings.timeout,
            headers={"Accept": "application/json"},
            **kwargs,
        )
    except requests.Timeout as error:
        raise WordPressError(
            f"No answer from WordPress within {settings.timeout:g} s", code="timeout"
        ) from error
    except requests.RequestException as error:
        raise WordPressError(
            f"Could not reach WordPress: {error}", code="unreachable"
        ) from error
    if response.status_code >= 400:
        raise _error(response)
    try:
        return response.json()
    except ValueError as error:
        raise WordPressError(
            f"WordPress answered HTTP {response.status_code} without JSON; "
            "is the address the site's root?",
            status=response.status_code,
            code="not_json",
        ) from error


def _error(response: requests.Response) -> WordPressError:
    """WordPress errors are {"code", "message", "data": {"status"}}."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    code = str(body.get("code", ""))
    message = str(body.get("message", "")) or response.reason or ""
    return WordPressError(
        f"HTTP {response.status_code} {code}: {message}".replace(" :", ":"),
        status=response.status_code,
        code=code,
    )
