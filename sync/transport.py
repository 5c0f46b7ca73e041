"""The HTTP session under py-trello: base URL, timeouts, retries, pacing, counting."""

from __future__ import annotations

import hashlib
import random
import threading
import time
from collections import deque
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit

import requests
from urllib3.exceptions import MaxRetryError, NewConnectionError

# py-trello hard-codes these; every call is routed to the configured API_URL instead.
TRELLO_BASES = ("https://api.trello.com/1", "https://trello.com/1")
WINDOW_SECONDS = 10.0
HARD_LIMIT = 100  # Trello's cap per token and 10 s; never exceeded, whatever is set
RETRY_STATUSES = {429, 500, 502, 503, 504}
MAX_BACKOFF_SECONDS = 30.0
MAX_RETRY_AFTER_SECONDS = 300.0


class TrelloError(Exception):
    """Trello refused or could not be reached; the message never holds the token.

    *transient* errors (429, 5xx, timeouts, connection errors) pass; a board is
    never stopped for them. *unknown* means a write may or may not have been made.
    """

    def __init__(
        self,
        message: str,
        status: int | None = None,
        *,
        transient: bool = False,
        unknown: bool = False,
    ) -> None:
        super().__init__(message)
        self.status, self.transient, self.unknown = status, transient, unknown


