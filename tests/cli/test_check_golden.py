"""Golden files: every output format over the drafts, with the tiny (deterministic) model.

Regenerate after an intended change with ``UPDATE_GOLDEN=1 pytest tests/cli -k golden``
and review the diff like code.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from check_helpers import GOLDEN, Run

FORMATS = {
    "text": "drafts.text.txt",
    "json": "drafts.json",
    "github": "drafts.github.txt",
    "sarif": "drafts.sarif.json",
    "rdjsonl": "drafts.rdjsonl",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_matches_golden_file(run: Run, drafts: Path, fmt: str) -> None:
    outcome = run("--no-config", "--report-unused-disables", "--format", fmt, "drafts")
    assert outcome.exit_code == 1, outcome.stderr
    golden = GOLDEN / FORMATS[fmt]
    if os.environ.get("UPDATE_GOLDEN") == "1":
        golden.write_bytes(outcome.stdout.encode("utf-8"))
    assert outcome.stdout == golden.read_bytes().decode("utf-8")
