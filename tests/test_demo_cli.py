"""`tracker demo` refuses a database with other plans, and `--reset` starts over."""

from __future__ import annotations

from conftest import make_test_app
from sqlalchemy import select

from tracker.db import get_session
from tracker.models.plans import ActionPlan
from tracker.services.programme import plans


def test_demo_refuses_other_plans_and_reset_starts_over(fresh_db_url: str) -> None:
    app = make_test_app(fresh_db_url)
    runner = app.test_cli_runner()
    assert runner.invoke(args=["init-db"]).exit_code == 0
    with app.app_context():
        session = get_session()
        plans.create_plan(session, None, title="Vår egen plan")
        session.commit()
    refused = runner.invoke(args=["demo", "--no-serve"])
    assert refused.exit_code != 0 and "--reset" in refused.output
    result = runner.invoke(args=["demo", "--no-serve", "--reset"])
    assert result.exit_code == 0, result.output
    assert "ledning@demo.se" in result.output
    again = runner.invoke(args=["demo", "--no-serve"])
    assert again.exit_code == 0 and "already loaded" in again.output
    with app.app_context():
        titles = set(get_session().scalars(select(ActionPlan.title)))
    assert "Vår egen plan" not in titles and len(titles) == 5
    app.extensions["tracker.engine"].dispose()
