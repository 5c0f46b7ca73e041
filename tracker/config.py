"""Configuration: code defaults, the TOML file in TRACKER_CONFIG, TRACKER_* env."""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask import Flask

# Fixed for security, not meant to be configured, so not in config.example.toml.
INTERNAL_KEYS = {
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "WTF_CSRF_TIME_LIMIT",
}

DEFAULTS: dict[str, Any] = {
    "SECRET_KEY": "",
    "DATABASE_URL": "",  # empty: SQLite in the instance folder
    "ENGINE_OPTIONS": {},
    "PUBLIC_URL": "",  # empty: the address the app is served on (links.py)
    "BABEL_DEFAULT_LOCALE": "sv",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Stockholm",
    "LANGUAGES": ["sv", "en"],
    "WORKFLOW_STAGES": ["Planerad", "Pågår", "Klar"],
    # the process support's method steps a plan can follow, in order
    "METHOD_STEPS": [
        "Steg 1 Förbereda och förankra",
        "Steg 2 Nuläge och förståelse",
        "Steg 3 Analysera och prioritera",
        "Steg 4 Idégenerera och utveckla",
        "Steg 5 Förverkliga och lära",
    ],
    "LOGIN_MAX_FAILURES": 5,
    "LOGIN_MAX_FAILURES_PER_ADDRESS": 50,
    "LOGIN_FAILURE_WINDOW_MINUTES": 15,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,
    "PROXY_COUNT": 0,
    "WTF_CSRF_TIME_LIMIT": None,
    "MAX_CONTENT_LENGTH": 2 * 1024 * 1024,
    "SMTP": {
        "HOST": "",
        "PORT": 25,
        "USER": "",
        "PASSWORD": "",
        "STARTTLS": False,
        "SENDER": "tracker@localhost",
        "TIMEOUT": 10,
        "MAX_ATTEMPTS": 5,
    },
    "PUBLIC_READ": False,
    "PAGE_CACHE_DIR": "",  # empty: each worker keeps its pages to itself
    "PRIVACY": {
        "MAIL_RETENTION_DAYS": 90,
    },
    "RECRUITMENT": {
        "EXPERIENCE_BANDS": [2, 5, 10],
        "RETENTION_MONTHS": 12,
        "EXHAUSTIVE_LIMIT": 2_000_000,
    },
    "TRELLO": {
        "API_KEY": "",
        "TOKEN": "",
        "APP_SECRET": "",
        "API_URL": "https://api.trello.com/1",
        "WEBHOOK_CALLBACK_URL": "",
        "RECONCILE_MINUTES": 15,
        "TIMEOUT": 10,
        "MAX_RETRIES": 5,
        "OPEN_CALL_LABEL": "Öppen anmälan",
        "CHECKLIST_NAME": "Milstolpar",
        "LIST_NAMES": {},  # stage name -> list name; default: the stage's own name
        "GROUP_LABEL_COLOR": "blue",
        "OPEN_CALL_LABEL_COLOR": "green",
        "BACKOFF_SECONDS": 0.5,
        "RATE_LIMIT": 100,  # requests per 10 s per token; Trello's own cap
        "MAX_FAILURES": 3,  # failed runs in a row before a board's sync stops
        "DEBOUNCE_SECONDS": 10,
    },
    "DIGEST": {
        "MODE": "automatic",  # or "review": a communicator must publish
        "DRAFT_HOUR": 8,
        "PUBLISH_HOUR": 9,
        "PUBLISH_AFTER_WEEKDAYS": 2,
        "TIMEZONE": "Europe/Stockholm",
        "MAIL_TO": "",
        "MISFIRE_GRACE_HOURS": 12,
        "RETRY_MINUTES": 10,  # failed deliveries: 10, 20, 40 ... minutes apart
        "MAX_RETRY_HOURS": 24,
    },
    "OIDC": {
        "ISSUER": "",  # empty: no single sign-on
        "CLIENT_ID": "",
        "CLIENT_SECRET": "",
        "SCOPES": ["openid", "email", "profile"],
        "ROLE_CLAIM": "",
        "ROLE_MAP": {},  # claim value -> role
        "ALLOW_PASSWORDS": True,
        "EMAIL_VERIFIED_CLAIM": "email_verified",
        "TIMEOUT": 10,
    },
    "WORDPRESS": {
        "URL": "",
        "USER": "",
        "APP_PASSWORD": "",
        "CATEGORY": 0,
        "STATUS": "publish",
        "TIMEOUT": 10,
        "TAGS": [],  # tag ids
        "SETTLE_SECONDS": 120,  # no new create until a look-up this late finds none
    },
    "NOTIFICATIONS": {
        "DEFAULT_SCHEDULE": "weekly",  # instant, daily, weekly or never
        "SUMMARY_HOUR": 7,  # daily and weekly summaries go out at this hour
        "WEEKLY_DAY": 0,  # 0 = Monday
        "FANOUT_MINUTES": 1,
        "REMINDER_HOUR": 6,
        "DEADLINE_DAYS": 3,
        "SETTLE_MINUTES": 10,
    },
    "MATURITY": {
        # results of fewer answers than this per department and dimension are
        # never shown, not even their number
        "MIN_GROUP": 5,
        "REMINDER_DAYS": 3,  # the reminder goes this many days before a round closes
    },
    "ATTENTION": {
        "DUE_SOON_DAYS": 14,  # a milestone, end date or time box this near is due soon
        "STALE_DAYS": 30,  # an active assignment with no report this long is stale
    },
}


