"""HTTP figures: the real gunicorn on loopback under wrk (or a Python client when wrk is absent)."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

REPO = Path(__file__).resolve().parents[1]
LUA_SCRIPT = Path(__file__).with_name("post.lua")
START_TIMEOUT = 60.0


@dataclass
class Server:
    """A running gunicorn master, its port and its log file."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path
    startup_seconds: float


def free_port() -> int:
    """Return a loopback TCP port nobody listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _status(port: int, path: str) -> int | None:
    """Return the status of GET path, or None if nothing answers yet."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    try:
        connection.request("GET", path)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


@contextmanager
def gunicorn(model_dir: Path, workers: int, scratch: Path) -> Iterator[Server]:
    """Start `gunicorn -c gunicorn.conf.py` as `make serve` does; time it to the first 200."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("MISINFO_")}
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    env |= {
        "MISINFO_BIND": f"127.0.0.1:{port}",
        "MISINFO_WORKERS": str(workers),
        "MISINFO_MODEL_DIR": str(model_dir),
    }
    argv = [str(Path(sys.executable).parent / "gunicorn"), "-c", "gunicorn.conf.py"]
    log = scratch / "gunicorn.log"
    with log.open("wb") as sink:
        started = time.perf_counter()
        process = subprocess.Popen(
            [*argv, "service:create_app()"], cwd=REPO, env=env, stdout=sink, stderr=sink
        )
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while _status(port, "/readyz") != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start:\n{log.read_text(errors='replace')}")
            time.sleep(0.005)
        yield Server(process, port, log, time.perf_counter() - started)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def worker_memory(master_pid: int) -> dict[str, Any]:
    """Return RSS and PSS (MiB) of the master and each worker; PSS shows copy-on-write sharing."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == master_pid:
                children.append(int(entry.name))
    return {
        "master": _memory(master_pid),
        "workers": [_memory(pid) for pid in sorted(children)],
    }


def _memory(pid: int) -> dict[str, float]:
    """Return one process's RSS and PSS in MiB from /proc/<pid>/smaps_rollup."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss", "Shared_Clean", "Shared_Dirty", "Private_Dirty"):
            fields[name.lower() + "_mib"] = round(int(rest.split()[0]) / 1024, 1)
    return fields


def load_generator() -> str:
    """Return "wrk" when Debian's wrk is on PATH, else "python-threads"."""
    return "wrk" if shutil.which("wrk") else "python-threads"


def run_load(
    port: int, path: str, body: bytes | None, connections: int, duration: float
) -> dict[str, Any]:
    """Load one endpoint at fixed concurrency for duration seconds; return rps, latency, errors."""
    if load_generator() == "wrk":
        return _wrk(port, path, body, connections, duration)
    return _python_load(port, path, body, connections, duration)


def _wrk(
    port: int, path: str, body: bytes | None, connections: int, duration: float
) -> dict[str, Any]:
    """Run wrk with post.lua and parse the JSON line its done() hook prints."""
    with tempfile.NamedTemporaryFile(suffix=".json") as body_file:
        body_file.write(body or b"")
        body_file.flush()
        env = dict(os.environ, BENCH_METHOD="POST" if body else "GET")
        env["BENCH_BODY"] = body_file.name if body else ""
        seconds = max(1, round(duration))
        argv = ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "5s"]
        argv += ["-s", str(LUA_SCRIPT), f"http://127.0.0.1:{port}{path}"]
        done = subprocess.run(
            argv, env=env, capture_output=True, text=True, check=True, timeout=seconds + 30
        )
    line = next(x for x in done.stdout.splitlines() if x.startswith("BENCH_JSON "))
    raw = json.loads(line.removeprefix("BENCH_JSON "))
    elapsed = raw["duration_us"] / 1e6
    errors = sum(raw[k] for k in ("connect", "read", "write", "status", "timeout"))
    return {
        "generator": "wrk",
        "connections": connections,
        "duration_s": round(elapsed, 2),
        "requests": raw["requests"],
        "rps": round(raw["requests"] / elapsed, 1),
        "p50_ms": raw["p50_us"] / 1000,
        "p90_ms": raw["p90_us"] / 1000,
        "p99_ms": raw["p99_us"] / 1000,
        "p999_ms": raw["p999_us"] / 1000,
        "max_ms": raw["max_us"] / 1000,
        "errors": errors,
        "error_kinds": {k: raw[k] for k in ("connect", "read", "write", "status", "timeout")},
    }


def _python_load(
    port: int, path: str, body: bytes | None, connections: int, duration: float
) -> dict[str, Any]:
    """Drive the server with one keep-alive http.client connection per thread."""
    latencies: list[list[float]] = [[] for _ in range(connections)]
    errors = [0] * connections
    deadline = time.perf_counter() + duration
    headers = {"Content-Type": "application/json"} if body else {}

    def client(slot: int) -> None:
        """Send requests back to back until the deadline, reconnecting when the server closes."""
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                connection.request("POST" if body else "GET", path, body=body, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[slot] += 1
                if response.will_close:
                    connection.close()
            except (OSError, http.client.HTTPException):
                errors[slot] += 1
                connection.close()
                continue
            latencies[slot].append(time.perf_counter() - started)
        connection.close()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(connections)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    values = np.concatenate([np.asarray(x) for x in latencies]) * 1000.0
    requests = int(values.size)

    def pct(q: float) -> float:
        """Return the q-th percentile in milliseconds (0 when nothing completed)."""
        return round(float(np.percentile(values, q)), 3) if requests else 0.0

    return {
        "generator": "python-threads",
        "connections": connections,
        "duration_s": round(elapsed, 2),
        "requests": requests,
        "rps": round(requests / elapsed, 1),
        "p50_ms": pct(50),
        "p90_ms": pct(90),
        "p99_ms": pct(99),
        "p999_ms": pct(99.9),
        "max_ms": pct(100),
        "errors": sum(errors),
    }


def http_figures(
    model_dir: Path,
    body: bytes,
    workers: int,
    connections: int,
    duration: float,
    *,
    warmup: float = 2.0,
) -> dict[str, Any]:
    """Start gunicorn, load /score then /healthz, and read memory after the load."""
    with (
        tempfile.TemporaryDirectory(prefix="bench-http-") as scratch,
        gunicorn(model_dir, workers, Path(scratch)) as server,
    ):
        # A short untimed warm-up so every worker has served a request before measuring.
        if warmup > 0:
            run_load(server.port, "/score", body, connections, warmup)
        score = run_load(server.port, "/score", body, connections, duration)
        healthz = run_load(server.port, "/healthz", None, connections, duration)
        memory = worker_memory(server.process.pid)
        return {
            "workers": workers,
            "startup_to_first_200_s": round(server.startup_seconds, 3),
            "score": score,
            "healthz": healthz,
            "memory_after_load": memory,
        }
