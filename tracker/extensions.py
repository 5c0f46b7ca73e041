"""Flask extensions shared by the app and the sync, unbound until create_app."""

from __future__ import annotations

from flask_wtf.csrf import CSRFProtect

csrf = CSRFProtect()
