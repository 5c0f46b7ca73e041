"""`tracker digest ...` and `tracker scheduler --show`."""

from __future__ import annotations

from flask import Flask

from tracker.db import get_session
from tracker.models.digests import DigestState
from tracker.services.digest import drafts as digests


def run(app: Flask, *args: str) -> tuple[int, str]:
    result = app.test_cli_runner().invoke(args=list(args))
    return result.exit_code, result.output


def test_draft_show_and_publish_a_month(app: Flask) -> None:
    assert run(app, "digest", "draft", "--month", "2026-03") == (
        0,
        "Utkast skapat: Månadsbrev mars 2026 (Utkast).\n",
    )
    code, output = run(app, "digest", "draft", "--month", "2026-03")
    assert (code, output) == (
        0,
        "Utkastet finns redan: Månadsbrev mars 2026 (Utkast).\n",
    )
    code, output = run(app, "digest", "show", "--month", "2026-03")
    assert code == 0 and output.startswith("<!-- Skriv gärna")
    assert "<!-- fakta:start -->" in output
    code, output = run(
        app, "digest", "publish", "--month", "2026-03", "--target", "builtin"
    )
    assert code == 0
    assert (
        "builtin    Publicerad   https://tracker.test/blogg/manadsbrev-2026-03"
        in output
    )
    with app.app_context():
        digest = digests.get_by_period(get_session(), "2026-03")
        assert digest is not None and digest.state is DigestState.PUBLISHED


def test_publishing_an_undrafted_month_says_what_to_do(app: Flask) -> None:
    code, output = run(app, "digest", "publish", "--month", "2026-02")
    assert code != 0
    assert "tracker digest draft --month 2026-02" in output


def test_wordpress_without_configuration_is_refused(app: Flask) -> None:
    run(app, "digest", "draft", "--month", "2026-03")
    code, output = run(
        app, "digest", "publish", "--month", "2026-03", "--target", "wordpress"
    )
    assert code != 0 and "wordpress" in output


def test_a_bad_month_is_an_error(app: Flask) -> None:
    code, _ = run(app, "digest", "draft", "--month", "03-2026")
    assert code != 0


def test_the_scheduler_lists_its_jobs(app: Flask) -> None:
    code, output = run(app, "scheduler", "--show")
    assert code == 0
    for job_id in ("digest-draft", "digest-publish", "digest-tick"):
        assert job_id in output
    assert "working day 1 of the month at 08:00" in output
    assert "working day 3 of the month at 09:00" in output
    assert "Europe/Stockholm" in output and ("CET" in output or "CEST" in output)
