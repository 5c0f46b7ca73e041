"""A fake WordPress REST API on 127.0.0.1, faithful where the tracker relies on it.

Follows the documented /wp-json/wp/v2 behaviour: posts created (201), updated
(200), listed by one or more slugs and status, and deleted: DELETE moves a post to
the trash (its slug gets "__trashed", as wp_add_trashed_suffix_to_post_name_for_post
does), a second DELETE is 410 rest_already_trashed, force=true deletes it;
status=any (every status but trash and auto-draft) and context=edit need a login
with edit_posts; per_page is 1–100; Basic auth with Application Passwords
(spaces ignored, as WordPress does); error bodies {"code", "message", "data":
{"status"}}; a slug taken by any other post gets "-2", "-3" (wp_unique_post_slug),
except for drafts and pending posts, which keep the slug asked for; a disallowed
status filter is a 400 rest_invalid_param with the details.
Faults can be injected: error answers, and a create that is carried out but
answered only after the client has given up.
"""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

ROLES = {
    "administrator": {"edit_posts", "edit_others_posts", "publish_posts", "read"},
    "editor": {"edit_posts", "edit_others_posts", "publish_posts", "read"},
    "author": {"edit_posts", "publish_posts", "read"},
    "contributor": {"edit_posts", "read"},
    "subscriber": {"read"},
}
ANY_EXCLUDES = {"trash", "auto-draft"}


@dataclass
class User:
    """A WordPress user with one application password."""

    id: int
    login: str
    app_password: str
    role: str

    @property
    def caps(self) -> set[str]:
        return ROLES[self.role]


class WpError(Exception):
    """An error answer in WordPress' JSON shape."""

    def __init__(self, status: int, code: str, message: str, **data: Any) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.data = status, code, message, data

    def body(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "data": {"status": self.status, **self.data},
        }


@dataclass
class Fault:
    """An injected answer for the next matching requests."""

    method: str | None
    status: int
    times: int
    html: bool = False


