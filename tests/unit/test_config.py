"""Settings: defaults, parsing from MISINFO_* variables, errors, and the documented table."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from service.config import ConfigError, Settings, cpu_count, env_name, main, settings_table
from service.core.model import DEFAULT_MODEL_DIR

REPO = Path(__file__).resolve().parents[2]


def test_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.model_dir == DEFAULT_MODEL_DIR
    assert settings.max_chars == 100_000
    assert settings.max_batch == 64
    assert settings.api_keys == ()
    assert settings.log_level == "info"
    assert settings.bind == "0.0.0.0:8000"
    assert settings.worker_count() == cpu_count()


@pytest.mark.parametrize(
    ("variable", "raw", "field", "expected"),
    [
        ("MISINFO_MODEL_DIR", " /srv/model ", "model_dir", Path("/srv/model")),
        ("MISINFO_MAX_CHARS", "500", "max_chars", 500),
        ("MISINFO_MAX_BATCH", " 8 ", "max_batch", 8),
        ("MISINFO_MAX_BODY_BYTES", "1024", "max_body_bytes", 1024),
        ("MISINFO_API_KEYS", "k1, k2,,", "api_keys", ("k1", "k2")),
        ("MISINFO_API_KEYS", "", "api_keys", ()),
        ("MISINFO_LOG_LEVEL", "WARNING", "log_level", "warning"),
        ("MISINFO_BIND", "127.0.0.1:9000", "bind", "127.0.0.1:9000"),
        ("MISINFO_BIND", "unix:/run/misinfo.sock", "bind", "unix:/run/misinfo.sock"),
        ("MISINFO_WORKERS", "3", "workers", 3),
        ("MISINFO_WORKERS", "0", "workers", 0),
        ("MISINFO_TIMEOUT", "60", "timeout", 60),
        ("MISINFO_GRACEFUL_TIMEOUT", "5", "graceful_timeout", 5),
    ],
)
def test_each_variable_is_parsed(variable: str, raw: str, field: str, expected: object) -> None:
    assert getattr(Settings.from_env({variable: raw}), field) == expected


@pytest.mark.parametrize(
    ("variable", "raw"),
    [
        ("MISINFO_MAX_CHARS", "ten"),
        ("MISINFO_MAX_CHARS", "0"),
        ("MISINFO_MAX_CHARS", "-5"),
        ("MISINFO_MAX_CHARS", "1e5"),
        ("MISINFO_MAX_BATCH", ""),
        ("MISINFO_MAX_BODY_BYTES", "4MB"),
        ("MISINFO_LOG_LEVEL", "verbose"),
        ("MISINFO_BIND", "8000"),
        ("MISINFO_WORKERS", "-1"),
        ("MISINFO_TIMEOUT", "0"),
        ("MISINFO_MODEL_DIR", "  "),
        ("MISINFO_API_KEYS", "has space"),
        ("MISINFO_API_KEYS", "clé"),
    ],
)
def test_invalid_value_is_an_error_naming_the_variable(variable: str, raw: str) -> None:
    with pytest.raises(ConfigError, match=f"^{variable}: "):
        Settings.from_env({variable: raw})


def test_port_sets_the_bind_address_when_misinfo_bind_is_unset() -> None:
    assert Settings.from_env({"PORT": "5000"}).bind == "0.0.0.0:5000"


def test_misinfo_bind_wins_over_port() -> None:
    settings = Settings.from_env({"PORT": "5000", "MISINFO_BIND": "127.0.0.1:6000"})
    assert settings.bind == "127.0.0.1:6000"


def test_workers_setting_overrides_the_cpu_count() -> None:
    assert Settings.from_env({"MISINFO_WORKERS": "3"}).worker_count() == 3


def test_overrides_parse_strings_and_keep_values() -> None:
    settings = Settings.from_env({}).with_overrides(
        {"MAX_CHARS": "7", "MAX_BATCH": 2, "MODEL_DIR": "/x", "API_KEYS": ["a"], "TESTING": True}
    )
    assert (settings.max_chars, settings.max_batch) == (7, 2)
    assert settings.model_dir == Path("/x")
    assert settings.api_keys == ("a",)


def test_model_dir_override_none_means_no_model() -> None:
    assert Settings.from_env({}).with_overrides({"MODEL_DIR": None}).model_dir is None


def test_every_setting_is_documented_in_the_table() -> None:
    table = settings_table()
    for spec in dataclasses.fields(Settings):
        assert spec.metadata["help"]
        assert f"| `{env_name(spec.name)}` |" in table


def test_markdown_command_prints_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--markdown"]) == 0
    assert capsys.readouterr().out == settings_table()


def test_effective_settings_never_print_keys(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("MISINFO_API_KEYS", "super-secret-key")
    assert main([]) == 0
    out = capsys.readouterr().out
    assert "super-secret-key" not in out
    assert "MISINFO_API_KEYS=1 key(s)" in out


def documented_rows(markdown: str) -> list[str]:
    """Return the settings rows of the Markdown tables in a document."""
    return [line for line in markdown.splitlines() if re.match(r"\| `MISINFO_[A-Z_]+` \|", line)]


def test_docs_configuration_has_the_current_table() -> None:
    text = (REPO / "docs" / "configuration.md").read_text(encoding="utf-8")
    assert settings_table() in text, "run: python -m service.config --markdown"


def test_readme_documents_every_setting_as_generated() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert documented_rows(readme) == documented_rows(settings_table()), (
        "README.md's configuration table differs from service/config.py; paste the output of "
        "`python -m service.config --markdown`"
    )
