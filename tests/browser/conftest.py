"""One Chromium and one live server per test session; a fresh profile per test."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from browser.kit import (
    CHROMIUM,
    CHROMIUM_ARGS,
    DEMO_LOGINS,
    LiveServer,
    Shots,
    Watcher,
    log_in,
    new_context,
    start_live_server,
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Everything in tests/browser is a browser test."""
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium; missing on CI is a failure, elsewhere a visible skip."""
    if not CHROMIUM.exists():
        message = f"Chromium is missing at {CHROMIUM} (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_server(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[LiveServer]:
    """The demo programme served on 127.0.0.1 for the whole session."""
    server = start_live_server(tmp_path_factory.mktemp("live"))
    yield server
    server.server.shutdown()


@pytest.fixture
def server_errors(live_server: LiveServer) -> Iterator[list[str]]:
    """Fail the test if the server raised while it ran (a 500 is a bug)."""
    start = len(live_server.errors)
    yield live_server.errors
    assert live_server.errors[start:] == [], "the server raised during the test"


@pytest.fixture(scope="session")
def storage_states(
    browser: Browser, live_server: LiveServer
) -> Callable[[str], dict[str, Any]]:
    """Log each role in once, through the login form, and reuse its cookies."""
    states: dict[str, dict[str, Any]] = {}

    def state(role: str) -> dict[str, Any]:
        if role not in states:
            context = new_context(browser, live_server.url)
            page = context.new_page()
            if role != "anonymous":
                log_in(page, DEMO_LOGINS[role])
            states[role] = context.storage_state()
            context.close()
        return states[role]

    return state


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    """Screenshots of this test's steps."""
    return Shots(request.node.name)


@pytest.fixture
def watcher() -> Watcher:
    """The console messages and dialogs of this test's pages."""
    return Watcher()


@pytest.fixture
def open_as(
    browser: Browser,
    live_server: LiveServer,
    storage_states: Callable[[str], dict[str, Any]],
    watcher: Watcher,
    server_errors: list[str],
) -> Iterator[Callable[[str], Page]]:
    """A page in a fresh profile logged in as a role ("anonymous" for none)."""
    contexts = []

    def open_page(role: str) -> Page:
        context = new_context(
            browser, live_server.url, storage_state=storage_states(role)
        )
        contexts.append(context)
        page = context.new_page()
        watcher.attach(page)
        return page

    yield open_page
    for context in contexts:
        context.close()
