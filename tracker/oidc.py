"""Single sign-on with OpenID Connect through Authlib: the code flow with PKCE.

Authlib keeps the state, the nonce and the PKCE verifier of a login in the Flask
session, checks the state on the way back, and the ID token's signature, issuer,
audience and nonce. This module adds the userinfo claims, the logout address and one
translation of everything that can go wrong into a Swedish message and a status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.base_client import MismatchingStateError
from authlib.integrations.flask_client import OAuth
from flask import Flask, current_app, request
from flask_babel import gettext as _
from joserfc.errors import JoseError
from werkzeug.wrappers import Response

from tracker.services.accounts.sso import SsoSettings

T = TypeVar("T")


class SsoError(Exception):
    """A login through the identity provider failed; *status* says whose fault."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def init_app(app: Flask) -> None:
    """Register the identity provider when [OIDC] ISSUER is set."""
    config = app.config["OIDC"]
    if not config["ISSUER"]:
        return
    oauth = OAuth(app)
    app.extensions["tracker.oidc"] = oauth.register(
        "oidc",
        client_id=config["CLIENT_ID"],
        client_secret=config["CLIENT_SECRET"],
        server_metadata_url=str(config["ISSUER"]).rstrip("/")
        + "/.well-known/openid-configuration",
        client_kwargs={
            "scope": " ".join(config["SCOPES"]),
            "code_challenge_method": "S256",
            "default_timeout": float(config["TIMEOUT"]),
        },
    )


def enabled() -> bool:
    """Whether single sign-on is configured."""
    return "tracker.oidc" in current_app.extensions


def settings() -> SsoSettings:
    """The [OIDC] keys the linking service needs."""
    config = current_app.config["OIDC"]
    return SsoSettings(
        role_claim=config["ROLE_CLAIM"],
        role_map=dict(config["ROLE_MAP"]),
        verified_claim=config["EMAIL_VERIFIED_CLAIM"],
    )


def public_url(path: str) -> str:
    """*path* on the app's public address (what is registered at the provider)."""
    return str(current_app.config["PUBLIC_URL"]).rstrip("/") + path


def redirect_to_provider() -> Response:
    """Send the browser to the provider's sign-in, with state, nonce and PKCE."""
    client = _client()
    response: Response = _calling_provider(
        lambda: client.authorize_redirect(public_url("/login/sso/callback"))
    )
    return response


def finish_login() -> tuple[dict[str, Any], str]:
    """Check the provider's answer to this browser; return its claims and ID token."""
    client = _client()
    if error := request.args.get("error"):
        raise _provider_said(error)
    token = _calling_provider(client.authorize_access_token)
    claims = dict(token.get("userinfo") or {})
    if "id_token" not in token or not claims.get("sub"):
        raise _unusable()
    if _metadata(client).get("userinfo_endpoint"):
        extra = dict(_calling_provider(lambda: client.userinfo(token=token)))
        if extra.get("sub") != claims["sub"]:  # OpenID Connect Core 5.3.2
            raise _unusable()
        claims = extra | claims  # what the signed ID token says wins
    return claims, str(token["id_token"])


def logout_url(id_token: str) -> str | None:
    """The provider's logout address for this login (None when it has none or is
    down: the login here has ended all the same)."""
    client = _client()
    try:
        if not _metadata(client).get("end_session_endpoint"):
            return None
        result = client.create_logout_url(
            post_logout_redirect_uri=public_url("/login"),
            id_token_hint=id_token,
            client_id=client.client_id,
        )
    except (requests.RequestException, ValueError, RuntimeError):
        return None
    return str(result["url"])


def _client() -> Any:
    return current_app.extensions["tracker.oidc"]


def _metadata(client: Any) -> dict[str, Any]:
    return dict(_calling_provider(client.load_server_metadata))


def _calling_provider(call: Callable[[], T]) -> T:
    """Run *call*, turning every failure into an SsoError with a Swedish message."""
    try:
        return call()
    except MismatchingStateError as error:
        raise SsoError(
            _(
                "The answer from the sign-in service does not belong to a login "
                "started in this browser. Start again."
            ),
            400,
        ) from error
    except (requests.ConnectionError, requests.Timeout) as error:
        raise _down() from error
    except requests.HTTPError as error:
        status = error.response.status_code if error.response is not None else 502
        raise (_down() if status >= 500 else _refused()) from error
    except (AuthlibBaseError, JoseError, ValueError, KeyError) as error:
        # an error answer (access_denied, invalid_grant), a wrong nonce or signature,
        # or something that is not JSON: the login cannot be trusted
        raise _refused() from error


def _provider_said(error: str) -> SsoError:
    """The provider's error answer (RFC 6749 4.1.2.1, OpenID Connect Core 3.1.2.6)."""
    if error in {"server_error", "temporarily_unavailable"}:
        return _down()
    if error in {"access_denied", "login_required", "consent_required"}:
        return SsoError(
            _(
                "The login was cancelled or refused at the organisation's sign-in "
                "service. Start again if you want to log in."
            ),
            403,
        )
    return _refused()


def _unusable() -> SsoError:
    return SsoError(_("The sign-in service sent an answer that cannot be used."), 400)


def _down() -> SsoError:
    return SsoError(
        _(
            "The organisation's sign-in service does not answer just now. Try again "
            "in a while."
        ),
        503,
    )


def _refused() -> SsoError:
    return SsoError(
        _(
            "The login through the organisation's sign-in service could not be "
            "completed. Start again; if it keeps failing, ask an administrator."
        ),
        400,
    )
