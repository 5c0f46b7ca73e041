"""A real OpenID Provider for the single sign-on tests: tests/oidc/provider.mjs.

It runs the certified oidc-provider package from npm (`npm ci --prefix tests/oidc`,
done by .ci/run) on 127.0.0.1. `sign_in` plays the person at the provider's sign-in
page with plain HTTP, the way a browser would, and stops where the provider sends the
browser back to the tracker.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests

HERE = Path(__file__).parent / "oidc"
CLIENT_ID = "tracker"
CLIENT_SECRET = "tracker-test-secret"
# Who can sign in at the test provider, and what it says about them
ACCOUNTS: dict[str, dict[str, Any]] = {
    "lena": {
        "email": "lena.sso@demo.se",
        "email_verified": True,
        "name": "Lena Ledare",
        "groups": ["tracker-ledning", "alla-anstallda"],
    },
    "sam": {"email": "sam.sso@demo.se", "email_verified": True, "name": "Sam Svensson"},
    "ove": {"email": "ove.sso@demo.se", "email_verified": False, "name": "Ove"},
    "nomail": {"name": "Utan Adress"},
}


@dataclass
class Provider:
    """A running provider: its issuer address and its accounts file."""

    issuer: str
    process: subprocess.Popen[str]
    accounts_file: Path

    def set_accounts(self, accounts: dict[str, dict[str, Any]]) -> None:
        """Change what the provider says about people (read at each sign-in)."""
        self.accounts_file.write_text(json.dumps(accounts))

    def stop(self) -> None:
        """Stop the provider."""
        if self.process.stdin:
            self.process.stdin.close()
        self.process.terminate()
        self.process.wait(timeout=10)
        if self.process.stdout:
            self.process.stdout.close()


def start_provider(
    directory: Path, redirect_uris: list[str], post_logout_uris: list[str]
) -> Provider:
    """Start tests/oidc/provider.mjs; a missing install fails on CI, skips elsewhere."""
    node = shutil.which("node")
    if node is None or not (HERE / "node_modules" / "oidc-provider").is_dir():
        message = (
            "the test OpenID provider is not installed: npm ci --prefix tests/oidc"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    accounts_file = directory / "oidc-accounts.json"
    accounts_file.write_text(json.dumps(ACCOUNTS))
    env = os.environ | {
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URIS": ",".join(redirect_uris),
        "OIDC_POST_LOGOUT_REDIRECT_URIS": ",".join(post_logout_uris),
        "OIDC_ACCOUNTS_FILE": str(accounts_file),
    }
    process = subprocess.Popen(  # noqa: S603 - our own script, no shell
        [node, str(HERE / "provider.mjs")],
        cwd=HERE,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert process.stdout is not None
    line = process.stdout.readline()
    assert line.startswith("listening "), f"the provider did not start: {line!r}"
    return Provider(line.split()[1], process, accounts_file)


def oidc_config(issuer: str, **overrides: Any) -> dict[str, Any]:
    """The tracker's [OIDC] table for this provider."""
    return {
        "ISSUER": issuer,
        "CLIENT_ID": CLIENT_ID,
        "CLIENT_SECRET": CLIENT_SECRET,
        "SCOPES": ["openid", "email", "profile"],
        "ROLE_CLAIM": "groups",
        "ROLE_MAP": {"tracker-ledning": "leadership", "tracker-admin": "admin"},
        "TIMEOUT": 5,
    } | overrides


def sign_in(
    authorize_url: str, login: str, back_to: str, *, abort: bool = False
) -> str:
    """Sign in as *login* at the provider (or cancel); return where it sends the
    browser back (an address starting with *back_to*)."""
    browser = requests.Session()
    url = authorize_url
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if response.status_code == 200 and "/interaction/" in url:
            action = "abort" if abort else "login"
            form = re.search(rf'action="(/interaction/[\w-]+/{action})"', response.text)
            assert form, response.text
            response = browser.post(
                urljoin(url, form.group(1)),
                data={"login": login, "password": "egal"},
                allow_redirects=False,
                timeout=10,
            )
        assert response.status_code in (302, 303), response.text
        url = urljoin(url, response.headers["Location"])
        if url.startswith(back_to):
            return url
    raise AssertionError("the provider never sent the browser back")
