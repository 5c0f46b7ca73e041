"""Personal data: blank old applications, and everything about a person as JSON."""

from tracker.services.privacy.purge import export, purge

__all__ = ["export", "purge"]
