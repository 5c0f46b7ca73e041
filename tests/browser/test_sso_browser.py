"""Single sign-on in Chromium: log in at a real OpenID Provider, get the mapped role,
log out here and there."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, got_request_exception
from oidc_provider import Provider, oidc_config, start_provider
from playwright.sync_api import Browser, Page, expect
from werkzeug.serving import BaseWSGIServer, make_server

from browser.kit import Shots, Watcher, new_context
from browser.test_a11y import axe_violations
from tracker import create_app, demo
from tracker.db import Base, get_session
from tracker.services import people
from tracker.services.programme import stages


class SsoServer:
    """The tracker with [OIDC] pointing at a provider registered for it."""

    def __init__(self, directory: Path) -> None:
        # The port must be known before the app exists: the provider registers the
        # callback, and the app's configuration names the provider.
        self.socket = socket.socket()
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(32)
        self.url = f"http://127.0.0.1:{self.socket.getsockname()[1]}"
        try:
            self.provider: Provider = start_provider(
                directory, [f"{self.url}/login/sso/callback"], [f"{self.url}/login"]
            )
        except BaseException:  # a skip (no provider installed) or a failure
            self.socket.close()  # else a later test fails on its ResourceWarning
            raise
        self.app = self._app(directory)
        self.errors: list[str] = []
        got_request_exception.connect(self._record, self.app, weak=False)
        self.server: BaseWSGIServer = make_server(
            "127.0.0.1", 0, self.app, threaded=True, fd=self.socket.fileno()
        )
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def _app(self, directory: Path) -> Flask:
        app = create_app(
            {
                "DATABASE_URL": f"sqlite:///{directory / 'sso.sqlite'}",
                "SECRET_KEY": "browser-sso",
                "PUBLIC_URL": self.url,
                "OIDC": oidc_config(self.provider.issuer),
            }
        )
        with app.app_context():
            session = get_session()
            Base.metadata.create_all(session.get_bind())
            stages.ensure_stages(session, app.config["WORKFLOW_STAGES"])
            demo.load(session, password="demo")
            session.commit()
        return app

    def _record(self, sender: Flask, exception: BaseException, **extra: Any) -> None:
        self.errors.append(repr(exception))

    def stop(self) -> None:
        """Stop the tracker and the provider."""
        self.server.shutdown()
        self.server.server_close()
        self.socket.close()
        self.provider.stop()


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SsoServer]:
    """A tracker and its identity provider, for this module."""
    server = SsoServer(tmp_path_factory.mktemp("sso"))
    yield server
    server.stop()


@pytest.fixture
def page(browser: Browser, sso_server: SsoServer, watcher: Watcher) -> Iterator[Page]:
    """A fresh browser profile on the tracker."""
    context = new_context(browser, sso_server.url)
    opened = context.new_page()
    watcher.attach(opened)
    yield opened
    context.close()


def sign_in_at_provider(page: Page, login: str) -> None:
    """What a person does on the provider's sign-in page."""
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("Login").fill(login)
    page.get_by_label("Password").fill("whatever")
    page.get_by_role("button", name="Sign in").click()


def test_log_in_and_out_through_the_organisation_account(
    page: Page, sso_server: SsoServer, shots: Shots, watcher: Watcher
) -> None:
    """The whole round: provider login, the mapped role, logout at both ends."""
    page.goto("/login")
    assert axe_violations(page) == []
    shots(page, "login-page")
    page.get_by_role("link", name="Logga in med organisationens konto").click()
    page.wait_for_url(f"{sso_server.provider.issuer}/**")
    shots(page, "provider-sign-in")
    sign_in_at_provider(page, "lena")
    page.wait_for_url(f"{sso_server.url}/")
    expect(page.locator(".flash")).to_contain_text("Du är inloggad.")
    expect(page.locator(".logout-form")).to_contain_text("Lena Ledare")
    # the groups claim's "tracker-ledning" maps to leadership
    expect(page.get_by_role("link", name="Trello-synk")).to_be_visible()
    page.goto("/plans/new")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Ingen behörighet")
    shots(page, "logged-in-as-leadership")
    with sso_server.app.app_context():
        person = people.find_by_email(get_session(), "lena.sso@demo.se")
        assert person is not None and person.role.value == "leadership"

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{sso_server.provider.issuer}/**")
    shots(page, "provider-sign-out")
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{sso_server.url}/login**")
    expect(page.locator(".flash")).to_contain_text("Du är utloggad.")
    shots(page, "logged-out")
    page.goto("/me/")
    assert "/login" in page.url
    # the provider's session ended too: it asks who you are again
    page.goto("/login")
    page.get_by_role("link", name="Logga in med organisationens konto").click()
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    assert sso_server.errors == []
    assert [m for m in watcher.console if "Content Security Policy" in m] == []


def test_an_unverified_address_gets_a_clear_answer(
    page: Page, sso_server: SsoServer, shots: Shots
) -> None:
    """A refused identity sees why, in Swedish, and is not logged in."""
    page.goto("/login")
    page.get_by_role("link", name="Logga in med organisationens konto").click()
    sign_in_at_provider(page, "ove")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Inloggningen lyckades inte"
    )
    expect(page.get_by_role("alert")).to_contain_text("ingen bekräftad e-postadress")
    assert axe_violations(page) == []
    shots(page, "refused")
    page.goto("/me/")
    assert "/login" in page.url
    assert sso_server.errors == []
