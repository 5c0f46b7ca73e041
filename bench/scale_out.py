"""Scale-out benchmark: two app "hosts" behind nginx, one PostgreSQL, two schedulers.

Usage: python bench/scale_out.py [--seconds 8]   (needs nginx and wrk: apt-get install)

Creates (drops first) the database bench_scale with the demo programme, starts two
gunicorn instances (2 workers each) on two ports and nginx (a temporary config, run
in the foreground as a child) balancing round-robin over them, and:

1. drives the overview and a group page through nginx with wrk, first with one
   instance behind nginx and then with both, with the CPU time each process group
   used (gunicorn A, gunicorn B, nginx, PostgreSQL) and the machine's idle share;
2. writes a progress report through instance A and reads the assignment page through
   instance B (which had it cached): the report must be there, because the page
   cache's key holds the data version read from the shared database;
3. starts two `tracker scheduler` processes on the same database: exactly one
   prints that it is active and holds the advisory lock; when it is stopped, the
   other takes over.
Prints Markdown.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import psycopg
import requests

sys.path.insert(0, str(Path(__file__).parent))

from load import (
    AGENT,
    OUT,
    SERVER,
    free_port,
    log_in,
    run_wrk,
    scaled_database,
    start_gunicorn,
)
from mixed import login_with_token

ADVISORY_KEY = 0x74726B72  # tracker.scheduler.ADVISORY_KEY
TICKS = os.sysconf("SC_CLK_TCK")


def tree(pid: int) -> list[int]:
    """*pid* and its children (gunicorn's master and workers)."""
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *map(int, children)]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """User + system CPU seconds of each of *pids* still running."""
    seconds = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        seconds[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return seconds


def used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds used between two cpu_seconds() by the processes in both."""
    return sum(after[pid] - before[pid] for pid in before if pid in after)


def postgres_pids() -> list[int]:
    """The PostgreSQL server processes (backends included)."""
    found = subprocess.run(["pgrep", "-x", "postgres"], capture_output=True, text=True)
    return [int(p) for p in found.stdout.split()]


def idle_jiffies() -> tuple[int, int]:
    """(idle, total) jiffies of the whole machine from /proc/stat."""
    fields = [int(x) for x in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    return fields[3] + fields[4], sum(fields)


def start_nginx(
    ports: list[int], listen: int, workdir: Path
) -> subprocess.Popen[bytes]:
    """nginx in the foreground, round-robin over *ports*, with a temporary config."""
    servers = "\n".join(f"    server 127.0.0.1:{port};" for port in ports)
    config = workdir / "nginx.conf"
    config.write_text(
        f"""daemon off;
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {workdir}/body;
  proxy_temp_path {workdir}/proxy;
  fastcgi_temp_path {workdir}/fastcgi;
  uwsgi_temp_path {workdir}/uwsgi;
  scgi_temp_path {workdir}/scgi;
  upstream tracker {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{listen};
    location / {{
      proxy_pass http://tracker;
      proxy_set_header Host $http_host;
    }}
  }}
}}
"""
    )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    process = subprocess.Popen(
        [nginx, "-c", str(config), "-p", str(workdir)],
        stdout=subprocess.DEVNULL,
        stderr=(workdir / "stderr.log").open("wb"),
    )
    for _ in range(50):
        try:
            requests.get(f"http://127.0.0.1:{listen}/healthz", timeout=5)
            return process
        except requests.ConnectionError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit(f"nginx did not start; see {workdir}")


def throughput(
    base: str,
    cookie: str,
    paths: dict[str, str],
    groups: dict[str, list[int]],
    seconds: int,
) -> dict[str, dict[str, Any]]:
    """wrk through nginx per page, with the CPU seconds each process group used."""
    results = {}
    for name, path in paths.items():
        run_wrk(base + path, cookie, 2, 16)  # warm up
        before = {group: cpu_seconds(pids) for group, pids in groups.items()}
        idle_before, total_before = idle_jiffies()
        result = run_wrk(base + path, cookie, seconds, 16)
        idle_after, total_after = idle_jiffies()
        result["cpu"] = {
            group: used(before[group], cpu_seconds(pids))
            for group, pids in groups.items()
        }
        result["idle"] = (idle_after - idle_before) / (total_after - total_before)
        results[name] = result
        print(f"  {name}: {result}", file=sys.stderr)
    return results


def coherence(
    port_a: int, port_b: int, assignment: int, rounds: int = 3
) -> list[tuple[bool, bool]]:
    """(seen before on B, seen after on B) for reports written through A."""
    a, b = f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"
    page = f"/assignments/{assignment}"
    cookie_a, token = login_with_token(a, "ledning@demo.se", page)
    cookie_b = log_in(b, "ledning@demo.se")
    headers = {"User-Agent": AGENT}
    outcomes = []
    for n in range(rounds):
        text = f"Skrivet via värd A, läst via värd B ({time.time_ns()}-{n})."
        for _ in range(4):  # every worker of B has the page cached
            requests.get(
                b + page, cookies={"session": cookie_b}, headers=headers, timeout=30
            )
        before = (
            text
            in requests.get(
                b + page, cookies={"session": cookie_b}, headers=headers, timeout=30
            ).text
        )
        written = requests.post(
            a + page + "/reports",
            data={
                "body": text,
                "reported_on": time.strftime("%Y-%m-%d"),
                "csrf_token": token,
            },
            cookies={"session": cookie_a},
            headers=headers,
            allow_redirects=False,
            timeout=30,
        )
        if written.status_code != 302:
            raise SystemExit(f"the report through A answered {written.status_code}")
        after = (
            text
            in requests.get(
                b + page, cookies={"session": cookie_b}, headers=headers, timeout=30
            ).text
        )
        outcomes.append((before, after))
    return outcomes


def schedulers(url: str, server: str, database: str) -> list[str]:
    """Two schedulers on one database: who is active, who holds the lock, takeover."""
    env = os.environ | {"TRACKER_DATABASE_URL": url, "TRACKER_SECRET_KEY": "bench"}
    tracker = str(Path(sys.executable).parent / "tracker")
    logs = [OUT / f"scheduler{n}.log" for n in (1, 2)]
    processes = []
    for log in logs:
        processes.append(
            subprocess.Popen(
                [tracker, "scheduler", "--poll", "2"],
                env=env,
                stdout=log.open("wb"),
                stderr=subprocess.STDOUT,
            )
        )
        time.sleep(4)  # the first one takes the lock before the second asks
    time.sleep(3)

    def holders() -> int:
        with psycopg.connect(f"{server}/{database}") as conn:
            row = conn.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND granted AND objid = %s AND database = "
                "(SELECT oid FROM pg_database WHERE datname = current_database())",
                [ADVISORY_KEY],
            ).fetchone()
        return int(row[0])  # type: ignore[index]

    def state(n: int) -> str:
        text = logs[n].read_text()
        active = text.rfind("Scheduler active")
        standing = text.rfind("standing by")
        return "active" if active > standing else "standing by"

    lines = [
        f"- two schedulers started: scheduler 1 {state(0)}, scheduler 2 {state(1)}; "
        f"advisory locks held: {holders()}"
    ]
    first = 0 if state(0) == "active" else 1
    processes[first].terminate()
    processes[first].wait(timeout=60)
    time.sleep(5)  # more than --poll
    other = 1 - first
    lines.append(
        f"- scheduler {first + 1} stopped (SIGTERM): scheduler {other + 1} "
        f"{state(other)} after 5 s; advisory locks held: {holders()}"
    )
    processes[other].terminate()
    processes[other].wait(timeout=60)
    return lines


def table(results: dict[str, dict[str, Any]], label: str) -> list[str]:
    """Markdown rows for one setup."""
    lines = []
    for name, r in results.items():
        cpu = r["cpu"]
        per_request = {g: 1000 * s / r["requests"] for g, s in cpu.items()}
        lines.append(
            f"| {label} | {name} | {r['rps']:.0f} | {r['p50']:.1f} | {r['p99']:.1f} | "
            + " | ".join(f"{per_request[g]:.1f}" for g in cpu)
            + f" | {r['idle']:.0%} | {r['errors']} |"
        )
    return lines


def main() -> None:
    """Run the scale-out checks and print the Markdown report."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", default="bench_scale")
    parser.add_argument("--server", default=SERVER)
    parser.add_argument("--seconds", type=int, default=8)
    args = parser.parse_args()
    url = scaled_database(args.server, args.database, 1)
    with psycopg.connect(f"{args.server}/{args.database}") as conn:
        assignment = conn.execute("SELECT min(id) FROM assignments").fetchone()[0]  # type: ignore[index]
    port_a, port_b, listen = free_port(), free_port(), free_port()
    a = start_gunicorn(url, port_a, "gunicorn_a.log")
    b = start_gunicorn(url, port_b, "gunicorn_b.log")
    workdir = Path(tempfile.mkdtemp(prefix="tracker-nginx-"))
    lines: list[str] = []
    try:
        paths = {"overview": "/", "group page": "/groups/utvecklingsgruppen"}
        runs = {}
        for label, ports in (
            ("one instance", [port_a]),
            ("two instances", [port_a, port_b]),
        ):
            nginx = start_nginx(ports, listen, workdir)
            base = f"http://127.0.0.1:{listen}"
            try:
                groups = {
                    "gunicorn A": tree(a.pid),
                    "gunicorn B": tree(b.pid),
                    "nginx": [nginx.pid, *tree(nginx.pid)[1:]],
                    "PostgreSQL": postgres_pids(),
                }
                cookie = log_in(base)
                runs[label] = throughput(base, cookie, paths, groups, args.seconds)
            finally:
                nginx.terminate()
                nginx.wait(timeout=30)
        lines += [
            f"wrk through nginx, 16 connections, {args.seconds} s per page after 2 s "
            "warm-up; CPU ms per request of each process group; idle = the machine's "
            "idle share during the run.",
            "",
            "| setup | page | requests/s | p50 ms | p99 ms | gunicorn A | gunicorn B "
            "| nginx | PostgreSQL | machine idle | non-2xx |",
            "| --- | --- |" + " ---: |" * 9,
        ]
        for label, results in runs.items():
            lines += table(results, label)
        lines.append("")
        for name in paths:
            gain = (
                runs["two instances"][name]["rps"] / runs["one instance"][name]["rps"]
            )
            lines.append(f"- {name}: two instances at {gain:.2f}x one instance")
        outcomes = coherence(port_a, port_b, assignment)
        lines.append(
            "- coherence (report written through A, assignment page read through B, "
            "which had it cached): "
            + "; ".join(
                f"before {'seen' if before else 'absent'}, after "
                f"{'seen' if after else 'ABSENT'}"
                for before, after in outcomes
            )
        )
    finally:
        for process in (a, b):
            process.terminate()
            process.wait(timeout=30)
        shutil.rmtree(workdir, ignore_errors=True)
    lines += schedulers(url, args.server, args.database)
    print("\n".join(lines))


if __name__ == "__main__":
    main()
