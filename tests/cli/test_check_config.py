"""Config discovery, strict parsing and precedence: flags > per-path override > file > defaults."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_helpers import write

from service.cli.check.config import (
    FlagConfig,
    Policy,
    discover_config,
    parse_config,
    resolve_policy,
)
from service.cli.check.errors import ConfigError

POLICY = """
fail-on = "error"
include = ["*.md"]
exclude = ["archive/"]

[signals.hedging]
threshold = 0.7
level = "warning"

[signals.anonymous_sourcing]
level = "error"

[[overrides]]
paths = ["opinion/**"]
[overrides.signals.hedging]
level = "off"
threshold = 0.9
[overrides.signals.anonymous_sourcing]
level = "notice"
"""


def test_dedicated_file_is_found_walking_up(tmp_path: Path) -> None:
    write(tmp_path / ".misinfo-signals.toml", 'fail-on = "notice"\n')
    found = discover_config(tmp_path / "a" / "b")
    assert found is not None
    assert found[0] == tmp_path / ".misinfo-signals.toml"


def test_pyproject_table_is_found(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.misinfo-signals]\nfail-on = "error"\n')
    found = discover_config(tmp_path / "sub")
    assert found is not None
    assert found[1] == {"fail-on": "error"}


def test_pyproject_without_the_table_is_skipped(tmp_path: Path) -> None:
    write(tmp_path / ".misinfo-signals.toml", 'fail-on = "error"\n')
    write(tmp_path / "sub" / "pyproject.toml", "[tool.other]\nx = 1\n")
    found = discover_config(tmp_path / "sub")
    assert found is not None
    assert found[0].name == ".misinfo-signals.toml"


def test_dedicated_file_wins_over_pyproject_in_the_same_directory(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.misinfo-signals]\nfail-on = "error"\n')
    write(tmp_path / ".misinfo-signals.toml", 'fail-on = "notice"\n')
    found = discover_config(tmp_path)
    assert found is not None
    assert found[0].name == ".misinfo-signals.toml"


def test_nearest_directory_wins(tmp_path: Path) -> None:
    write(tmp_path / ".misinfo-signals.toml", 'fail-on = "error"\n')
    write(tmp_path / "sub" / ".misinfo-signals.toml", 'fail-on = "notice"\n')
    found = discover_config(tmp_path / "sub")
    assert found is not None
    assert found[1] == {"fail-on": "notice"}


def _policy(tmp_path: Path, flags: FlagConfig | None = None) -> Policy:
    config = write(tmp_path / ".misinfo-signals.toml", POLICY)
    return resolve_policy(flags or FlagConfig(), cwd=tmp_path, config=config)


@pytest.mark.parametrize(
    ("path", "flags", "signal", "threshold", "level"),
    [
        # defaults: the model's threshold (None here) and the taxonomy's level
        ("news/a.md", FlagConfig(), "no_evidence", None, "warning"),
        ("news/a.md", FlagConfig(), "loaded_language", None, "notice"),
        # the file
        ("news/a.md", FlagConfig(), "hedging", 0.7, "warning"),
        ("news/a.md", FlagConfig(), "anonymous_sourcing", None, "error"),
        # a per-path override beats the file
        ("opinion/a.md", FlagConfig(), "hedging", 0.9, "off"),
        ("opinion/a.md", FlagConfig(), "anonymous_sourcing", None, "notice"),
        # flags beat the override, the file and the defaults
        ("opinion/a.md", FlagConfig(thresholds={"hedging": 0.3}), "hedging", 0.3, "off"),
        ("opinion/a.md", FlagConfig(levels={"hedging": "error"}), "hedging", 0.9, "error"),
        ("news/a.md", FlagConfig(levels={"no_evidence": "off"}), "no_evidence", None, "off"),
    ],
)
def test_precedence(
    tmp_path: Path,
    path: str,
    flags: FlagConfig,
    signal: str,
    threshold: float | None,
    level: str,
) -> None:
    resolved = _policy(tmp_path, flags).for_path(path)
    assert resolved.thresholds.get(signal) == threshold
    assert resolved.level(signal) == level


@pytest.mark.parametrize(
    ("flags", "fail_on", "include", "exclude"),
    [
        (FlagConfig(), "error", ("*.md",), ("archive/",)),
        (FlagConfig(fail_on="notice"), "notice", ("*.md",), ("archive/",)),
        (FlagConfig(include=("*.txt",), exclude=()), "error", ("*.txt",), ()),
    ],
)
def test_global_settings_precedence(
    tmp_path: Path,
    flags: FlagConfig,
    fail_on: str,
    include: tuple[str, ...],
    exclude: tuple[str, ...],
) -> None:
    policy = _policy(tmp_path, flags)
    assert (policy.fail_on, policy.include, policy.exclude) == (fail_on, include, exclude)


def test_defaults_without_a_config(tmp_path: Path) -> None:
    policy = resolve_policy(FlagConfig(), cwd=tmp_path, use_config=False)
    assert policy.fail_on == "warning"
    assert policy.for_path("a.md").level("unverified_claim") == "warning"
    assert policy.for_path("a.md").level("hedging") == "notice"


def test_later_overrides_win(tmp_path: Path) -> None:
    config = write(
        tmp_path / ".misinfo-signals.toml",
        '[[overrides]]\npaths = ["**"]\nsignals.hedging.level = "error"\n'
        '[[overrides]]\npaths = ["opinion/"]\nsignals.hedging.level = "off"\n',
    )
    policy = resolve_policy(FlagConfig(), cwd=tmp_path, config=config)
    assert policy.for_path("opinion/x.md").level("hedging") == "off"
    assert policy.for_path("news/x.md").level("hedging") == "error"


@pytest.mark.parametrize(
    ("content", "key", "problem"),
    [
        ('fail_on = "error"\n', "fail_on", "unknown key (did you mean 'fail-on'?)"),
        ('fail-on = "loud"\n', "fail-on", "must be one of error, warning, notice, none"),
        ('include = "*.md"\n', "include", "must be an array"),
        (
            '[signals.hedgin]\nlevel = "off"\n',
            "signals.hedgin",
            "unknown signal (did you mean 'hedging'?)",
        ),
        ("[signals.hedging]\nthreshold = 1.5\n", "signals.hedging.threshold", "between 0 and 1"),
        ("[signals.hedging]\nthreshold = true\n", "signals.hedging.threshold", "between 0 and 1"),
        ('[signals.hedging]\nlevel = "loud"\n', "signals.hedging.level", "must be one of"),
        ("[signals.hedging]\ncolour = 1\n", "signals.hedging.colour", "unknown key"),
        ("[[overrides]]\nsignals = {}\n", "overrides[0].paths", "is required"),
        ("[[overrides]]\npaths = []\n", "overrides[0].paths", "at least one glob"),
        ("overrides = 3\n", "overrides", "array of tables"),
    ],
)
def test_bad_config_names_file_and_key(
    tmp_path: Path, content: str, key: str, problem: str
) -> None:
    path = write(tmp_path / ".misinfo-signals.toml", content)
    with pytest.raises(ConfigError) as caught:
        resolve_policy(FlagConfig(), cwd=tmp_path)
    assert caught.value.source == str(path)
    assert caught.value.key == key
    assert problem in caught.value.problem


def test_pyproject_keys_are_reported_with_their_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", "[tool.misinfo-signals]\nfailon = 1\n")
    with pytest.raises(
        ConfigError, match=r"pyproject\.toml: tool\.misinfo-signals\.failon: unknown key"
    ):
        resolve_policy(FlagConfig(), cwd=tmp_path)


def test_invalid_toml_is_a_config_error(tmp_path: Path) -> None:
    write(tmp_path / ".misinfo-signals.toml", "fail-on = \n")
    with pytest.raises(ConfigError, match="invalid TOML"):
        resolve_policy(FlagConfig(), cwd=tmp_path)


def test_explicit_config_must_exist(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        resolve_policy(FlagConfig(), cwd=tmp_path, config=tmp_path / "missing.toml")


def test_parse_config_accepts_the_documented_example(tmp_path: Path) -> None:
    import tomllib

    parsed = parse_config(tmp_path / ".misinfo-signals.toml", tomllib.loads(POLICY))
    assert parsed.overrides[0].paths == ("opinion/**",)