class ConfigError(RuntimeError):
    """The configuration has problems; the message lists all of them."""


def load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Layer defaults, the TOML file, TRACKER_* environment and the test dict."""
    app.config.from_mapping(_deep_copy(DEFAULTS))
    if test_config is None:
        if path := os.environ.get("TRACKER_CONFIG"):
            _merge(app.config, _read_toml(path))
        env = {k: v for k, v in os.environ.items() if k != "TRACKER_CONFIG"}
        overrides: dict[str, Any] = {}
        for key, value in env.items():
            if key.startswith("TRACKER_"):
                _set_nested(overrides, key.removeprefix("TRACKER_").split("__"), value)
        _merge(app.config, overrides)
    else:
        _merge(app.config, dict(test_config))
    if not app.config["DATABASE_URL"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        app.config["DATABASE_URL"] = f"sqlite:///{app.instance_path}/tracker.sqlite"
    if not app.config["SECRET_KEY"]:
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))
    _fill_public_url(app)
    if str(app.config["PUBLIC_URL"]).startswith("https://"):
        app.config["SESSION_COOKIE_SECURE"] = True  # served over HTTPS: never in clear
    check_config(app.config)


def check_config(config: Mapping[str, Any]) -> None:
    """Raise ConfigError listing every problem found in *config*."""
    problems: list[str] = []
    url = str(config["DATABASE_URL"])
    if not url.startswith(("sqlite:", "postgresql+psycopg:")):
        problems.append("DATABASE_URL must start with sqlite: or postgresql+psycopg:")
    public = urlsplit(str(config["PUBLIC_URL"]))
    if public.scheme not in {"http", "https"} or not public.netloc:
        problems.append(
            "PUBLIC_URL must be an http(s) address such as https://tracker.example.se"
        )
    try:
        ZoneInfo(str(config["BABEL_DEFAULT_TIMEZONE"]))
    except (ZoneInfoNotFoundError, ValueError):
        problems.append("BABEL_DEFAULT_TIMEZONE is not a known time zone")
    if config["BABEL_DEFAULT_LOCALE"] not in config["LANGUAGES"]:
        problems.append("BABEL_DEFAULT_LOCALE must be one of LANGUAGES")
    stages = config["WORKFLOW_STAGES"]
    if (
        not isinstance(stages, list)
        or len(stages) < 2
        or len(set(stages)) != len(stages)
    ):
        problems.append("WORKFLOW_STAGES must list at least two distinct stage names")
    method = config.get("METHOD_STEPS")
    if (
        not isinstance(method, list)
        or not method
        or not all(isinstance(name, str) and name.strip() for name in method)
        or len(set(method)) != len(method)
    ):
        problems.append("METHOD_STEPS must list distinct, non-empty step names")
    for section in (
        "SMTP",
        "PRIVACY",
        "RECRUITMENT",
        "TRELLO",
        "DIGEST",
        "WORDPRESS",
        "OIDC",
    ):
        if not isinstance(config.get(section), Mapping):
            problems.append(f"[{section}] must be a table")
    if not problems and config["DIGEST"]["MODE"] not in {"automatic", "review"}:
        problems.append('[DIGEST] MODE must be "automatic" or "review"')
    if not problems:
        problems += oidc_problems(config["OIDC"])
    problems += _privacy_problems(config)
    problems += _notification_problems(config)
    problems += _maturity_problems(config)
    problems += _attention_problems(config)
    if problems:
        raise ConfigError("Configuration problems:\n- " + "\n- ".join(problems))


def oidc_problems(oidc: Mapping[str, Any]) -> list[str]:
    """What is wrong with the [OIDC] table (single sign-on)."""
    problems: list[str] = []
    if not isinstance(oidc.get("ALLOW_PASSWORDS"), bool):
        problems.append("[OIDC] ALLOW_PASSWORDS must be true or false")
    issuer = str(oidc.get("ISSUER") or "")
    if not issuer:
        if oidc.get("ALLOW_PASSWORDS") is False:
            problems.append("[OIDC] ALLOW_PASSWORDS = false needs an ISSUER to log in")
        return problems
    parts = urlsplit(issuer)
    loopback = parts.hostname in {"127.0.0.1", "localhost", "::1"}
    if not parts.netloc or not (
        parts.scheme == "https" or (parts.scheme == "http" and loopback)
    ):
        problems.append("[OIDC] ISSUER must be an https:// address")
    for key in ("CLIENT_ID", "CLIENT_SECRET"):
        if not isinstance(oidc.get(key), str) or not oidc.get(key):
            problems.append(f"[OIDC] {key} is required when ISSUER is set")
    scopes = oidc.get("SCOPES")
    if not isinstance(scopes, list) or "openid" not in scopes:
        problems.append('[OIDC] SCOPES must be a list that includes "openid"')
    if not isinstance(oidc.get("ROLE_CLAIM"), str):
        problems.append("[OIDC] ROLE_CLAIM must be a claim name or empty")
    roles = {"staff", "communicator", "leadership", "admin"}
    role_map = oidc.get("ROLE_MAP")
    if not isinstance(role_map, Mapping) or not set(role_map.values()) <= roles:
        problems.append(
            "[OIDC] ROLE_MAP must map claim values to staff, communicator, "
            "leadership or admin"
        )
    if not isinstance(oidc.get("EMAIL_VERIFIED_CLAIM"), str):
        problems.append("[OIDC] EMAIL_VERIFIED_CLAIM must be a claim name")
    return problems


def _privacy_problems(config: Mapping[str, Any]) -> list[str]:
    problems = []
    if not isinstance(config["PUBLIC_READ"], bool):
        problems.append("PUBLIC_READ must be true or false")
    days = (
        config["PRIVACY"].get("MAIL_RETENTION_DAYS")
        if isinstance(config["PRIVACY"], Mapping)
        else None
    )
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        problems.append(
            "[PRIVACY] MAIL_RETENTION_DAYS must be a number of days (1 or more)"
        )
    return problems


LOCAL_URL = "http://127.0.0.1:5000"
SERVED_URL_FILE = "served_url"  # written by `tracker serve` and `tracker demo`


def _fill_public_url(app: Flask) -> None:
    """Without PUBLIC_URL, the address the app was last served on stands in for it
    outside requests (CLI, scheduler); requests use their own address."""
    app.config["PUBLIC_URL_CONFIGURED"] = bool(str(app.config["PUBLIC_URL"]).strip())
    if app.config["PUBLIC_URL_CONFIGURED"]:
        return
    served = Path(app.instance_path) / SERVED_URL_FILE
    text = served.read_text().strip() if served.is_file() else ""
    app.config["PUBLIC_URL"] = text or LOCAL_URL


def _notification_problems(config: Mapping[str, Any]) -> list[str]:
    section = config.get("NOTIFICATIONS")
    if not isinstance(section, Mapping):
        return ["[NOTIFICATIONS] must be a table"]
    problems = []
    if section.get("DEFAULT_SCHEDULE") not in {"instant", "daily", "weekly", "never"}:
        problems.append(
            '[NOTIFICATIONS] DEFAULT_SCHEDULE must be "instant", "daily", "weekly" '
            'or "never"'
        )
    for key, low, high in (
        ("SUMMARY_HOUR", 0, 23),
        ("REMINDER_HOUR", 0, 23),
        ("WEEKLY_DAY", 0, 6),
        ("FANOUT_MINUTES", 1, 1440),
        ("DEADLINE_DAYS", 1, 60),
        ("SETTLE_MINUTES", 0, 1440),
    ):
        value = section.get(key)
        if not isinstance(value, int) or not low <= value <= high:
            problems.append(
                f"[NOTIFICATIONS] {key} must be a whole number, {low}–{high}"
            )
    return problems


def _maturity_problems(config: Mapping[str, Any]) -> list[str]:
    section = config.get("MATURITY")
    if not isinstance(section, Mapping):
        return ["[MATURITY] must be a table"]
    problems = []
    # fewer than five answers per group could point out a person's answer
    for key, low, high in (("MIN_GROUP", 5, 1000), ("REMINDER_DAYS", 1, 60)):
        value = section.get(key)
        if not isinstance(value, int) or not low <= value <= high:
            problems.append(f"[MATURITY] {key} must be a whole number, {low}–{high}")
    return problems


def _attention_problems(config: Mapping[str, Any]) -> list[str]:
    section = config.get("ATTENTION")
    if not isinstance(section, Mapping):
        return ["[ATTENTION] must be a table"]
    return [
        f"[ATTENTION] {key} must be a whole number of days, 1–365"
        for key in ("DUE_SOON_DAYS", "STALE_DAYS")
        if not isinstance(section.get(key), int)
        or isinstance(section.get(key), bool)
        or not 1 <= section[key] <= 365
    ]


def _read_toml(path: str) -> dict[str, Any]:
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except OSError as error:
        raise ConfigError(f"TRACKER_CONFIG: cannot read {path}: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(
            f"TRACKER_CONFIG: {path} is not valid TOML: {error}"
        ) from error
    lower = [key for key in data if not key.isupper()]
    if lower:
        raise ConfigError(f"Configuration keys must be UPPERCASE: {', '.join(lower)}")
    return data


def _set_nested(target: dict[str, Any], keys: list[str], raw: str) -> None:
    for key in keys[:-1]:
        target = target.setdefault(key, {})
    target[keys[-1]] = _parse_env_value(raw)


def _parse_env_value(raw: str) -> Any:
    """Read env values as TOML scalars/arrays when they parse, else as plain strings."""
    try:
        return tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        return raw


def _merge(target: Any, updates: Mapping[str, Any]) -> None:
    for key, value in updates.items():
        current = target.get(key)
        if isinstance(value, Mapping) and isinstance(current, dict):
            _merge(current, value)
        else:
            target[key] = value


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return list(value)
    return value


def _instance_secret(instance: Path) -> str:
    """A random key kept in the instance folder, so a demo needs no set-up."""
    instance.mkdir(parents=True, exist_ok=True)
    path = instance / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()
