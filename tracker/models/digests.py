"""Models of the digests area (filled in by its issue)."""

from __future__ import annotations
