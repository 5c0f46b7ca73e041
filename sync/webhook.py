"""Trello's webhooks: register one per board; receive, verify and queue events."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from flask import current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from sync.client import TrelloApi
from sync.views import bp
from tracker import clock
from tracker.auth import public
from tracker.db import get_session
from tracker.models.trello import TrelloBoard

WEBHOOK_PATH = "/trello/webhook"
# Trello's action payloads are a few kilobytes; anything far larger is not from it
MAX_PAYLOAD_BYTES = 256 * 1024


def callback_url(config: Mapping[str, Any]) -> str:
    """The callback Trello posts to, exactly as registered (it is in the signature)."""
    configured = str(config["TRELLO"].get("WEBHOOK_CALLBACK_URL") or "")
    return configured or str(config["PUBLIC_URL"]).rstrip("/") + WEBHOOK_PATH


def signature(secret: str, body: bytes, callback: str) -> str:
    """base64(HMAC-SHA1(app secret, raw body + callback URL))."""
    digest = hmac.new(secret.encode(), body + callback.encode(), hashlib.sha1)
    return base64.b64encode(digest.digest()).decode()


def verify(secret: str, body: bytes, callback: str, header: str) -> bool:
    """Whether X-Trello-Webhook proves the event came from Trello."""
    if not secret or not header:
        return False
    return hmac.compare_digest(signature(secret, body, callback), header)


@bp.route("/webhook", methods=["GET", "HEAD", "POST"])
@public  # Trello cannot log in; the signature is checked instead of a role
def trello_webhook() -> ResponseReturnValue:
    """Answer Trello's HEAD check; queue a verified event for a debounced reconcile."""
    if request.method == "HEAD":
        return "", 200
    if request.method != "POST":
        return "", 401
    if (request.content_length or 0) > MAX_PAYLOAD_BYTES:
        return "", 413
    body = request.stream.read(MAX_PAYLOAD_BYTES + 1)
    if len(body) > MAX_PAYLOAD_BYTES:
        return "", 413
    secret = str(current_app.config["TRELLO"].get("APP_SECRET") or "")
    header = request.headers.get("X-Trello-Webhook", "")
    if not verify(secret, body, callback_url(current_app.config), header):
        return "", 401
    payload = parse_payload(body)
    if payload is None:
        return "", 400
    session = get_session()
    outcome = note_event(session, payload, clock.now())
    session.commit()
    # 410 tells Trello to drop a webhook for a board the tracker no longer knows.
    return "", 410 if outcome == "unknown" else 200


def parse_payload(body: bytes) -> dict[str, Any] | None:
    """The event as Trello documents it, or None for any other shape."""
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
        return None
    if not isinstance(payload, dict):
        return None
    action, model = payload.get("action", {}), payload.get("model", {})
    if not isinstance(action, dict) or not isinstance(model, dict):
        return None
    data = action.get("data", {})
    board = data.get("board", {}) if isinstance(data, dict) else None
    if not isinstance(board, dict):
        return None
    ids = (model.get("id"), board.get("id"), action.get("idMemberCreator"))
    if not all(value is None or isinstance(value, str) for value in ids):
        return None
    return payload


def note_event(session: Session, payload: dict[str, Any], now: datetime) -> str:
    """Mark the board for a reconcile; echoes of the tracker's own writes are not."""
    action = payload.get("action") or {}
    board_id = (payload.get("model") or {}).get("id") or (
        (action.get("data") or {}).get("board") or {}
    ).get("id")
    link = session.scalars(
        select(TrelloBoard).where(TrelloBoard.board_id == str(board_id))
    ).one_or_none()
    if link is None:
        return "unknown"
    creator = action.get("idMemberCreator")
    if creator and creator == link.token_member_id:
        return "echo"  # our own write: the board already says what we wrote
    session.execute(
        update(TrelloBoard)
        .where(TrelloBoard.id == link.id)
        .values(
            event_first_at=func.coalesce(TrelloBoard.event_first_at, now),
            event_last_at=now,
        )
    )
    return "queued"


def register_webhooks(
    session: Session, api: TrelloApi, callback: str
) -> tuple[int, int]:
    """One webhook per linked board; returns (created, already there)."""
    member = api.token_member()
    hooks = {
        hook["idModel"]: hook
        for hook in api.webhooks()
        if hook.get("callbackURL") == callback
    }
    created = kept = 0
    for link in session.scalars(select(TrelloBoard).order_by(TrelloBoard.id)):
        link.token_member_id = member["id"]
        hook = hooks.get(link.board_id)
        if hook is None:
            hook = api.create_webhook(link.board_id, callback, "tracker")
            created += 1
        else:
            kept += 1
        link.webhook_id = hook["id"]
    session.flush()
    return created, kept