class RateWindow:
    """A sliding window: at most *limit* requests start in any *seconds*."""

    def __init__(
        self,
        limit: int,
        seconds: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.limit, self.seconds, self.clock = max(limit, 1), seconds, clock
        self.starts: deque[float] = deque()

    def delay(self) -> float:
        """Seconds to wait before the next request may start."""
        now = self.clock()
        while self.starts and now - self.starts[0] >= self.seconds:
            self.starts.popleft()
        if len(self.starts) < self.limit:
            return 0.0
        return self.starts[0] + self.seconds - now

    def record(self) -> None:
        """Note that a request starts now."""
        self.starts.append(self.clock())


class Pacer:
    """The rate-limit state of one token, shared by every session of the process.

    The scheduler runs jobs in threads and the CLI may run beside it; one window per
    token keeps them together under Trello's 100 requests per 10 s.
    """

    def __init__(self, limit: int, margin: float) -> None:
        self.margin = margin  # arrival jitter: the server's window may start later
        self.windows = {"local": RateWindow(limit, WINDOW_SECONDS + margin)}
        self.resume_at = 0.0
        self.lock = threading.Lock()

    def take(self) -> float:
        """Claim a slot now and return 0, or return how long to wait first."""
        with self.lock:
            delay = max(
                [window.delay() for window in self.windows.values()]
                + [self.resume_at - time.monotonic()]
            )
            if delay <= 0:
                for window in self.windows.values():
                    window.record()
            return delay

    def observe(self, response: requests.Response) -> None:
        """Follow Trello's x-rate-limit-* headers for the token and the key."""
        with self.lock:
            for scope in ("api-token", "api-key"):
                self._observe_scope(response, scope)

    def _observe_scope(self, response: requests.Response, scope: str) -> None:
        prefix = f"x-rate-limit-{scope}-"
        limit = _header_int(response, prefix + "max")
        interval = _header_int(response, prefix + "interval-ms")
        remaining = _header_int(response, prefix + "remaining")
        if limit is None or interval is None:
            return
        seconds = interval / 1000 + self.margin
        window = self.windows.get(scope)
        if window is None or (window.limit, window.seconds) != (limit, seconds):
            window = self.windows[scope] = RateWindow(min(limit, HARD_LIMIT), seconds)
        if remaining is not None and remaining <= 0 and len(window.starts) < limit:
            # Another process on this token used the window up; we cannot know
            # when its requests age out, so wait a whole window.
            self.resume_at = time.monotonic() + seconds


_pacers: dict[str, Pacer] = {}
_pacers_lock = threading.Lock()


def pacer_for(api_url: str, token: str, limit: int, margin: float) -> Pacer:
    """The process-wide pacer of a token at an API address."""
    key = hashlib.sha256(f"{api_url}|{token}".encode()).hexdigest()
    with _pacers_lock:
        if key not in _pacers:
            _pacers[key] = Pacer(min(limit, HARD_LIMIT), margin)
        return _pacers[key]


class TrelloSession(requests.Session):
    """A requests session py-trello uses as its `http_service`."""

    def __init__(
        self,
        api_url: str,
        *,
        token: str = "",
        timeout: float = 10,
        max_retries: int = 5,
        backoff: float = 0.5,
        rate_limit: int = HARD_LIMIT,
        margin: float = 0.5,
    ) -> None:
        super().__init__()
        self.api_url = api_url.rstrip("/")
        self.timeout, self.max_retries, self.backoff = timeout, max_retries, backoff
        self.pacer = pacer_for(self.api_url, token, rate_limit, margin)
        self.requests_made = 0
        self.retries = 0
        self.slept = 0.0

    def request(  # type: ignore[override]
        self, method: str, url: str, *args: Any, **kwargs: Any
    ) -> requests.Response:
        """Send with a timeout, paced, retrying what is safe to retry."""
        url = self.rewrite(url)
        kwargs["timeout"] = self.timeout
        kwargs.pop("proxies", None)  # py-trello passes {}; the environment decides
        method = method.upper()
        for attempt in range(self.max_retries + 1):
            self.pace()
            self.requests_made += 1
            try:
                response = super().request(method, url, *args, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as error:
                resend = _may_resend(method, error)
                if attempt >= self.max_retries or not resend:
                    raise TrelloError(
                        _describe(method, url, error),
                        transient=True,
                        unknown=not resend,
                    ) from error
                self.wait_backoff(attempt, None)
                continue
            self.pacer.observe(response)
            status = response.status_code
            # A POST answered 5xx may have been made: the caller looks before resending.
            retry = status == 429 or (status in RETRY_STATUSES and method != "POST")
            if not retry or attempt >= self.max_retries:
                return response
            self.wait_backoff(attempt, response)
        raise AssertionError("unreachable")  # pragma: no cover

    def rewrite(self, url: str) -> str:
        """Point py-trello's fixed base URL at the configured one."""
        for base in TRELLO_BASES:
            if url.startswith(base + "/") or url == base:
                return self.api_url + url[len(base) :]
        return url

    def pace(self) -> None:
        """Sleep as long as any window (local or from the headers) requires."""
        while (delay := self.pacer.take()) > 0:
            self.sleep(delay)

    def wait_backoff(self, attempt: int, response: requests.Response | None) -> None:
        """Exponential backoff with jitter, or what Retry-After asks for."""
        self.retries += 1
        # (a Response is falsy when it is an error: compare with None)
        retry_after = _retry_after(response) if response is not None else None
        if retry_after is not None:
            delay = min(retry_after, MAX_RETRY_AFTER_SECONDS)
        else:
            ceiling = min(MAX_BACKOFF_SECONDS, self.backoff * 2**attempt)
            delay = ceiling * random.uniform(0.5, 1.0)  # noqa: S311 - jitter, not crypto
        self.sleep(delay)

    def sleep(self, seconds: float) -> None:
        """Wait, and count the waiting."""
        self.slept += seconds
        time.sleep(seconds)


def _may_resend(method: str, error: Exception) -> bool:
    """Only resend a POST when it surely never reached Trello (no duplicates)."""
    if method != "POST" or isinstance(error, requests.ConnectTimeout):
        return True
    reason = error.args[0] if error.args else None
    if isinstance(reason, MaxRetryError):
        return isinstance(reason.reason, NewConnectionError)
    return isinstance(reason, NewConnectionError)


def _describe(method: str, url: str, error: Exception) -> str:
    # urllib3's messages repeat the query string, which holds the token.
    path = urlsplit(url).path
    return f"{method} {path}: {type(error).__name__}"


def _retry_after(response: requests.Response) -> float | None:
    """Retry-After in seconds: a number, or an HTTP date."""
    value = response.headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return max((moment - datetime.now(UTC)).total_seconds(), 0.0)


def _header_int(response: requests.Response | None, name: str) -> int | None:
    if response is None:
        return None
    value = response.headers.get(name)
    try:
        return int(float(value)) if value is not None else None
    except ValueError:
        return None
