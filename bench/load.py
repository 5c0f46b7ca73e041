"""Load benchmark: gunicorn (2 workers) on the large database, driven by wrk.

Usage: python bench/generate_large.py && python bench/load.py [--seconds 10]

Serves the app on 127.0.0.1 with gunicorn, logs in as the leadership demo login
and drives the overview, a plan page, a group page and the activity feed with wrk
(a second process) at 16 connections, beside the trivial /healthz of the same
gunicorn in the same run. Then counts the SQL queries per page at 1x and 20x the
demo and on the large database. Prints Markdown for bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).parent))

from queries import count_queries
from scale import scale

from tracker import create_app, demo
from tracker.db import Base, get_session
from tracker.services.programme import stages

SERVER = "postgresql://postgres@127.0.0.1:5432"
AGENT = "tracker-bench"  # the login's session is bound to the user agent
OUT = Path(__file__).parent / "out"
# PAGE_CACHE_DIR of the benchmark's gunicorn: a RAM disk, as the README advises
RAM_DISK = Path("/dev/shm")  # noqa: S108 - the bench's own directory under it
SHARED_PAGES = RAM_DISK / "tracker-bench" if RAM_DISK.is_dir() else OUT / "pages"
TARGET_RATIO, TARGET_P99_MS = 0.30, 250.0
# issue 19: the assignment page and the activity feed, and a cache miss
PAGE_RATIO, PAGE_P99_MS, MISS_CPU_MS = 0.15, 150.0, 20.0


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_gunicorn(
    url: str, port: int, log_name: str = "gunicorn.log"
) -> subprocess.Popen[bytes]:
    """gunicorn with two workers on the large database, its workers sharing pages
    in a directory of their own (one per instance: one per host in scale_out.py)."""
    OUT.mkdir(exist_ok=True)
    env = os.environ | {
        "TRACKER_DATABASE_URL": url,
        "TRACKER_SECRET_KEY": "bench-secret",
        "TRACKER_PUBLIC_URL": f"http://127.0.0.1:{port}",
        # the workers share the pages every write changes (README, Performance)
        "TRACKER_PAGE_CACHE_DIR": str(SHARED_PAGES / str(port)),
    }
    log = (OUT / log_name).open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "tracker:create_app()",
        ],
        env=env,
        stdout=log,
        stderr=log,
    )
    for _ in range(100):
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=5).ok:
                return process
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    process.kill()
    process.wait()
    raise SystemExit(f"gunicorn did not start; see {OUT / 'gunicorn.log'}")


def log_in(base: str, email: str = "ledning@demo.se") -> str:
    """The session cookie of a demo login (the leadership login by default)."""
    browser = requests.Session()
    browser.headers["User-Agent"] = AGENT
    page = browser.get(f"{base}/login").text
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    if token is None:
        raise SystemExit("no CSRF token on /login")
    answer = browser.post(
        f"{base}/login",
        data={"email": email, "password": "demo", "csrf_token": token[1]},
        allow_redirects=False,
    )
    if answer.status_code != 302:
        raise SystemExit(f"the login failed: {answer.status_code}")
    # show the login's welcome message once, as a browser would, so that the cookie
    # wrk replays carries no message still waiting to be shown
    browser.get(f"{base}/tillganglighet")
    return str(browser.cookies["session"])


def pages(database: str, server: str) -> dict[str, str]:
    """The pages to drive: a generated plan (50 assignments) and group (8 members)."""
    with psycopg.connect(f"{server}/{database}") as conn:
        plan = conn.execute("SELECT slug FROM action_plans ORDER BY id DESC LIMIT 1")
        group = conn.execute("SELECT slug FROM working_groups ORDER BY id DESC LIMIT 1")
        plan_slug, group_slug = plan.fetchone()[0], group.fetchone()[0]  # type: ignore[index]
        # the assignment with the longest history: its reports
        busiest = conn.execute(
            "SELECT assignment_id FROM progress_reports GROUP BY 1 "
            "ORDER BY count(*) DESC, 1 DESC LIMIT 1"
        ).fetchone()[0]  # type: ignore[index]
    return {
        "trivial /healthz": "/healthz",
        "overview": "/",
        "plan page": f"/plans/{plan_slug}",
        "assignment page": f"/assignments/{busiest}",
        "group page": f"/groups/{group_slug}",
        "activity feed": "/activity/",
    }


def milliseconds(text: str) -> float:
    """wrk's 812.00us / 3.40ms / 1.02s as milliseconds."""
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", text).groups()  # type: ignore[union-attr]
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def run_wrk(url: str, cookie: str, seconds: int, connections: int) -> dict[str, Any]:
    """Requests/s, p50 and p99 of one page under wrk."""
    command = [
        "wrk",
        "--latency",
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "-H",
        f"Cookie: session={cookie}",
        "-H",
        f"User-Agent: {AGENT}",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1]),  # type: ignore[index]
        "p50": milliseconds(re.search(r"^\s+50%\s+(\S+)", output, re.M)[1]),  # type: ignore[index]
        "p99": milliseconds(re.search(r"^\s+99%\s+(\S+)", output, re.M)[1]),  # type: ignore[index]
        "requests": int(re.search(r"(\d+) requests in", output)[1]),  # type: ignore[index]
        "errors": int(errors[1]) if errors else 0,
    }


