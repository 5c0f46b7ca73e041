"""Configuration layering and start-up checks."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tracker import create_app
from tracker.config import DEFAULTS, INTERNAL_KEYS, ConfigError


def test_toml_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "tracker.toml"
    config.write_text(
        'SECRET_KEY = "from-file"\nPUBLIC_URL = "https://file.example"\n'
        f'DATABASE_URL = "sqlite:///{tmp_path}/t.sqlite"\n'
        '[TRELLO]\nAPI_KEY = "k"\n'
    )
    monkeypatch.setenv("TRACKER_CONFIG", str(config))
    monkeypatch.setenv("TRACKER_PUBLIC_URL", "https://env.example")
    monkeypatch.setenv("TRACKER_TRELLO__TOKEN", "t")
    app = create_app()
    assert app.config["SECRET_KEY"] == "from-file"
    assert app.config["PUBLIC_URL"] == "https://env.example"
    assert app.config["TRELLO"]["API_KEY"] == "k"
    assert app.config["TRELLO"]["TOKEN"] == "t"
    assert app.config["TRELLO"]["API_URL"] == "https://api.trello.com/1"


def test_problems_are_listed_together(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as error:
        create_app(
            {
                "DATABASE_URL": "mysql://x",
                "PUBLIC_URL": "ftp://x",
                "SECRET_KEY": "x",
                "WORKFLOW_STAGES": ["Bara ett"],
            }
        )
    message = str(error.value)
    assert "DATABASE_URL" in message
    assert "PUBLIC_URL" in message
    assert "WORKFLOW_STAGES" in message


def test_lower_case_keys_in_the_file_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('secret_key = "x"\n')
    monkeypatch.setenv("TRACKER_CONFIG", str(config))
    with pytest.raises(ConfigError, match="UPPERCASE"):
        create_app()


def test_unreadable_toml_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "broken.toml"
    config.write_text("SECRET_KEY = \n")
    monkeypatch.setenv("TRACKER_CONFIG", str(config))
    with pytest.raises(ConfigError, match="not valid TOML"):
        create_app()


def _keys(mapping: dict, prefix: str = "") -> set[str]:  # type: ignore[type-arg]
    found = set()
    for key, value in mapping.items():
        if isinstance(value, dict) and value:
            found |= _keys(value, f"{prefix}{key}.")
        else:
            found.add(f"{prefix}{key}")
    return found


def test_example_config_documents_every_key_and_loads(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    example = Path(__file__).parent.parent / "config.example.toml"
    documented = _keys(tomllib.loads(example.read_text()))
    expected = _keys(DEFAULTS) - INTERNAL_KEYS
    assert sorted(expected - documented) == []
    assert sorted(documented - expected) == []
    monkeypatch.setenv("TRACKER_CONFIG", str(example))
    assert create_app().config["WORKFLOW_STAGES"] == ["Planerad", "Pågår", "Klar"]
