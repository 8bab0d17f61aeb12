"""Helpers for the reliability tests: servers, worker processes and a small load generator."""

from __future__ import annotations

import os
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

# Reuse the end-to-end server helpers (test folders are not packages, so put theirs on the path).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "e2e"))

from e2e_helpers import (
    GUNICORN_ARGV,
    Server,
    free_port,
    server_env,
    start,
    wait_ready,
)

__all__ = [
    "GUNICORN_ARGV",
    "Load",
    "Server",
    "free_port",
    "launch",
    "rss_kib",
    "server_env",
    "start",
    "wait_ready",
    "worker_pids",
]

# Hand-written (not from any dataset); the canary word lets the log test find any leak.
ARTICLE = (
    "Officials said on Monday that the bridge may reopen in March. "
    "People familiar with the talks said they had stalled. "
    "The ministry provided no evidence to support its claims."
)


def launch(model_dir: Path, log: Path, **settings: str) -> Server:
    """Start a gunicorn on a free port around model_dir; wait until it and its workers are up."""
    port = free_port()
    env = server_env(port, MISINFO_MODEL_DIR=str(model_dir), **settings)
    running = start(GUNICORN_ARGV, env, log, port)
    wait_ready(running)
    # /readyz answers from the first worker to boot; wait for the others too.
    expected = int(settings.get("MISINFO_WORKERS", "1"))
    wait_for(lambda: len(worker_pids(running.process.pid)) == expected, 10)
    return running


def worker_pids(master: int) -> list[int]:
    """Return the pids of the master's child processes (the gunicorn workers)."""
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return sorted(int(pid) for pid in children)


def rss_kib(pid: int) -> int:
    """Return a process's resident set size in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise ValueError(f"no VmRSS for pid {pid}")


def wait_for(predicate: Any, timeout: float, step: float = 0.05) -> bool:
    """Poll predicate() until it is true or timeout seconds pass; return its last value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return bool(predicate())


@dataclass
class Load:
    """Closed-loop clients posting one article to /score until stopped; outcomes are counted."""

    url: str
    headers: dict[str, str]
    clients: int = 4
    text: str = ARTICLE
    pause: float = 0.0
    timeout: float = 30.0
    outcomes: Counter[str] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def _run(self) -> None:
        """Post until stopped, one new connection per request (no keep-alive surprises)."""
        while not self._stop.is_set():
            began = time.perf_counter()
            try:
                response = requests.post(
                    f"{self.url}/score",
                    json={"text": self.text},
                    headers={**self.headers, "Connection": "close"},
                    timeout=self.timeout,
                )
                outcome = str(response.status_code)
            except requests.RequestException as exc:
                outcome = type(exc).__name__
            with self._lock:
                self.outcomes[outcome] += 1
                self.latencies.append(time.perf_counter() - began)
            if self.pause:
                time.sleep(self.pause)

    def __enter__(self) -> Load:
        for _ in range(self.clients):
            thread = threading.Thread(target=self._run, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=self.timeout + 5)

    @property
    def failures(self) -> int:
        """Return how many requests did not end in 200."""
        return sum(n for outcome, n in self.outcomes.items() if outcome != "200")


def pid_alive(pid: int) -> bool:
    """Return whether a process with this pid exists (and is not a zombie)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


def kill(pid: int, sig: int) -> None:
    """Send sig to one process by its pid."""
    os.kill(pid, sig)
