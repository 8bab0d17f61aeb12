"""gunicorn settings for misinfo-signals: `gunicorn -c gunicorn.conf.py "service:create_app()"`.

Everything comes from the MISINFO_* environment (see service/config.py and the README).
The app is preloaded: the master loads and verifies the model once, and a bad model stops the
server before any worker starts (exit status 1, one "Error: ..." line naming the file).
"""

from __future__ import annotations

import atexit
import gc
import os
import shutil
import tempfile
from typing import Any

# A RAM-backed folder, when the system has one (Linux, Docker): both uses below write constantly.
_SHM = "/dev/shm"  # noqa: S108 - mkdtemp makes a private folder inside it
_RAM_DIR = _SHM if os.path.isdir(_SHM) else None

# Workers are separate processes: prometheus_client must write its values to files in a
# shared folder so /metrics can sum them. This has to happen before anything imports it.
_OWN_METRICS_DIR: str | None = None
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    _OWN_METRICS_DIR = tempfile.mkdtemp(prefix="misinfo-metrics-", dir=_RAM_DIR)
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = _OWN_METRICS_DIR
    _MASTER_PID = os.getpid()

    def _remove_metrics_dir(path: str = _OWN_METRICS_DIR) -> None:
        """Remove the folder at the master's exit (workers inherit atexit handlers: skip them)."""
        if os.getpid() == _MASTER_PID:
            shutil.rmtree(path, ignore_errors=True)

    atexit.register(_remove_metrics_dir)

from service.config import ConfigError, Settings  # noqa: E402 - after the metrics folder is set

try:
    _settings = Settings.from_env()
except ConfigError as _exc:
    raise SystemExit(f"Error: invalid setting: {_exc}") from None

bind = [_settings.bind]
workers = _settings.worker_count()
worker_class = "sync"  # scoring is CPU-bound: one request per process at a time
preload_app = True
timeout = _settings.timeout
graceful_timeout = _settings.graceful_timeout
keepalive = 5
accesslog = None  # the app writes one JSON line per request itself
errorlog = "-"
loglevel = "warning" if _settings.log_level in ("warning", "error") else "info"
worker_tmp_dir = _RAM_DIR  # the worker heartbeat file
proc_name = "misinfo-signals"
# gunicorn >= 25 opens a runtime control socket in $HOME; the service does not need one, and
# several instances (tests, a read-only container home) must not compete for the same path.
control_socket_disable = True


def child_exit(server: Any, worker: Any) -> None:
    """Drop a dead worker's live-gauge files (counters and histograms are kept)."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def when_ready(server: Any) -> None:
    """Freeze the preloaded model's objects so the workers' garbage collector leaves them shared."""
    # A collection writes to every object it visits, which would copy the model's pages
    # into each worker; frozen objects are never visited.
    gc.freeze()
