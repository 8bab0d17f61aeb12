"""One real gunicorn for the session: the shipped model, two workers, API keys on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_helpers import GUNICORN_ARGV, Server, free_port, server_env, start, wait_ready

E2E_KEY = "e2e-key-0123456789abcdef"


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory, shipped_model_dir: Path) -> Iterator[Server]:
    """Start gunicorn exactly as `make serve` does; stop it gracefully at the end."""
    port = free_port()
    env = server_env(
        port,
        MISINFO_MODEL_DIR=str(shipped_model_dir),
        MISINFO_WORKERS="2",
        MISINFO_API_KEYS=E2E_KEY,
    )
    log = tmp_path_factory.mktemp("e2e") / "server.log"
    running = start(GUNICORN_ARGV, env, log, port)
    wait_ready(running)
    yield running
    status = running.stop()
    assert status == 0, f"gunicorn exited with {status} on SIGTERM:\n{running.log_text()}"


@pytest.fixture(scope="session")
def auth() -> dict[str, str]:
    """Return the Authorization header the session server accepts."""
    return {"Authorization": f"Bearer {E2E_KEY}"}
