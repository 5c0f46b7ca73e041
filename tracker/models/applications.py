"""Models of the applications area (filled in by its issue)."""

from __future__ import annotations
