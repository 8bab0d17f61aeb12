"""Fixtures for the ``check`` command: drafts copied into tmp_path and a runner bound to it."""

from __future__ import annotations

from pathlib import Path

import pytest
from check_helpers import Outcome, Run, copy_drafts
from click.testing import CliRunner

from service.cli.check import check


@pytest.fixture
def drafts(tmp_path: Path) -> Path:
    """Return tmp_path/drafts holding a copy of every draft."""
    return copy_drafts(tmp_path)


@pytest.fixture
def run(tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Run:
    """Return a function that runs ``check`` in tmp_path with the tiny model."""
    monkeypatch.chdir(tmp_path)
    for name in ("NO_COLOR", "MISINFO_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MISINFO_MODEL_DIR", str(tiny_model_dir))

    def invoke(*args: str, stdin: str | bytes | None = None) -> Outcome:
        result = CliRunner().invoke(check, list(args), input=stdin, catch_exceptions=False)
        return Outcome(result.exit_code, result.stdout, result.stderr)

    return invoke