@dataclass
class FakeWordPress:
    """The server's state; start() serves it on a free loopback port."""

    app_passwords_available: bool = True
    users: dict[str, User] = field(default_factory=dict)
    posts: dict[int, dict[str, Any]] = field(default_factory=dict)
    log: list[tuple[str, str]] = field(default_factory=list)
    faults: list[Fault] = field(default_factory=list)
    answer_delay_after_create: float = 0.0
    delay_before_answer: float = 0.0
    _next_id: int = 100
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _server: ThreadingHTTPServer | None = None

    def add_user(self, login: str, app_password: str, role: str = "editor") -> User:
        user = User(len(self.users) + 1, login, app_password, role)
        self.users[login] = user
        return user

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> FakeWordPress:
        fake = self

        class Handler(_Handler):
            wp = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            daemon=True,
        ).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()

    def fail_next(
        self,
        status: int,
        *,
        method: str | None = None,
        times: int = 1,
        html: bool = False,
    ) -> None:
        """Answer the next *times* requests (of *method*) with HTTP *status*."""
        self.faults.append(Fault(method, status, times, html))

    def posts_with_slug_prefix(self, prefix: str) -> list[dict[str, Any]]:
        return [p for p in self.posts.values() if p["slug"].startswith(prefix)]

    # -- the REST API ---------------------------------------------------------

    def authenticate(self, header: str | None) -> User | None:
        if (
            not header
            or not header.startswith("Basic ")
            or not self.app_passwords_available
        ):
            return None  # without application passwords Basic auth is ignored
        login, _, password = base64.b64decode(header[6:]).decode().partition(":")
        user = self.users.get(login)
        if user is None:
            raise WpError(
                401,
                "invalid_username",
                "Unknown username. Check again or try your email address.",
            )
        if _normalise(password) != _normalise(user.app_password):
            raise WpError(
                401,
                "incorrect_password",
                "The provided password is an invalid application password.",
            )
        return user

    def list_posts(self, user: User | None, query: dict[str, list[str]]) -> list[Any]:
        statuses = ",".join(query.get("status", ["publish"])).split(",")
        if statuses != ["publish"] and not _can(user, "edit_posts"):
            detail = WpError(
                _auth_code(user), "rest_forbidden_status", "Status is forbidden."
            )
            raise WpError(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): status",
                params={"status": "Status is forbidden."},
                details={"status": detail.body()},
            )
        per_page = query.get("per_page", ["10"])[0]
        if not per_page.isdigit() or not 1 <= int(per_page) <= 100:
            raise WpError(
                400,
                "rest_invalid_param",
                "Invalid parameter(s): per_page",
                params={"per_page": "per_page must be between 1 (inclusive) and 100"},
            )
        if query.get("context") == ["edit"] and not _can(user, "edit_posts"):
            raise WpError(
                _auth_code(user),
                "rest_forbidden_context",
                "Sorry, you are not allowed to edit posts in this post type.",
            )
        slugs = ",".join(query.get("slug", [])).split(",") if "slug" in query else None
        with self._lock:
            found = [
                p
                for p in sorted(self.posts.values(), key=lambda p: -p["id"])
                if (slugs is None or p["slug"] in slugs)
                and (
                    p["status"] not in ANY_EXCLUDES
                    if "any" in statuses
                    else p["status"] in statuses
                )
            ]
        return [self.render(p) for p in found[: int(per_page)]]

    def create_post(self, user: User | None, fields: dict[str, Any]) -> dict[str, Any]:
        if not _can(user, "edit_posts"):
            raise WpError(
                _auth_code(user),
                "rest_cannot_create",
                "Sorry, you are not allowed to create posts as this user.",
            )
        self._check_status(user, fields)
        with self._lock:
            self._next_id += 1
            post = {
                "id": self._next_id,
                "date_gmt": datetime.now(UTC).replace(microsecond=0).isoformat(),
                "slug": "",
                "status": "draft",
                "title": "",
                "content": "",
                "categories": [],
                "tags": [],
                "excerpt": "",
                "author": user.id if user else 0,
            }
            self._apply(post, fields)
            self.posts[post["id"]] = post
        return self.render(post)

    def update_post(
        self, user: User | None, post_id: int, fields: dict[str, Any]
    ) -> dict[str, Any]:
        post = self.posts.get(post_id)
        if post is None:
            raise WpError(404, "rest_post_invalid_id", "Invalid post ID.")
        if not _can(user, "edit_posts"):
            raise WpError(
                _auth_code(user),
                "rest_cannot_edit",
                "Sorry, you are not allowed to edit this post.",
            )
        self._check_status(user, fields)
        with self._lock:
            self._apply(post, fields)
        return self.render(post)

    def delete_post(
        self, user: User | None, post_id: int, force: bool
    ) -> dict[str, Any]:
        post = self.posts.get(post_id)
        if post is None:
            raise WpError(404, "rest_post_invalid_id", "Invalid post ID.")
        if not _can(user, "edit_posts") or (
            post["author"] != (user.id if user else 0)
            and not _can(user, "edit_others_posts")
        ):
            raise WpError(
                _auth_code(user),
                "rest_cannot_delete",
                "Sorry, you are not allowed to delete this post.",
            )
        with self._lock:
            if force:
                del self.posts[post_id]
                return {"deleted": True, "previous": self.render(post)}
            if post["status"] == "trash":
                raise WpError(
                    410, "rest_already_trashed", "The post has already been deleted."
                )
            post["status"] = "trash"
            post["slug"] = f"{post['slug']}__trashed"
        return self.render(post)

    def live_posts(self) -> list[dict[str, Any]]:
        """Every post not in the trash."""
        return [p for p in self.posts.values() if p["status"] != "trash"]

    def render(self, post: dict[str, Any]) -> dict[str, Any]:
        link = (
            f"{self.url}/{post['slug']}/"
            if post["status"] == "publish"
            else f"{self.url}/?p={post['id']}"
        )
        return {
            "id": post["id"],
            "date_gmt": post["date_gmt"],
            "slug": post["slug"],
            "status": post["status"],
            "type": "post",
            "link": link,
            "title": {"raw": post["title"], "rendered": post["title"]},
            "content": {
                "raw": post["content"],
                "rendered": post["content"],
                "protected": False,
            },
            "excerpt": {"raw": post["excerpt"], "rendered": post["excerpt"]},
            "categories": post["categories"],
            "tags": post["tags"],
            "author": post["author"],
        }

    def _check_status(self, user: User | None, fields: dict[str, Any]) -> None:
        if fields.get("status") in {"publish", "future"} and not _can(
            user, "publish_posts"
        ):
            raise WpError(
                _auth_code(user),
                "rest_cannot_publish",
                "Sorry, you are not allowed to publish posts in this post type.",
            )

    def _apply(self, post: dict[str, Any], fields: dict[str, Any]) -> None:
        for key in ("title", "content", "status", "categories", "tags", "excerpt"):
            if key in fields:
                post[key] = fields[key]
        wanted = str(fields.get("slug") or post["slug"] or _slugify(post["title"]))
        if post["status"] in {"draft", "pending", "auto-draft"}:
            post["slug"] = wanted  # drafts keep the slug asked for, even if taken
        else:
            post["slug"] = self._unique_slug(wanted, post["id"])

    def _unique_slug(self, slug: str, post_id: int) -> str:
        """wp_unique_post_slug(): a slug taken by another post gets -2, -3, ..."""
        taken = {p["slug"] for p in self.posts.values() if p["id"] != post_id}
        if slug not in taken:
            return slug
        suffix = 2
        while f"{slug}-{suffix}" in taken:
            suffix += 1
        return f"{slug}-{suffix}"


