"""Per-request plumbing: request id, authentication, one log line and the metrics."""

from __future__ import annotations

import time

from flask import Flask, Response, g, request

from service.api.auth import authorize
from service.api.http import request_id
from service.api.state import get_state
from service.logging import log_request

REQUEST_ID_HEADER = "X-Request-ID"
UNMATCHED = "<unmatched>"


def note_sentences(count: int) -> None:
    """Record how many sentences this request scored (for its log line)."""
    g.sentence_count = (g.get("sentence_count") or 0) + count


def _begin() -> None:
    """Start the clock, settle the request id, then authenticate."""
    g.started = time.perf_counter()
    g.request_id = request_id(request.headers.get(REQUEST_ID_HEADER))
    g.sentence_count = None
    authorize(request.path, request.headers.get("Authorization"), get_state().settings.api_keys)


def _finish(response: Response) -> Response:
    """Echo the request id, then count and log the request."""
    state = get_state()
    rid = g.get("request_id") or request_id(None)
    response.headers[REQUEST_ID_HEADER] = rid
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    # The rule, not the path: unknown paths must not create unbounded label values.
    endpoint = request.url_rule.rule if request.url_rule is not None else UNMATCHED
    state.metrics.observe_request(endpoint, request.method, response.status_code, elapsed)
    log_request(
        request_id=rid,
        method=request.method,
        endpoint=endpoint,
        status=response.status_code,
        latency_ms=elapsed * 1000.0,
        sentence_count=g.get("sentence_count"),
        model_version=state.model.version if state.model is not None else None,
    )
    return response


def install_request_hooks(app: Flask) -> None:
    """Register the hooks that run around every request."""
    app.before_request(_begin)
    app.after_request(_finish)
