"""Models of the mail area (filled in by its issue)."""

from __future__ import annotations
