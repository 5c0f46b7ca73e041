"""The WordPress REST API client: posts found by slug, created, updated, trashed.

WordPress has no idempotency key. A create whose answer never came (a timeout, a
connection lost after sending, a gateway error) may still be carried out, so it
raises a WordPressError with ``uncertain`` set and the moment it was sent; the
caller must not create again before a later look-up has found nothing.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import NameResolutionError, NewConnectionError

DUPLICATE_SUFFIXES = 20  # "-2" … "-21": far more than retries could ever make


@dataclass(frozen=True)
class WordPressSettings:
    """The [WORDPRESS] section of the configuration."""

    url: str
    user: str
    app_password: str
    category: int = 0
    status: str = "publish"
    timeout: float = 10.0
    tags: tuple[int, ...] = ()
    settle_seconds: float = 120.0

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
            tags=tuple(int(tag) for tag in section.get("TAGS", []) or []),
            settle_seconds=float(section.get("SETTLE_SECONDS", 120)),
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
    slug: str = ""
    author: int = 0
    text: tuple[str, str, str] = ("", "", "")  # raw title, content, excerpt (edit)

    def has(self, fields: Mapping[str, Any]) -> bool:
        """Whether the post already carries these fields' text and status."""
        wanted = (fields["title"], fields["content"], fields.get("excerpt", ""))
        return self.text == wanted and self.status == fields["status"]


class WordPressError(Exception):
    """A failed call: HTTP status (None without an answer) and WordPress' code.

    *uncertain*: the request may have been carried out (no answer, or a gateway
    error); *sent_at* is when it was sent.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str = "",
        uncertain: bool = False,
        sent_at: datetime | None = None,
    ):
        super().__init__(message)
        self.status, self.code = status, code
        self.uncertain, self.sent_at = uncertain, sent_at


def find_posts(settings: WordPressSettings, slug: str) -> list[Post]:
    """Posts with *slug* or *slug*-N (WordPress' duplicates), in any status but
    trash, the oldest first."""
    wanted = [slug] + [f"{slug}-{n}" for n in range(2, DUPLICATE_SUFFIXES + 2)]
    data = _call(
        settings,
        "GET",
        settings.posts_url,
        params={
            "slug": ",".join(wanted),
            "status": "any",
            "context": "edit",
            "per_page": 100,
            "orderby": "id",
            "order": "asc",
        },
    )
    if not isinstance(data, list):
        raise WordPressError("WordPress answered the look-up without a list")
    pattern = re.compile(rf"{re.escape(slug)}(-\d+)?")
    posts = [_post(item) for item in data if isinstance(item, Mapping)]
    return sorted(
        (p for p in posts if pattern.fullmatch(p.slug) and p.status != "trash"),
        key=lambda p: p.id,
    )


def find_by_slug(settings: WordPressSettings, slug: str) -> Post | None:
    """The oldest post with exactly *slug*, in any status but trash."""
    return next((p for p in find_posts(settings, slug) if p.slug == slug), None)


def create_post(settings: WordPressSettings, fields: dict[str, Any]) -> Post:
    """POST a new post; an unknown outcome raises an *uncertain* WordPressError."""
    sent_at = datetime.now(UTC)
    try:
        return _post(_call(settings, "POST", settings.posts_url, json=fields))
    except WordPressError as error:
        gateway = error.status is not None and error.status >= 500
        if error.uncertain or gateway or error.code == "not_json":
            error.uncertain, error.sent_at = True, sent_at
        raise


def update_post(
    settings: WordPressSettings, post_id: int, fields: dict[str, Any]
) -> Post:
    """Update post *post_id* in place (the same address, a new text)."""
    url = f"{settings.posts_url}/{post_id}"
    return _post(_call(settings, "POST", url, json=fields))


def trash_post(settings: WordPressSettings, post_id: int) -> None:
    """Move a post to WordPress' trash (not deleted: an editor can restore it)."""
    try:
        _call(settings, "DELETE", f"{settings.posts_url}/{post_id}")
    except WordPressError as error:
        if error.code != "rest_already_trashed":
            raise


def post_fields(
    settings: WordPressSettings, *, slug: str, title: str, content: str, excerpt: str
) -> dict[str, Any]:
    """The fields of the digest's post: text, status, category and tags."""
    fields: dict[str, Any] = {
        "slug": slug,
        "title": title,
        "content": content,
        "excerpt": excerpt,
        "status": settings.status,
    }
    if settings.category:
        fields["categories"] = [settings.category]
    if settings.tags:
        fields["tags"] = list(settings.tags)
    return fields


def current_user(settings: WordPressSettings) -> dict[str, Any]:
    """/users/me with its capabilities (context=edit)."""
    me = _call(
        settings,
        "GET",
        f"{settings.url}/wp-json/wp/v2/users/me",
        params={"context": "edit"},
    )
    return me if isinstance(me, dict) else {}


def _post(item: Any) -> Post:
    if not isinstance(item, Mapping) or "id" not in item:
        raise WordPressError(
            "WordPress answered without a post", code="not_json", uncertain=True
        )
    return Post(
        id=int(item["id"]),
        url=str(item.get("link", "")),
        status=str(item.get("status", "")),
        slug=str(item.get("slug", "")),
        author=int(item.get("author") or 0),
        text=(_raw(item, "title"), _raw(item, "content"), _raw(item, "excerpt")),
    )


def _raw(item: Mapping[str, Any], key: str) -> str:
    """A field's raw text (context=edit), or its rendered one."""
    value = item.get(key)
    if isinstance(value, Mapping):
        return str(value.get("raw", value.get("rendered", "")))
    return "" if value is None else str(value)


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
    except requests.ConnectTimeout as error:
        raise WordPressError(
            f"Could not reach WordPress within {settings.timeout:g} s",
            code="unreachable",
        ) from error
    except requests.Timeout as error:
        raise WordPressError(
            f"No answer from WordPress within {settings.timeout:g} s",
            code="timeout",
            uncertain=True,
        ) from error
    except requests.RequestException as error:
        sent = not _never_connected(error)
        raise WordPressError(
            f"{'Lost the connection to' if sent else 'Could not reach'} WordPress: "
            f"{error}",
            code="connection_lost" if sent else "unreachable",
            uncertain=sent,
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


def _never_connected(error: requests.RequestException) -> bool:
    """Whether the request certainly never reached the server."""
    cause: BaseException | None = error
    while cause is not None:
        if isinstance(cause, NewConnectionError | NameResolutionError):
            return True
        reason = getattr(cause, "reason", None)
        cause = reason if isinstance(reason, BaseException) else cause.__context__
    return isinstance(error, requests.exceptions.InvalidURL)


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
    if not code and "html" in response.headers.get("Content-Type", ""):
        message = f"{message} (an HTML error page, not WordPress' JSON)"
    return WordPressError(
        f"HTTP {response.status_code} {code}: {message}".replace(" :", ":"),
        status=response.status_code,
        code=code,
    )
