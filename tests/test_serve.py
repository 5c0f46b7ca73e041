"""`tracker demo` really serves the demo on 127.0.0.1, as in the README."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_tracker_demo_serves_the_login_page(tmp_path: Path) -> None:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    env["TRACKER_DATABASE_URL"] = f"sqlite:///{tmp_path}/demo.sqlite"
    command = shutil.which("tracker") or str(Path(sys.executable).parent / "tracker")
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [command, "demo", "--port", str(port)],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not page:
            try:
                with urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/login"
                ) as response:
                    page = response.read().decode()
            except OSError:
                assert process.poll() is None, (
                    process.stdout.read() if process.stdout else ""
                )
                time.sleep(0.3)
        assert "Logga in" in page
    finally:
        process.terminate()
        output, _ = process.communicate(timeout=10)
    assert "ledning@demo.se" in output
