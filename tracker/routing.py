"""URL converters: what a route accepts is what the database can look up."""

from __future__ import annotations

from flask import Flask
from werkzeug.routing import IntegerConverter, Map, PathConverter, UnicodeConverter

from tracker.db import DB_INT_MAX


class IdConverter(IntegerConverter):
    """`<int:...>`: only what an id column can hold; a larger number is a 404.

    PostgreSQL refuses a number beyond its integer type with an error, which would
    otherwise surface as a server error.
    """

    def __init__(
        self,
        url_map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = DB_INT_MAX,
        signed: bool = False,
    ) -> None:
        super().__init__(url_map, fixed_digits, min, max, signed)


class SegmentConverter(UnicodeConverter):
    """`<slug>`: one path segment without NUL, which PostgreSQL cannot compare."""

    regex = "[^/\x00]+"


class PathNoNulConverter(PathConverter):
    """`<path:...>`: a path without NUL."""

    regex = "[^\x00]*?"


def init_routing(app: Flask) -> None:
    """Use these converters in every route (call before registering blueprints)."""
    # rules bind their converters when they are added, so this must come first
    app.url_map.converters.update(
        int=IdConverter,
        default=SegmentConverter,
        string=SegmentConverter,
        path=PathNoNulConverter,
    )
