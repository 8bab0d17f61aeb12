"""Start and stop real gunicorn servers for the end-to-end tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
GUNICORN_ARGV = [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py", "service:create_app()"]
START_TIMEOUT = 60.0


def free_port() -> int:
    """Return a TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def server_env(port: int, **settings: str) -> dict[str, str]:
    """Return the environment of a server on port: this one, minus MISINFO_*, plus settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("MISINFO_")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env["MISINFO_BIND"] = f"127.0.0.1:{port}"
    env.update(settings)
    return env


@dataclass
class Server:
    """A running gunicorn: its process, base URL and combined log file."""

    process: subprocess.Popen[bytes]
    url: str
    log: Path

    def log_text(self) -> str:
        """Return everything the server has logged so far."""
        return self.log.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> int:
        """Send SIGTERM (graceful shutdown) and return the exit status."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def start(argv: list[str], env: dict[str, str], log: Path, port: int) -> Server:
    """Start a server process writing stdout and stderr to log."""
    with log.open("wb") as sink:
        process = subprocess.Popen(argv, cwd=REPO, env=env, stdout=sink, stderr=subprocess.STDOUT)
    return Server(process, f"http://127.0.0.1:{port}", log)


def wait_ready(server: Server, timeout: float = START_TIMEOUT) -> None:
    """Poll /readyz until it answers 200; fail with the server's log if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise AssertionError(
                f"server exited with {server.process.returncode}:\n{server.log_text()}"
            )
        try:
            if requests.get(f"{server.url}/readyz", timeout=1).status_code == 200:
                return
        except requests.ConnectionError:
            pass
        time.sleep(0.1)
    server.stop()
    raise AssertionError(f"server not ready after {timeout} s:\n{server.log_text()}")
