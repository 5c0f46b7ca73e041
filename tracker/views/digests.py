"""The communicators' monthly digest workflow (see the digest issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("digests", __name__, url_prefix="/manadsbrev")
