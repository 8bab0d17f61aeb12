"""Faults on a real gunicorn: a killed worker, a stopped master, a read-only filesystem.

Unusable model files (missing, truncated, wrong sha256) are covered by
tests/e2e/test_e2e_startup.py and are not repeated here.
"""

from __future__ import annotations

import json
import shlex
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import requests
from rel_helpers import (
    GUNICORN_ARGV,
    Load,
    free_port,
    kill,
    launch,
    pid_alive,
    server_env,
    start,
    wait_for,
    wait_ready,
    worker_pids,
)

pytestmark = pytest.mark.e2e


def test_sigkilled_worker_is_replaced_and_only_its_request_fails(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    server = launch(tiny_model_dir, tmp_path / "server.log", MISINFO_WORKERS="2")
    try:
        before = worker_pids(server.process.pid)
        assert len(before) == 2
        with Load(server.url, {}, clients=4) as load:
            time.sleep(1.5)
            kill(before[0], signal.SIGKILL)
            replaced = wait_for(
                lambda: len(set(worker_pids(server.process.pid)) - set(before)) == 1, 10
            )
            time.sleep(1.5)
        after = worker_pids(server.process.pid)
    finally:
        status = server.stop()
    print(f"SIGKILL figure: {dict(load.outcomes)}")
    assert replaced, server.log_text()
    assert len(after) == 2, (before, after, server.log_text())
    assert before[0] not in after
    # A sync worker holds one request at a time: at most that one is lost.
    assert load.failures <= 1, dict(load.outcomes)
    assert load.outcomes["200"] > 20
    assert status == 0


def test_sigterm_lets_in_flight_requests_finish(tiny_model_dir: Path, tmp_path: Path) -> None:
    server = launch(
        tiny_model_dir, tmp_path / "server.log", MISINFO_WORKERS="2", MISINFO_GRACEFUL_TIMEOUT="20"
    )
    # Long enough to be mid-flight when the signal lands: a batch of 40 near-maximum documents
    # (about 3.8 MB, under the 4 MiB body limit) takes seconds even with the fast extraction.
    document = {"text": "Officials said the bridge may reopen. " * 2_500, "explain": True}
    body: dict[str, Any] = {"documents": [{"id": str(i), **document} for i in range(40)]}
    outcomes: list[str] = []
    finished: list[float] = []

    def post() -> None:
        try:
            response = requests.post(f"{server.url}/score/batch", json=body, timeout=60)
            outcomes.append(str(response.status_code))
        except requests.RequestException as exc:
            outcomes.append(type(exc).__name__)
        finished.append(time.perf_counter())

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    time.sleep(0.5)
    server.process.send_signal(signal.SIGTERM)
    signalled = time.perf_counter()
    for thread in threads:
        thread.join(timeout=60)
    status = server.process.wait(timeout=60)
    after = [round(t - signalled, 2) for t in finished]
    print(f"SIGTERM figure: outcomes={outcomes} finished {after} s after the signal")
    assert outcomes == ["200", "200"], server.log_text()
    assert min(after) > 0, "the requests must still have been in flight at the signal"
    assert status == 0, server.log_text()


def _read_only_possible(probe: Path) -> bool:
    """Return whether this machine lets us bind-mount a folder read-only in a private namespace."""
    probe.mkdir()
    script = f"mount --bind {probe} {probe} && mount -o remount,bind,ro {probe}"
    try:
        result = subprocess.run(
            ["unshare", "-m", "sh", "-c", script], capture_output=True, timeout=10, check=False
        )
    except FileNotFoundError:
        return False
    return result.returncode == 0


def test_serving_works_with_code_and_model_on_a_read_only_filesystem(
    tiny_model_dir: Path, tmp_path: Path
) -> None:
    if not _read_only_possible(tmp_path / "probe"):
        pytest.skip("unshare/mount not permitted here: cannot make a read-only filesystem")
    model_dir = tmp_path / "model"
    shutil.copytree(tiny_model_dir, model_dir)
    repo = Path(__file__).resolve().parents[2]
    # Mode bits do not stop root, so remount the repository (code, venv) and the model read-only
    # in a private mount namespace, prove a write fails, then run gunicorn there.
    mounts = " && ".join(
        f"mount --bind {shlex.quote(str(d))} {shlex.quote(str(d))} && "
        f"mount -o remount,bind,ro {shlex.quote(str(d))}"
        for d in (repo, model_dir)
    )
    proof = f"! touch {shlex.quote(str(model_dir / 'w'))} 2>/dev/null && ! touch {shlex.quote(str(repo / '.w'))} 2>/dev/null"
    script = f"{mounts} && {proof} && exec {shlex.join(GUNICORN_ARGV)}"
    port = free_port()
    env = server_env(port, MISINFO_MODEL_DIR=str(model_dir), MISINFO_WORKERS="1")
    server = start(["unshare", "-m", "sh", "-c", script], env, tmp_path / "server.log", port)
    try:
        wait_ready(server)
        response = requests.post(
            f"{server.url}/score", json={"text": "Officials said it may rain."}, timeout=10
        )
        metrics = requests.get(f"{server.url}/metrics", timeout=10)
    finally:
        status = server.stop()
    assert response.status_code == 200, response.text
    assert json.loads(response.text)["sentences"]
    assert metrics.status_code == 200
    assert status == 0, server.log_text()
    assert not (model_dir / "w").exists()


def test_no_worker_outlives_its_master(tiny_model_dir: Path, tmp_path: Path) -> None:
    server = launch(tiny_model_dir, tmp_path / "server.log", MISINFO_WORKERS="2")
    workers = worker_pids(server.process.pid)
    assert server.stop() == 0
    assert wait_for(lambda: not any(pid_alive(pid) for pid in workers), 10)
