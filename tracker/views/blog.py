"""The built-in blog where published digests appear (see the digest issue)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("blog", __name__, url_prefix="/blogg")
