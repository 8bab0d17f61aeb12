"""What create_app builds once per process and every request reads."""

from __future__ import annotations

from dataclasses import dataclass

from flask import current_app

from service.api.problems import NOT_READY, ProblemError
from service.config import Settings
from service.core.model import Model
from service.metrics import Metrics

STATE_KEY = "misinfo_signals"


@dataclass(frozen=True, slots=True)
class AppState:
    """The settings, the loaded model (None when not ready) and the metrics of one app."""

    settings: Settings
    model: Model | None
    metrics: Metrics
    libraries: dict[str, str]
    package_version: str


def get_state() -> AppState:
    """Return the current app's state."""
    state: AppState = current_app.extensions[STATE_KEY]
    return state


def require_model(state: AppState) -> Model:
    """Return the loaded model, or answer 503 not-ready."""
    if state.model is None:
        raise ProblemError(NOT_READY, "no model is loaded; the service cannot score yet")
    return state.model
