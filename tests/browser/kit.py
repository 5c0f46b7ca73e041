"""A live tracker on loopback for Chromium, and helpers to look at it as people do."""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from flask import Flask, got_request_exception
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page
from route_world import World, build_world
from sqlalchemy.orm import Session
from werkzeug.serving import BaseWSGIServer, make_server

from tracker import create_app, demo
from tracker.db import Base, get_session
from tracker.models.people import Person
from tracker.services import people
from tracker.services.programme import stages

CHROMIUM = Path(os.environ.get("TRACKER_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "demo"
DEMO_LOGINS = {
    "staff": "medarbetare@demo.se",
    "communicator": "kommunikator@demo.se",
    "leadership": "ledning@demo.se",
    "admin": "admin@demo.se",
}


def _static_in_memory(app: Flask) -> Any:
    """*app* with its static files answered from memory.

    Werkzeug's development server does not close a response's file when the browser
    drops the connection first (a page left while its favicon loads): the open file
    then surfaces as a ResourceWarning in whichever test runs next. gunicorn closes
    it; here the file is read and closed before the server writes anything.
    """

    def serve(environ: dict[str, Any], start_response: Any) -> Any:
        result = app(environ, start_response)
        if not str(environ.get("PATH_INFO", "")).startswith("/static/"):
            return result
        try:
            return [b"".join(result)]
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()

    return serve


@dataclass
class LiveServer:
    """The app served by werkzeug in a thread, on a fresh SQLite file with demo data."""

    url: str
    app: Flask
    server: BaseWSGIServer
    world: World
    errors: list[str] = field(default_factory=list)

    @contextmanager
    def db(self) -> Iterator[Session]:
        """A session on the live database; committed when the block ends."""
        with self.app.app_context():
            session = get_session()
            yield session
            session.commit()

    def person(self, role: str) -> Person:
        """The demo login of *role* (detached, for its id and name)."""
        with self.db() as session:
            found = people.find_by_email(session, DEMO_LOGINS[role])
            assert found is not None
            return found


def start_live_server(directory: Path) -> LiveServer:
    """Create the schema, load the demo and a world of objects, and serve."""
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{directory / 'live.sqlite'}",
            "SECRET_KEY": "browser-tests",
            "LOGIN_MAX_FAILURES": 1000,
        }
    )
    errors: list[str] = []

    def record(sender: Flask, exception: BaseException, **extra: Any) -> None:
        errors.append(repr(exception))

    got_request_exception.connect(record, app, weak=False)
    server = make_server("127.0.0.1", 0, _static_in_memory(app), threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    app.config["PUBLIC_URL"] = url
    with app.app_context():
        session = get_session()
        Base.metadata.create_all(session.get_bind())
        stages.ensure_stages(session, app.config["WORKFLOW_STAGES"])
        demo.load(session, password=PASSWORD)
        logins = {
            role: people.find_by_email(session, e) for role, e in DEMO_LOGINS.items()
        }
        world = build_world(
            session,
            {r: p for r, p in logins.items() if p},
            url,
            secret=app.config["SECRET_KEY"],
        )
        session.commit()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return LiveServer(url, app, server, world, errors)


class Watcher:
    """Everything a page says in its console, its errors and any dialog it opens."""

    def __init__(self) -> None:
        self.console: list[str] = []
        self.dialogs: list[str] = []

    def attach(self, page: Page) -> None:
        """Listen to *page*."""
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.console.append(f"pageerror: {error}"))
        page.on("dialog", self._dialog)

    def _console(self, message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            self.console.append(f"{message.type}: {message.text}")

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()


class Shots:
    """Numbered screenshots of one test's steps in test-artifacts/."""

    def __init__(self, name: str) -> None:
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", name)
        for old in self.folder.glob("*.png"):
            old.unlink()
        self.count = 0

    def __call__(self, page: Page, step: str) -> Path:
        """Save what *page* shows now, named after *step*."""
        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        slug = re.sub(r"[^\w-]+", "-", step)
        path = self.folder / f"{self.count:02d}-{slug}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


def new_context(browser: Browser, url: str, **options: Any) -> BrowserContext:
    """A fresh browser profile: Swedish, Stockholm time, a laptop's screen."""
    context = browser.new_context(
        base_url=url,
        locale="sv-SE",
        timezone_id="Europe/Stockholm",
        viewport={"width": 1280, "height": 900},
        **options,
    )
    context.set_default_timeout(10_000)
    return context


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Log in through the login form, as a person would."""
    page.goto("/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(lambda url: "/login" not in url)
