"""Operational endpoints: health, readiness, version, signals and metrics."""

from __future__ import annotations

from flask import Response, current_app
from flask_smorest import Blueprint

from service.api.docs import documents_problems, public, responds, route
from service.api.http import json_response
from service.api.schemas import (
    HealthSchema,
    ReadySchema,
    SignalsResponseSchema,
    VersionSchema,
)
from service.api.state import get_state, require_model
from service.core.signals import KNOWN_SIGNALS

blp = Blueprint("service", __name__, description="Health, readiness, versions and metrics.")


@route(blp, "/healthz", "GET")
@public
@responds(blp, 200, HealthSchema, "The process is alive.")
def healthz() -> Response:
    """Answer while the process is alive, model or not."""
    return json_response({"status": "ok"})


@route(blp, "/readyz", "GET")
@public
@responds(blp, 200, ReadySchema, "A model is loaded.")
@documents_problems(blp, 503)
def readyz() -> Response:
    """Answer 200 when a model is loaded, else 503."""
    model = require_model(get_state())
    return json_response(
        {"status": "ready", "model": {"name": model.name, "version": model.version}}
    )


@route(blp, "/version", "GET")
@responds(blp, 200, VersionSchema, "Versions.")
@documents_problems(blp, 401)
def version() -> Response:
    """Return the package, model and library versions."""
    state = get_state()
    model = None
    if state.model is not None:
        trained_with = state.model.metadata.get("libraries") or {}
        model = {
            "name": state.model.name,
            "version": state.model.version,
            "sha256": state.model.sha256,
            "trained_with": {str(k): str(v) for k, v in dict(trained_with).items()},
        }
    return json_response(
        {
            "name": "misinfo-signals",
            "version": state.package_version,
            "model": model,
            "libraries": state.libraries,
        }
    )


@route(blp, "/signals", "GET")
@responds(blp, 200, SignalsResponseSchema, "The model's signals.")
@documents_problems(blp, 401, 503)
def signals() -> Response:
    """List the signals the loaded model scores, with descriptions and default thresholds."""
    model = require_model(get_state())
    listed = []
    for signal_id in model.signals:
        known = KNOWN_SIGNALS.get(signal_id)
        listed.append(
            {
                "id": signal_id,
                "description": known.description if known is not None else "",
                "core": known.core if known is not None else False,
                "threshold": model.thresholds[signal_id],
            }
        )
    return json_response(
        {"model": {"name": model.name, "version": model.version}, "signals": listed}
    )


@route(blp, "/metrics", "GET")
@responds(blp, 200, {"type": "string"}, "Prometheus text format.", content_type="text/plain")
@documents_problems(blp, 401)
def metrics() -> Response:
    """Return request counts, latency histograms and sentences scored, for Prometheus."""
    body, content_type = get_state().metrics.render()
    return current_app.response_class(body, status=200, content_type=content_type)