def drive(
    base: str, urls: dict[str, str], seconds: int, connections: int
) -> dict[str, Any]:
    """Warm each page up, check it answers 200 logged in, then measure it."""
    cookie = log_in(base)
    results = {}
    for name, path in urls.items():
        check = requests.get(
            base + path,
            cookies={"session": cookie},
            headers={"User-Agent": AGENT},
            allow_redirects=False,
            timeout=30,
        )
        if check.status_code != 200:
            raise SystemExit(f"{path} answered {check.status_code}, not 200")
        run_wrk(base + path, cookie, 2, connections)  # warm caches and workers
        results[name] = run_wrk(base + path, cookie, seconds, connections)
        print(f"  {name}: {results[name]}", file=sys.stderr)
    return results


def query_counts(url: str, urls: dict[str, str]) -> dict[str, int]:
    """SQL queries per page, counted in-process on the database at *url*."""
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    )
    client = app.test_client()
    client.post("/login", data={"email": "ledning@demo.se", "password": "demo"})
    client.get("/")
    counts = {name: count_queries(app, client, path)[0] for name, path in urls.items()}
    app.extensions["tracker.engine"].dispose()
    return counts


def service_times(url: str, urls: dict[str, str], repeat: int = 20) -> dict[str, float]:
    """Median milliseconds per page for one request at a time, in-process."""
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    )
    client = app.test_client()
    client.post("/login", data={"email": "ledning@demo.se", "password": "demo"})
    times = {}
    for name, path in urls.items():
        client.get(path)
        samples = []
        for _ in range(repeat):
            started = time.perf_counter()
            client.get(path)
            samples.append((time.perf_counter() - started) * 1000)
        times[name] = statistics.median(samples)
    app.extensions["tracker.engine"].dispose()
    return times


def miss_costs(
    url: str, urls: dict[str, str], repeat: int = 20
) -> dict[str, tuple[float, float, float]]:
    """Median worker CPU ms of a page's request on a cache miss, three kinds.

    Each measured request follows a real write through the app, which moves the
    data version so that the page is a miss by itself (nothing is emptied by hand):
    "a login" (another reader logs in: a write that changes none of what the page
    shows), "a report elsewhere" (admin reports progress on an assignment of another
    plan: the overview's recent activity and "Läget nu" change). "cold" empties
    every cache of the worker as well (the page, the kept parts and pieces), as in a
    new worker. In-process (Flask test client), so the figure is this process's CPU
    time: the app's Python work and the database driver, not PostgreSQL's.
    """
    app = create_app(
        {"DATABASE_URL": url, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False}
    )
    reader, writer = app.test_client(), app.test_client()
    reader.post("/login", data={"email": "ledning@demo.se", "password": "demo"})
    writer.post("/login", data={"email": "admin@demo.se", "password": "demo"})
    reader.get("/")
    with psycopg.connect(url.replace("+psycopg", "")) as conn:
        elsewhere = conn.execute(
            "SELECT id FROM assignments WHERE plan_id = "
            "(SELECT min(id) FROM action_plans) ORDER BY id LIMIT 1"
        ).fetchone()[0]  # type: ignore[index]

    def a_login() -> None:
        app.test_client().post(
            "/login", data={"email": "medarbetare@demo.se", "password": "demo"}
        )

    def a_report() -> None:
        answer = writer.post(
            f"/assignments/{elsewhere}/reports",
            data={"body": "Mätning av en miss.", "reported_on": date.today()},
        )
        assert answer.status_code == 302, answer.status_code

    def cold() -> None:
        for cache in ("page_cache", "shared_values", "fragments"):
            app.extensions.get(f"tracker.{cache}", {}).clear()

    costs = {}
    for name, path in urls.items():
        reader.get(path)
        kinds = []
        for before in (a_login, a_report, cold):
            samples = []
            for _ in range(repeat):
                before()
                started = time.process_time()
                answer = reader.get(path)
                samples.append((time.process_time() - started) * 1000)
                assert answer.status_code == 200, answer.status_code
            kinds.append(statistics.median(samples))
        costs[name] = (kinds[0], kinds[1], kinds[2])
    app.extensions["tracker.engine"].dispose()
    return costs


