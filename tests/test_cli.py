"""The `tracker` command: init-db, create-user and demo on a fresh database."""

from __future__ import annotations

from conftest import make_test_app
from sqlalchemy import func, select

from tracker.db import get_session
from tracker.models.assignments import Assignment
from tracker.models.people import Role
from tracker.services import people
from tracker.services.programme import stages


def test_init_db_create_user_and_demo(fresh_db_url: str) -> None:
    app = make_test_app(fresh_db_url)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(
        args=[
            "create-user",
            "chef@kommun.se",
            "--name",
            "Chef",
            "--role",
            "leadership",
        ],
        input="hemligt-lösen\n",
    )
    assert result.exit_code == 0, result.output
    short = runner.invoke(
        args=["create-user", "x@kommun.se", "--name", "X"], input="kort\n"
    )
    assert short.exit_code != 0
    assert "8" in short.output
    result = runner.invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "ledning@demo.se" in result.output
    with app.app_context():
        session = get_session()
        chef = people.find_by_email(session, "chef@kommun.se")
        assert chef is not None and chef.role is Role.LEADERSHIP
        assert people.find_by_email(session, "x@kommun.se") is None
        assert [s.name for s in stages.list_stages(session)] == [
            "Planerad",
            "Pågår",
            "Klar",
        ]
        assert session.scalar(select(func.count()).select_from(Assignment)) == 25
    app.extensions["tracker.engine"].dispose()
