"""Mixed benchmark: page reads and writes together on the large database.

Usage: python bench/generate_large.py && python bench/mixed.py [--seconds 30]

gunicorn (2 workers, as bench/load.py) on the large database; 16 client threads,
each request drawn at random: 90 % reads spread evenly over the overview, a plan
page, an assignment page, a group page and the activity feed, 10 % writes spread
evenly over stage moves, progress reports and milestone ticks, on the plan's
assignments. Reads alternate between the leadership and the staff login, writes
between the leadership and the admin login (each with its own CSRF token). Then
the same client runs reads alone for the same time (the read-only throughput of the
same setup). Prints throughput and p50/p99 per kind as Markdown.

Every write commits and so changes the data version: the overview, the plan page
and the activity feed (which show every write) go stale, and their next read is a
miss, rendered once per host (PAGE_CACHE_DIR, as bench/load.py sets it) and reusing
what the write did not touch (the other plans' shares of Läget nu and counts, the
kept cards and lines). The assignment page read is one assignment of the plan, and
the group page a group outside it: they are keyed by their own rows' change stamps
(page_cache.scoped_version), so a write elsewhere leaves them cached.
"""

from __future__ import annotations

import argparse
import http.client
import random
import re
import statistics
import sys
import threading
import time
import urllib.parse
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).parent))

from load import AGENT, SERVER, free_port, log_in, start_gunicorn, worker_rss

READS = ("overview", "plan", "assignment", "group", "activity")
WRITES = ("move", "report", "tick")
WRITE_SHARE, TARGET_P99_MS, TARGET_READ_SHARE = 0.10, 250.0, 0.50
READERS = ("ledning@demo.se", "medarbetare@demo.se")
WRITERS = ("ledning@demo.se", "admin@demo.se")
TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


def setup(database: str, server: str) -> dict[str, Any]:
    """Paths of the pages read and the rows written, from the database."""
    with psycopg.connect(f"{server}/{database}") as conn:
        plan_id, plan_slug = conn.execute(
            "SELECT id, slug FROM action_plans ORDER BY id DESC LIMIT 1"
        ).fetchone()  # type: ignore[misc]
        group = conn.execute(
            "SELECT slug FROM working_groups ORDER BY id DESC LIMIT 1"
        ).fetchone()[0]  # type: ignore[index]
        assignment_ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM assignments WHERE plan_id = %s ORDER BY id", [plan_id]
            )
        ]
        milestone_ids = [
            row[0]
            for row in conn.execute(
                "SELECT id FROM milestones WHERE assignment_id = ANY(%s)",
                [assignment_ids],
            )
        ]
        stage_ids = [row[0] for row in conn.execute("SELECT id FROM stages")]
    return {
        "reads": {
            "overview": "/",
            "plan": f"/plans/{plan_slug}",
            "assignment": f"/assignments/{assignment_ids[0]}",
            "group": f"/groups/{group}",
            "activity": "/activity/",
        },
        "assignments": assignment_ids,
        "milestones": milestone_ids,
        "stages": stage_ids,
    }


def landed_reports(database: str, server: str) -> int:
    """The benchmark's progress reports in the database (each write must land)."""
    with psycopg.connect(f"{server}/{database}") as conn:
        row = conn.execute(
            "SELECT count(*) FROM progress_reports WHERE body LIKE 'Mätning %%'"
        ).fetchone()
    return int(row[0]) if row else 0


def login_with_token(base: str, email: str, page: str) -> tuple[str, str]:
    """A login's session cookie and a CSRF token valid with it."""
    cookie = log_in(base, email)
    answer = requests.get(
        base + page,
        cookies={"session": cookie},
        headers={"User-Agent": AGENT},
        timeout=30,
    )
    token = TOKEN.search(answer.text)
    if answer.status_code != 200 or token is None:
        raise SystemExit(f"{email}: no form on {page} ({answer.status_code})")
    return answer.cookies.get("session", cookie), token[1]


