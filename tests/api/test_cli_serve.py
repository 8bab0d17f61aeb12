"""`misinfo-signals serve` hands over to gunicorn with gunicorn.conf.py and the given settings."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from service.cli.serve import APP, serve

# service.cli re-exports the command as `serve`, shadowing the module attribute: look it up.
serve_module = importlib.import_module("service.cli.serve")

REPO = Path(__file__).resolve().parents[2]


class Exec:
    """Stand-in for os.execve that records what would have been executed."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, list[str], dict[str, str]]] = []

    def __call__(self, path: str, argv: list[str], env: dict[str, str]) -> Any:
        self.calls.append((path, argv, env))


@pytest.fixture
def fake_exec(monkeypatch: pytest.MonkeyPatch) -> Exec:
    """Replace os.execve in the serve module."""
    recorder = Exec()
    monkeypatch.setattr(serve_module.os, "execve", recorder)
    monkeypatch.chdir(REPO)
    return recorder


def test_execs_gunicorn_with_the_config_file(fake_exec: Exec) -> None:
    result = CliRunner().invoke(serve, [])
    assert result.exit_code == 0, result.output
    [(path, argv, _)] = fake_exec.calls
    assert path == sys.executable
    assert argv == [sys.executable, "-m", "gunicorn", "-c", str(REPO / "gunicorn.conf.py"), APP]


def test_options_become_settings(fake_exec: Exec) -> None:
    result = CliRunner().invoke(serve, ["--bind", "127.0.0.1:9999", "--workers", "3"])
    assert result.exit_code == 0, result.output
    env = fake_exec.calls[0][2]
    assert env["MISINFO_BIND"] == "127.0.0.1:9999"
    assert env["MISINFO_WORKERS"] == "3"


@pytest.mark.parametrize(("args", "variable"), [(["--bind", "nowhere"], "MISINFO_BIND")])
def test_bad_option_exits_2_before_gunicorn(
    fake_exec: Exec, args: list[str], variable: str
) -> None:
    result = CliRunner().invoke(serve, args)
    assert result.exit_code == 2
    assert variable in result.stderr
    assert fake_exec.calls == []


def test_missing_config_file_exits_2(
    fake_exec: Exec, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(serve_module, "find_gunicorn_conf", lambda: None)
    result = CliRunner().invoke(serve, [])
    assert result.exit_code == 2
    assert "gunicorn.conf.py not found" in result.stderr
