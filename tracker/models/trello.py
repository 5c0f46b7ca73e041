"""Models of the trello area (filled in by its issue)."""

from __future__ import annotations
