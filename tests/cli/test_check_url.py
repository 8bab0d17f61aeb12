"""``--url`` against a real gunicorn gives byte-identical output to the embedded model."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from check_helpers import Run, write

REPO = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).parent / "gunicorn"
pytestmark = pytest.mark.e2e


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="module")
def service_url(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Start gunicorn with the tiny model and yield its base URL."""
    port = _free_port()
    log = tmp_path_factory.mktemp("gunicorn") / "server.log"
    env = {
        **os.environ,
        "MISINFO_MODEL_DIR": str(tiny_model_dir),
        "MISINFO_BIND": f"127.0.0.1:{port}",
        "MISINFO_WORKERS": "1",
        "MISINFO_LOG_LEVEL": "warning",
    }
    env.pop("MISINFO_API_KEYS", None)
    with log.open("wb") as sink:
        server = subprocess.Popen(
            [str(GUNICORN), "-c", "gunicorn.conf.py", "service:create_app()"],
            cwd=REPO,
            env=env,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if server.poll() is not None:
                pytest.fail(f"gunicorn exited: {log.read_text(errors='replace')}")
            try:
                with urllib.request.urlopen(f"{url}/readyz", timeout=1) as response:
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"gunicorn never became ready: {log.read_text(errors='replace')}")
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.mark.parametrize("fmt", ["text", "json", "github", "sarif", "rdjsonl"])
def test_url_output_is_identical_to_embedded(
    run: Run, drafts: Path, service_url: str, fmt: str
) -> None:
    args = ("--no-config", "--report-unused-disables", "--format", fmt, "drafts")
    embedded = run(*args)
    remote = run("--url", service_url, *args)
    assert (remote.exit_code, remote.stderr) == (embedded.exit_code, embedded.stderr)
    assert remote.stdout.encode("utf-8") == embedded.stdout.encode("utf-8")


def test_per_path_thresholds_reach_the_service(run: Run, tmp_path: Path, service_url: str) -> None:
    write(
        tmp_path / ".misinfo-signals.toml",
        "[signals.loaded_language]\nthreshold = 0.2\n"
        '[[overrides]]\npaths = ["opinion/"]\n'
        "[overrides.signals.unverified_claim]\nthreshold = 0.9\n",
    )
    claim = (
        "The ministry claimed the outage was sabotage, but it provided no evidence to support "
        "its claims."
    )
    write(tmp_path / "news" / "a.md", f"{claim}\n")
    write(tmp_path / "opinion" / "a.md", f"{claim}\n")
    embedded = run("--format", "json", ".")
    remote = run("--url", service_url, "--format", "json", ".")
    assert remote.stdout == embedded.stdout
    findings = json.loads(remote.stdout)["findings"]
    assert [(f["path"], f["rule"]) for f in findings] == [
        ("news/a.md", "unverified_claim"),
        ("news/a.md", "no_evidence"),
        ("opinion/a.md", "no_evidence"),
    ]


def test_empty_documents_need_no_request(run: Run, tmp_path: Path, service_url: str) -> None:
    write(tmp_path / "empty.md", "")
    write(tmp_path / "blank.txt", "  \n\n")
    assert (
        run("--url", service_url, "--format", "json", ".").stdout
        == run("--format", "json", ".").stdout
    )