def worker_rss(master: int) -> list[float]:
    """Resident memory in MB of each worker of the gunicorn master *master*."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    sizes = []
    for child in children:
        status = Path(f"/proc/{child}/status").read_text()
        rss = re.search(r"VmRSS:\s+(\d+) kB", status)
        if rss:
            sizes.append(int(rss[1]) / 1024)
    return sizes


def scaled_database(server: str, name: str, factor: int) -> str:
    """A fresh database with the demo programme times *factor*."""
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+psycopg://{server.removeprefix('postgresql://')}/{name}"
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": "bench"})
    with app.app_context():
        session = get_session()
        Base.metadata.create_all(session.get_bind())
        stages.ensure_stages(session, app.config["WORKFLOW_STAGES"])
        demo.load(session, password="demo")
        if factor > 1:
            scale(session, factor=factor)
        session.commit()
    app.extensions["tracker.engine"].dispose()
    return url


def machine(server: str) -> list[str]:
    """nproc, memory, CPU model and the software versions."""
    cpu = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
    memory = re.search(r"MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text())
    with psycopg.connect(f"{server}/postgres") as conn:
        postgres = conn.execute("SHOW server_version").fetchone()[0]  # type: ignore[index]
    wrk = subprocess.run(["wrk", "--version"], capture_output=True, text=True).stdout
    gunicorn = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--version"], capture_output=True, text=True
    ).stdout
    return [
        f"- CPU: {cpu[1] if cpu else 'unknown'}, nproc = {os.cpu_count()}",
        f"- memory: {int(memory[1]) / 1024 / 1024:.1f} GiB"
        if memory
        else "- memory: ?",
        f"- {platform.platform()}, Python {platform.python_version()}",
        f"- PostgreSQL {postgres}, {gunicorn.strip()}, {wrk.split(' [')[0]}",
        "- one machine: wrk, gunicorn (2 sync workers) and PostgreSQL share the CPUs",
    ]


def report(
    results: dict[str, Any],
    counts: dict[str, dict[str, int]],
    seconds: int,
    connections: int,
) -> str:
    """The Markdown tables for RESULTS.md."""
    trivial = results["trivial /healthz"]["rps"]
    lines = [
        f"wrk: 2 threads, {connections} connections, {seconds} s per page "
        "after a 2 s warm-up.",
        "",
        "| page | requests/s | ratio to trivial | p50 ms | p99 ms | non-2xx |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, r in results.items():
        lines.append(
            f"| {name} | {r['rps']:.0f} | {r['rps'] / trivial:.0%} | {r['p50']:.1f} | "
            f"{r['p99']:.1f} | {r['errors']} |"
        )
    sizes = list(counts)
    lines += [
        "",
        "| page | " + " | ".join(f"queries {s}" for s in sizes) + " |",
        "| --- |" + " ---: |" * len(sizes),
    ]
    for name in results:
        if name.startswith("trivial"):
            continue
        lines.append(
            f"| {name} | " + " | ".join(str(counts[s][name]) for s in sizes) + " |"
        )
    overview = results["overview"]["rps"] / trivial
    worst = max(r["p99"] for r in results.values())
    for name in ("assignment page", "activity feed"):
        if name not in results:  # --only
            continue
        ratio, p99 = results[name]["rps"] / trivial, results[name]["p99"]
        met = ratio >= PAGE_RATIO and p99 <= PAGE_P99_MS
        lines.append(
            f"- {name} at {ratio:.0%} of trivial, p99 {p99:.0f} ms "
            f"(target >= {PAGE_RATIO:.0%}, <= {PAGE_P99_MS:.0f} ms): "
            + ("met" if met else "NOT met")
        )
    equal = all(
        len({counts[s][n] for s in sizes}) == 1
        for n in results
        if n in counts[sizes[0]]
    )
    lines += [
        "",
        f"- overview at {overview:.0%} of the trivial route "
        f"(target >= {TARGET_RATIO:.0%}): "
        + ("met" if overview >= TARGET_RATIO else "NOT met"),
        f"- worst p99 {worst:.0f} ms (target <= {TARGET_P99_MS:.0f} ms): "
        + ("met" if worst <= TARGET_P99_MS else "NOT met"),
        "- query counts equal at every size: " + ("yes" if equal else "NO"),
    ]
    return "\n".join(lines)


def main() -> None:
    """Run the benchmark and print the Markdown report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="tracker_bench")
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--skip-counts", action="store_true")
    parser.add_argument(
        "--only", nargs="*", help="drive only these pages (names as in the table)"
    )
    args = parser.parse_args()
    url = f"postgresql+psycopg://{args.server.removeprefix('postgresql://')}/{args.database}"
    urls = pages(args.database, args.server)
    if args.only:
        urls = {
            n: p for n, p in urls.items() if n.startswith("trivial") or n in args.only
        }
    port = free_port()
    gunicorn = start_gunicorn(url, port)
    try:
        results = drive(
            f"http://127.0.0.1:{port}", urls, args.seconds, args.connections
        )
        rss = worker_rss(gunicorn.pid)
    finally:
        gunicorn.terminate()
        gunicorn.wait(timeout=30)
    measured = {n: p for n, p in urls.items() if not n.startswith("trivial")}
    counts: dict[str, dict[str, int]] = {}
    if not args.skip_counts:
        small = {
            **measured,
            "plan page": "/plans/bli-en-processorganisation",
            "group page": "/groups/utvecklingsgruppen",
            "assignment page": "/assignments/1",
        }
        counts["1x"] = query_counts(
            scaled_database(args.server, "tracker_bench_1x", 1), small
        )
        counts["20x"] = query_counts(
            scaled_database(args.server, "tracker_bench_20x", 20), small
        )
    counts["large"] = query_counts(url, measured)
    alone = service_times(url, urls)
    misses = miss_costs(
        url,
        {
            n: measured[n]
            for n in ("overview", "plan page", "assignment page")
            if n in measured
        },
    )
    print("\n".join(machine(args.server)))
    print()
    print(report(results, counts, args.seconds, args.connections))
    print()
    print("In-process, one request at a time (median of 20, large database):")
    print()
    print("| page | ms per request | ratio to trivial |")
    print("| --- | ---: | ---: |")
    for name, ms in alone.items():
        print(f"| {name} | {ms:.1f} | {alone['trivial /healthz'] / ms:.0%} |")
    print()
    print("Cache miss after a real write (worker CPU ms, median of 20):")
    print()
    print("| page | after a login | after a report elsewhere | cold | target |")
    print("| --- | ---: | ---: | ---: | --- |")
    for name, (login, report_ms, cold) in misses.items():
        met = "met" if max(login, report_ms) <= MISS_CPU_MS else "NOT met"
        print(
            f"| {name} | {login:.1f} | {report_ms:.1f} | {cold:.1f} | "
            f"<= {MISS_CPU_MS:.0f} after a write: {met} |"
        )
    print()
    print(
        "RSS per gunicorn worker after the run: "
        + ", ".join(f"{mb:.0f} MB" for mb in rss)
        + (" (target < 150 MB: " + ("met)" if max(rss) < 150 else "NOT met)"))
    )


if __name__ == "__main__":
    main()
