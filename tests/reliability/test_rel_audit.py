"""pip-audit over the pinned dependencies (constraints.txt): no known vulnerability but listed ones."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
PIP_AUDIT = Path(sys.executable).parent / "pip-audit"
# Documented exceptions: advisory id -> why it does not apply. Empty: none is accepted today.
ACCEPTED: dict[str, str] = {}
UNREACHABLE = "Dependency not found on PyPI and could not be audited"


@pytest.fixture(scope="module")
def audit() -> dict[str, Any]:
    """Run pip-audit on constraints.txt (every pin, no resolution) and return its JSON report."""
    argv = [
        str(PIP_AUDIT),
        "--requirement",
        str(REPO / "constraints.txt"),
        "--no-deps",  # every line is an exact pin already
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
        *(arg for vuln in ACCEPTED for arg in ("--ignore-vuln", vuln)),
    ]
    result = subprocess.run(argv, capture_output=True, text=True, timeout=300, check=False)
    if "ConnectionError" in result.stderr or "NameResolutionError" in result.stderr:
        pytest.skip(f"the advisory service is unreachable: {result.stderr.strip()[-300:]}")
    report: dict[str, Any] = json.loads(result.stdout)
    dependencies = report["dependencies"]
    unreachable = [d for d in dependencies if UNREACHABLE in d.get("skip_reason", "")]
    if dependencies and len(unreachable) == len(dependencies):
        # pip-audit exits 0 ("No known vulnerabilities found") although it audited nothing.
        pytest.skip("the PyPI vulnerability API answered 404 for every pin: nothing was audited")
    return report


def test_every_pin_was_audited(audit: dict[str, Any]) -> None:
    skipped = {d["name"]: d["skip_reason"] for d in audit["dependencies"] if "skip_reason" in d}
    assert not skipped


def test_no_known_vulnerability_outside_the_documented_exceptions(audit: dict[str, Any]) -> None:
    found = {
        f"{d['name']}=={d['version']}": [v["id"] for v in d["vulns"]]
        for d in audit["dependencies"]
        if d.get("vulns")
    }
    assert not found
