"""Cached pages shared by the workers of one host, in files (PAGE_CACHE_DIR).

Each worker keeps the pages it rendered in memory (tracker.page_cache), so with
several workers a page that every write changes is rendered once per worker and
version. With PAGE_CACHE_DIR set (best on a RAM disk such as /dev/shm), the pages
that ask for it are also written to a file there, and a worker that misses a page
reads the file another worker wrote at the same version instead of rendering it.

One file per page *identity* (path, language, role, variant: never a reader), which
holds the version it was rendered at and is replaced whole (a new file renamed over
the old) by the next rendering; a file of another version, one older than the
page cache's lifetime or one that cannot be read is a miss, never an error. The
directory is one per database, so apps on other databases never share a page, and
files older than the lifetime are removed now and then.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from flask import current_app

log = logging.getLogger(__name__)
SWEEP_EVERY = 200  # files written by a worker between two sweeps of the old ones
_written = 0


def directory() -> Path | None:
    """This app's directory of shared pages, made on first use; None when unset."""
    configured = str(current_app.config.get("PAGE_CACHE_DIR") or "")
    if not configured:
        return None
    if "tracker.page_store" not in current_app.extensions:
        database = str(current_app.config.get("DATABASE_URL", ""))
        base = Path(configured)
        folder = base / hashlib.sha256(database.encode()).hexdigest()[:16]
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        safe = _ours(base) and _ours(folder)
        if not safe:
            # whoever else may write there could put a page of theirs before readers
            log.error("PAGE_CACHE_DIR %s: not the app's own, not shared", base)
        current_app.extensions["tracker.page_store"] = folder if safe else None
    return cast(Path | None, current_app.extensions["tracker.page_store"])


def _ours(path: Path) -> bool:
    """Whether *path* is owned by this process's user and writable by nobody else."""
    status = path.stat()
    return status.st_uid == os.getuid() and not status.st_mode & 0o022


def _file(folder: Path, identity: str) -> Path:
    return folder / f"{hashlib.sha256(identity.encode()).hexdigest()[:40]}.json"


def load(
    identity: str, version: str, lifetime: float
) -> tuple[float, dict[str, Any]] | None:
    """(age in seconds, payload) of the page *identity* stored at *version*, if it
    is younger than *lifetime*; None otherwise."""
    folder = directory()
    if folder is None:
        return None
    try:
        stored_text = _file(folder, identity).read_text("utf-8")
        head, _newline, text = stored_text.partition("\n")
        stored = json.loads(head)
        age = time.time() - float(stored["stored"])
    except (OSError, ValueError, KeyError, TypeError):
        return None  # none yet, or replaced while read: a miss
    if stored.get("identity") != identity or stored.get("version") != version:
        return None
    if not 0 <= age < lifetime:
        return None
    return age, {**stored.get("page", {}), "text": text}


def save(identity: str, version: str, page: dict[str, Any], lifetime: float) -> None:
    """Store *page* (its "text", and the rest as JSON) as *identity* at *version*,
    for the other workers."""
    global _written
    folder = directory()
    if folder is None:
        return
    # a line of JSON about the page, then its text as it is (no escaping to undo)
    about = {key: value for key, value in page.items() if key != "text"}
    record = {"identity": identity, "version": version, "stored": time.time()}
    head = json.dumps(record | {"page": about}, ensure_ascii=False)
    text = f"{head}\n{page['text']}"
    try:
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, _file(folder, identity))
    except OSError as error:  # a full or missing disk: the page is still served
        log.warning("page cache: could not store a page: %s", error)
        return
    _written += 1
    if _written % SWEEP_EVERY == 0:
        sweep(folder, lifetime)


def sweep(folder: Path, lifetime: float) -> int:
    """Remove the files in *folder* older than *lifetime* (they are misses anyway);
    return how many."""
    oldest = time.time() - max(lifetime, 1.0)
    removed = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            try:
                if entry.stat().st_mtime < oldest:
                    os.unlink(entry.path)
                    removed += 1
            except OSError:
                continue  # replaced or removed by another worker meanwhile
    return removed
