"""Contract fuzzing in CI: a small schemathesis run against a real gunicorn's /openapi.json."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from rel_helpers import Server

pytestmark = pytest.mark.e2e

# No --max-seconds: schemathesis would keep fuzzing until the budget is spent.
SCRIPT = Path(__file__).resolve().parents[2] / "reliability" / "fuzz_full.py"
MIN_REQUESTS = 150


def test_schemathesis_finds_no_5xx_and_no_schema_violation(
    rel_server: Server, rel_key: str
) -> None:
    argv = [
        sys.executable,
        str(SCRIPT),
        "--url",
        rel_server.url,
        "--key",
        rel_key,
        "--max-examples",
        "25",
        "--min-requests",
        str(MIN_REQUESTS),
    ]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=120, check=False)
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert result.returncode == 0, result.stderr[-4000:]
    assert summary["server_errors"] == 0
    assert summary["requests"] >= MIN_REQUESTS