def request(
    port: int, method: str, path: str, cookie: str, body: dict[str, Any] | None
) -> int:
    """One request on a fresh connection (gunicorn's sync workers close each one)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": f"session={cookie}", "User-Agent": AGENT}
    data = None
    if body is not None:
        data = urllib.parse.urlencode(body)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        connection.request(method, path, body=data, headers=headers)
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def drive(
    port: int,
    data: dict[str, Any],
    readers: list[str],
    writers: list[tuple[str, str]],
    seconds: float,
    connections: int,
    write_share: float,
) -> dict[str, list[float]]:
    """Run the clients for *seconds*; latencies in ms per kind, failures as 'errors'."""
    latencies: dict[str, list[float]] = {k: [] for k in (*READS, *WRITES, "errors")}
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        chance = random.Random(number)
        while time.monotonic() < deadline:
            body = None
            if chance.random() < write_share:
                kind = WRITES[chance.randrange(len(WRITES))]
                cookie, token = writers[chance.randrange(len(writers))]
                assignment = chance.choice(data["assignments"])
                if kind == "move":
                    path = f"/assignments/{assignment}/move"
                    body = {"stage_id": chance.choice(data["stages"])}
                elif kind == "report":
                    path = f"/assignments/{assignment}/reports"
                    body = {
                        "body": f"Mätning {number}: det går framåt.",
                        "reported_on": date.today().isoformat(),
                    }
                else:
                    milestone = chance.choice(data["milestones"])
                    path = f"/assignments/milestones/{milestone}/toggle"
                    body = {}
                body["csrf_token"] = token
            else:
                kind = READS[chance.randrange(len(READS))]
                path = data["reads"][kind]
                cookie = readers[chance.randrange(len(readers))]
            started = time.perf_counter()
            status = request(port, "POST" if body else "GET", path, cookie, body)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                latencies[kind].append(elapsed)
                if status >= 400:
                    latencies["errors"].append(status)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies


def percentile(samples: list[float], share: float) -> float:
    """The *share* percentile of *samples* (nearest rank)."""
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def table(latencies: dict[str, list[float]], seconds: float) -> list[str]:
    """Markdown rows: kind, requests/s, p50, p99."""
    lines = [
        "| kind | requests | requests/s | p50 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for kind in (*READS, *WRITES):
        samples = latencies[kind]
        if samples:
            lines.append(
                f"| {kind} | {len(samples)} | {len(samples) / seconds:.1f} | "
                f"{statistics.median(samples):.1f} | {percentile(samples, 0.99):.1f} |"
            )
    return lines


def main() -> None:
    """Run the mixed and the read-only benchmark and print the Markdown report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="tracker_bench")
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--connections", type=int, default=16)
    args = parser.parse_args()
    url = f"postgresql+psycopg://{args.server.removeprefix('postgresql://')}/{args.database}"
    data = setup(args.database, args.server)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    gunicorn = start_gunicorn(url, port)
    try:
        form = f"/assignments/{data['assignments'][0]}"
        writers = [login_with_token(base, email, form) for email in WRITERS]
        readers = [log_in(base, email) for email in READERS]
        for cookie in readers:  # every read answers 200 for every reader
            for path in data["reads"].values():
                status = request(port, "GET", path, cookie, None)
                if status != 200:
                    raise SystemExit(f"{path} answered {status}")
        drive(port, data, readers, writers, 3, args.connections, WRITE_SHARE)  # warm
        reports_before = landed_reports(args.database, args.server)
        mixed = drive(
            port, data, readers, writers, args.seconds, args.connections, WRITE_SHARE
        )
        landed = landed_reports(args.database, args.server) - reports_before
        alone = drive(port, data, readers, writers, args.seconds, args.connections, 0)
        rss = worker_rss(gunicorn.pid)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    reads = sum(len(mixed[k]) for k in READS) / args.seconds
    writes = sum(len(mixed[k]) for k in WRITES) / args.seconds
    read_only = sum(len(alone[k]) for k in READS) / args.seconds
    worst = max(percentile(mixed[k], 0.99) for k in (*READS, *WRITES) if mixed[k])
    print(
        f"{args.connections} client threads, {args.seconds:.0f} s each, "
        f"{WRITE_SHARE:.0%} writes; non-2xx/3xx: {len(mixed['errors'])} mixed, "
        f"{len(alone['errors'])} read-only"
    )
    print()
    print("Mixed:")
    print()
    print("\n".join(table(mixed, args.seconds)))
    print()
    print("Read-only, same clients and pages:")
    print()
    print("\n".join(table(alone, args.seconds)))
    print()
    print(
        f"- reads {reads:.0f}/s + writes {writes:.0f}/s mixed; reads alone "
        f"{read_only:.0f}/s; reads at {reads / read_only:.0%} of read-only "
        f"(target >= {TARGET_READ_SHARE:.0%}): "
        + ("met" if reads / read_only >= TARGET_READ_SHARE else "NOT met")
    )
    print(
        f"- worst p99 {worst:.0f} ms (target <= {TARGET_P99_MS:.0f} ms per kind): "
        + ("met" if worst <= TARGET_P99_MS else "NOT met")
    )
    print(f"- progress reports stored: {landed} of {len(mixed['report'])} sent")
    print("- RSS per worker after the runs: " + ", ".join(f"{mb:.0f} MB" for mb in rss))


if __name__ == "__main__":
    main()
