"""Starting and stopping real servers: a bad model or setting stops gunicorn with one clear line."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from e2e_helpers import GUNICORN_ARGV, REPO, free_port, server_env, start, wait_ready

pytestmark = pytest.mark.e2e


def damaged_model(source: Path, target: Path, damage: str) -> Path:
    """Copy a model folder and damage it; return the file the error must name."""
    shutil.copytree(source, target)
    model_file = target / "model.joblib"
    if damage == "missing":
        model_file.unlink()
    elif damage == "truncated":
        model_file.write_bytes(model_file.read_bytes()[:2048])
    elif damage == "wrong-sha256":
        metadata = json.loads((target / "metadata.json").read_text())
        metadata["sha256"] = "f" * 64
        (target / "metadata.json").write_text(json.dumps(metadata))
    return model_file


DAMAGES = ("missing", "truncated", "wrong-sha256")


@dataclass(frozen=True)
class FailedStart:
    """How one gunicorn run that had to fail ended."""

    returncode: int
    output: str
    model_file: Path | None


@pytest.fixture(scope="module")
def failed_starts(
    tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, FailedStart]:
    """Start gunicorn once per damaged model, plus once with a bad setting, all at the same time."""
    root = tmp_path_factory.mktemp("damaged")
    envs: dict[str, tuple[dict[str, str], Path | None]] = {}
    for damage in DAMAGES:
        model_file = damaged_model(tiny_model_dir, root / damage, damage)
        envs[damage] = (
            server_env(free_port(), MISINFO_MODEL_DIR=str(model_file.parent)),
            model_file,
        )
    bad_setting = server_env(
        free_port(), MISINFO_MODEL_DIR=str(tiny_model_dir), MISINFO_WORKERS="many"
    )
    envs["bad-setting"] = (bad_setting, None)
    processes = {
        name: subprocess.Popen(
            GUNICORN_ARGV,
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for name, (env, _) in envs.items()
    }
    results = {}
    for name, process in processes.items():
        try:
            output, _ = process.communicate(timeout=90)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
        results[name] = FailedStart(process.returncode, output, envs[name][1])
    return results


@pytest.mark.parametrize("damage", DAMAGES)
def test_unusable_model_stops_gunicorn_naming_the_file(
    failed_starts: dict[str, FailedStart], damage: str
) -> None:
    result = failed_starts[damage]
    assert result.model_file is not None
    assert result.returncode != 0
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(errors) == 1, result.output
    assert str(result.model_file) in errors[0]
    assert "Traceback" not in result.output
    assert "Booting worker" not in result.output


@pytest.mark.parametrize("damage", ["truncated", "wrong-sha256"])
def test_sha256_mismatch_names_both_values(
    failed_starts: dict[str, FailedStart], damage: str
) -> None:
    result = failed_starts[damage]
    assert result.model_file is not None
    actual = hashlib.sha256(result.model_file.read_bytes()).hexdigest()
    expected = json.loads((result.model_file.parent / "metadata.json").read_text())["sha256"]
    assert f"expects {expected}, the file has {actual}" in result.output


def test_invalid_setting_stops_gunicorn_naming_the_variable(
    failed_starts: dict[str, FailedStart],
) -> None:
    result = failed_starts["bad-setting"]
    assert result.returncode != 0
    assert "MISINFO_WORKERS" in result.output
    assert "Traceback" not in result.output


def test_serve_command_runs_gunicorn_and_stops_gracefully(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    port = free_port()
    env = server_env(port, MISINFO_MODEL_DIR=str(tiny_model_dir))
    del env["MISINFO_BIND"]  # the option must set it
    cli = str(Path(sys.executable).parent / "misinfo-signals")
    argv = [cli, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"]
    server = start(argv, env, tmp_path / "serve.log", port)
    try:
        wait_ready(server)
        version = requests.get(f"{server.url}/version", timeout=5).json()
        assert version["model"]["name"] == "tiny-test-model"
    finally:
        status = server.stop()
    assert status == 0, server.log_text()
    assert "Shutting down: Master" in server.log_text()
