"""A loopback HTTP proxy that holds requests, answers late, or drops answers.

It stands in front of a fake server the way a slow network or an overloaded
WordPress does: a request it holds is still delivered (late) after the client
has given up, and a dropped answer means the request was carried out but the
client never hears so.
"""

from __future__ import annotations

import http.client
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


@dataclass
class DelayProxy:
    """Forward to *upstream*; per method: hold the request, delay or drop answers."""

    upstream: str
    hold: dict[str, float] = field(default_factory=dict)  # method -> seconds
    answer_delay: dict[str, float] = field(default_factory=dict)
    drop_answers: set[str] = field(default_factory=set)
    forwarded: list[tuple[str, str]] = field(default_factory=list)
    _in_flight: int = 0
    _lock: threading.Condition = field(default_factory=threading.Condition)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> DelayProxy:
        proxy = self

        class Handler(_Handler):
            owner = proxy

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

    def wait_idle(self, timeout: float = 30.0) -> None:
        """Until every held request has reached the upstream server."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while self._in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError("requests still held by the proxy")
                self._lock.wait(left)

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1
            self._lock.notify_all()


class _Handler(BaseHTTPRequestHandler):
    owner: DelayProxy
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        self._forward("GET")

    def do_POST(self) -> None:
        self._forward("POST")

    def do_DELETE(self) -> None:
        self._forward("DELETE")

    def _forward(self, method: str) -> None:
        proxy = self.owner
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() != "host"}
        proxy._enter()
        try:
            time.sleep(proxy.hold.get(method, 0.0))
            target = urlsplit(proxy.upstream)
            connection = http.client.HTTPConnection(
                target.hostname or "127.0.0.1", target.port, timeout=30
            )
            connection.request(method, self.path, body=body, headers=headers)
            answer = connection.getresponse()
            payload = answer.read()
            proxy.forwarded.append((method, self.path))
        finally:
            proxy._leave()
        if method in proxy.drop_answers:
            self.close_connection = True
            self.connection.close()  # carried out, but the client never hears so
            return
        time.sleep(proxy.answer_delay.get(method, 0.0))
        try:
            self.send_response(answer.status)
            for key, value in answer.getheaders():
                if key.lower() not in {
                    "transfer-encoding",
                    "connection",
                    "date",
                    "server",
                }:
                    self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up first
