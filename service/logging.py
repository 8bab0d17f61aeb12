"""Structured JSON logs: one line per event on stderr, one ``request`` line per HTTP request.

Request lines carry ids, timings and counts only: never the submitted text and never a
request header other than the validated X-Request-ID.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import structlog
import structlog.tracebacks

_LEVELS = {"debug": 10, "info": 20, "warning": 30, "error": 40}


class _StderrLogger:
    """Write each rendered line to the *current* sys.stderr in one call.

    Looking sys.stderr up on every call (instead of binding it once) keeps test capture working;
    one write per line keeps lines from concurrent gunicorn workers whole.
    """

    def msg(self, message: str) -> None:
        """Write one log line."""
        sys.stderr.write(message + "\n")
        sys.stderr.flush()

    debug = info = warning = error = critical = exception = msg


def _logger_factory(*_args: Any) -> _StderrLogger:
    """Return the line writer structlog wraps."""
    return _StderrLogger()


def configure_logging(level: str = "info") -> None:
    """Send JSON lines at or above level to stderr."""
    structlog.configure(
        processors=[
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True, key="ts"),
            # Tracebacks as data, without local variables: those would hold article text.
            structlog.processors.ExceptionRenderer(
                structlog.tracebacks.ExceptionDictTransformer(show_locals=False)
            ),
            structlog.processors.JSONRenderer(serializer=_dumps),
        ],
        wrapper_class=structlog.make_filtering_bound_logger(_LEVELS[level]),
        logger_factory=_logger_factory,
        cache_logger_on_first_use=False,
    )


def _dumps(event: Any, **_kwargs: Any) -> str:
    """Render one event compactly, keys in a stable order."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":"), default=str)


def get_logger() -> Any:
    """Return the service's logger."""
    return structlog.get_logger("misinfo_signals")


def log_request(
    *,
    request_id: str,
    method: str,
    endpoint: str | None,
    status: int,
    latency_ms: float,
    sentence_count: int | None,
    model_version: str | None,
) -> None:
    """Write the one line that records an HTTP request."""
    get_logger().info(
        "request",
        request_id=request_id,
        method=method,
        endpoint=endpoint,
        status=status,
        latency_ms=round(latency_ms, 2),
        sentence_count=sentence_count,
        model_version=model_version,
    )