class _Handler(BaseHTTPRequestHandler):
    wp: FakeWordPress

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output clean

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def _handle(self, method: str) -> None:
        parts = urlsplit(self.path)
        self.wp.log.append((method, self.path))
        if self.wp.delay_before_answer:
            time.sleep(self.wp.delay_before_answer)
        if self._injected(method):
            return
        try:
            status, body = self._route(method, parts.path, parse_qs(parts.query))
        except WpError as error:
            status, body = error.status, error.body()
        self._send(status, body)

    def _injected(self, method: str) -> bool:
        for fault in self.wp.faults:
            if fault.times > 0 and fault.method in (None, method):
                fault.times -= 1
                if fault.html:
                    self._send(
                        fault.status, None, html="<html><body>Bad Gateway</body></html>"
                    )
                else:
                    body = WpError(
                        fault.status,
                        "internal_server_error",
                        "There has been a critical error on this website.",
                    )
                    self._send(fault.status, body.body())
                return True
        return False

    def _route(
        self, method: str, path: str, query: dict[str, list[str]]
    ) -> tuple[int, Any]:
        user = self.wp.authenticate(self.headers.get("Authorization"))
        if path in {"/wp-json", "/wp-json/"} and method == "GET":
            auth = {
                "application-passwords": {
                    "endpoints": {
                        "authorization": f"{self.wp.url}/wp-admin/"
                        "authorize-application.php"
                    }
                }
            }
            return 200, {
                "name": "Fake",
                "url": self.wp.url,
                "authentication": auth if self.wp.app_passwords_available else [],
            }
        if path == "/wp-json/wp/v2/users/me" and method == "GET":
            if user is None:
                raise WpError(
                    401, "rest_not_logged_in", "You are not currently logged in."
                )
            caps = {cap: True for cap in user.caps}
            return 200, {
                "id": user.id,
                "name": user.login,
                "slug": user.login,
                "roles": [user.role],
                "capabilities": caps,
            }
        if path == "/wp-json/wp/v2/posts" and method == "GET":
            return 200, self.wp.list_posts(user, query)
        if path == "/wp-json/wp/v2/posts" and method == "POST":
            post = self.wp.create_post(user, self._body())
            if self.wp.answer_delay_after_create:
                time.sleep(self.wp.answer_delay_after_create)  # done, but answered late
            return 201, post
        match = re.fullmatch(r"/wp-json/wp/v2/posts/(\d+)", path)
        if match and method == "POST":
            return 200, self.wp.update_post(user, int(match.group(1)), self._body())
        if match and method == "DELETE":
            force = query.get("force", ["false"])[0] in {"true", "1"}
            return 200, self.wp.delete_post(user, int(match.group(1)), force)
        raise WpError(
            404,
            "rest_no_route",
            "No route was found matching the URL and request method.",
        )

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        if "json" in (self.headers.get("Content-Type") or ""):
            data = json.loads(raw or b"{}")
            if isinstance(data.get("title"), dict):
                data["title"] = data["title"].get("raw", "")
            return dict(data)
        return {k: v[0] for k, v in parse_qs(raw.decode()).items()}

    def _send(self, status: int, body: Any, *, html: str | None = None) -> None:
        payload = html.encode() if html is not None else json.dumps(body).encode()
        try:
            self.send_response(status)
            self.send_header(
                "Content-Type",
                "text/html" if html is not None else "application/json; charset=UTF-8",
            )
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout under test)


def _normalise(password: str) -> str:
    """WordPress compares application passwords without spaces or dashes."""
    return re.sub(r"[^a-z\d]", "", password, flags=re.IGNORECASE)


def _can(user: User | None, cap: str) -> bool:
    return user is not None and cap in user.caps


def _auth_code(user: User | None) -> int:
    """rest_authorization_required_code(): 401 when logged out, 403 when in."""
    return 401 if user is None else 403


def _slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "post"
