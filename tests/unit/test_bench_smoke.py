"""Smoke-run the benchmark harness: it runs end to end and writes the documented schema.

No speed is asserted: figures on a shared CI runner mean nothing. The run is real (in-process
scoring, a 2-second HTTP load against a real gunicorn), with the tiny model and a few iterations.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[2]
HEADLINE_KEYS = (
    "sentences_per_second_per_core",
    "score_floor_ratio",
    "peer_speed_ratio",
    "http_rps",
    "http_p99_ms",
)


@pytest.fixture(scope="module")
def smoke_result(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run `python -m benchmarks --smoke` once and return the JSON it wrote."""
    out = tmp_path_factory.mktemp("bench") / "latest.json"
    command = [sys.executable, "-m", "benchmarks", "--smoke", "--model-dir", str(tiny_model_dir)]
    done = subprocess.run(
        [*command, "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


@pytest.mark.parametrize("key", HEADLINE_KEYS)
def test_headline_key_present(smoke_result: dict[str, Any], key: str) -> None:
    """Each headline figure is in the output (the peer's may be null)."""
    assert key in smoke_result


@pytest.mark.parametrize(
    "key", ["sentences_per_second_per_core", "score_floor_ratio", "http_rps", "http_p99_ms"]
)
def test_measured_figure_is_positive(smoke_result: dict[str, Any], key: str) -> None:
    """The figures the smoke run measures are positive numbers."""
    assert isinstance(smoke_result[key], int | float)
    assert smoke_result[key] > 0


def test_peer_skipped_in_smoke(smoke_result: dict[str, Any]) -> None:
    """The smoke run leaves the peer out and says so with a null ratio."""
    assert smoke_result["peer_speed_ratio"] is None
    assert smoke_result["peer"]["measured"] is False


def test_http_run_had_no_errors(smoke_result: dict[str, Any]) -> None:
    """The real server answered every request of the short load with 200."""
    assert smoke_result["http"]["score"]["errors"] == 0
    assert smoke_result["http"]["score"]["requests"] > 0


def test_scaling_covers_several_lengths(smoke_result: dict[str, Any]) -> None:
    """The scaling section has one row per article length and the maximum-size article."""
    sizes = [row["sentences"] for row in smoke_result["scaling"]["rows"]]
    assert sizes == sorted(sizes)
    assert len(sizes) >= 3
    assert smoke_result["scaling"]["max_article"]["chars"] <= 100_000


def test_every_target_is_reported(smoke_result: dict[str, Any]) -> None:
    """Each target of the issue has a met/missed/unmeasured entry."""
    assert set(smoke_result["targets"]) >= {"sentences_per_second_per_core", "http_rps"}
