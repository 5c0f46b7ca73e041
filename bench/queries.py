"""SQL queries per page at 1x and 20x the demo data: the counts must not grow (no N+1).

Usage: python bench/queries.py [--postgres URL]
Builds a temporary SQLite database (or uses the given empty PostgreSQL database),
loads the demo programme, counts the queries of the main pages as the leadership login
(and the pages with a reader's own attention list as the staff login), scales the data
to 20x the demo (bench/scale.py) and counts again. "cold" rows empty the page cache
first (tracker.page_cache), so they count a full render; the others may be served
from it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event, func, select

sys.path.insert(0, str(Path(__file__).parent))

from scale import scale

from tracker import create_app
from tracker.cli.core import migrate
from tracker.db import get_session
from tracker.demo import load
from tracker.models import ActivityEvent, Assignment, Person, WorkingGroup

PAGES = {
    "overview": "/",
    "overview cold": "/",
    "plans": "/plans/",
    "plan": "/plans/bli-en-processorganisation",
    "plan cold": "/plans/bli-en-processorganisation",
    "assignment": None,  # filled with the first assignment's id
    "group": "/groups/utvecklingsgruppen",
    "activity": "/activity/",
    "notiser": "/notiser/",
    "me": "/me/",
    # search: a surname, a word in progress reports, a common word of every kind
    "sok:namn": "/search/?q=Olsson",
    "sok:rapport": "/search/?q=workshoppar",
    "sok:process": "/search/?q=process",
    "sok:beslut": "/search/?q=beslut",
    "sok:stam": "/search/?q=workshopen",
}
# as the staff login: their own "Läget nu" is filled into the cached overview
STAFF_PAGES = {"staff overview": "/", "staff me": "/me/"}


def count_queries(app, client, url, *, cold=False):  # type: ignore[no-untyped-def]
    # reads on PostgreSQL go through the autocommit pool (tracker.db)
    engines = {
        app.extensions[k]
        for k in ("tracker.engine", "tracker.read_engine")
        if k in app.extensions
    }
    counter = {"n": 0}
    if cold:  # the pages and the values they share (page_cache.shared)
        app.extensions.get("tracker.page_cache", {}).clear()
        app.extensions.get("tracker.shared_values", {}).clear()

    def on_execute(*_args):  # type: ignore[no-untyped-def]
        counter["n"] += 1

    for engine in engines:
        event.listen(engine, "before_cursor_execute", on_execute)
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    for engine in engines:
        event.remove(engine, "before_cursor_execute", on_execute)
    assert response.status_code == 200, (url, response.status_code)
    return counter["n"], elapsed


def sizes(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        session = get_session()
        return {
            m.__name__: session.scalar(select(func.count()).select_from(m))
            for m in (Assignment, WorkingGroup, Person, ActivityEvent)
        }


def measure(app):  # type: ignore[no-untyped-def]
    client = app.test_client()
    client.post("/login", data={"email": "ledning@demo.se", "password": "demo"})
    with app.app_context():
        first = get_session().scalar(select(Assignment.id).order_by(Assignment.id))
    pages = dict(PAGES, assignment=f"/assignments/{first}")
    client.get("/")  # warm up templates
    app.extensions.get("tracker.shared_values", {}).clear()  # as in a new worker
    counts = {
        name: count_queries(app, client, url, cold=name.endswith("cold"))
        for name, url in pages.items()
    }
    staff = app.test_client()
    staff.post("/login", data={"email": "medarbetare@demo.se", "password": "demo"})
    staff.get("/")
    counts |= {
        name: count_queries(app, staff, url) for name, url in STAFF_PAGES.items()
    }
    return counts


def main() -> None:
    """Print the query counts per page at both sizes."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--postgres", help="an EMPTY postgresql+psycopg:// database")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.postgres or f"sqlite:///{tmp}/bench.sqlite"
        app = create_app(
            {"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
        )
        with app.app_context():
            migrate()
            load(get_session(), password="demo")
            get_session().commit()
        one = measure(app)
        small = sizes(app)
        with app.app_context():
            scale(get_session(), factor=20)
            get_session().commit()
        twenty = measure(app)
        large = sizes(app)
    print(f"database: {url.split(':')[0]}")
    print(f"rows 1x:  {small}")
    print(f"rows 20x: {large}")
    print(f"{'page':<16}{'queries 1x':>12}{'queries 20x':>13}{'ms 1x':>9}{'ms 20x':>9}")
    for name in [*PAGES, *STAFF_PAGES]:
        (q1, t1), (q20, t20) = one[name], twenty[name]
        flag = "" if q1 == q20 else "  <-- grows with the data"
        print(f"{name:<16}{q1:>12}{q20:>13}{t1 * 1000:>9.1f}{t20 * 1000:>9.1f}{flag}")


if __name__ == "__main__":
    main()
