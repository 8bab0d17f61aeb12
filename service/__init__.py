"""misinfo-signals: score each sentence of a news article for misinformation signals.

``create_app(config=None)`` is the WSGI app factory (``gunicorn "service:create_app()"``).
Settings come from the MISINFO_* environment (service.config); ``config`` overrides them with
Flask-style keys (``{"MAX_CHARS": 10}``) and may also carry:

- ``MODEL``: an already loaded service.core.model.Model (tests share one across apps);
- ``MODEL_DIR: None``: start without a model: /readyz and the scoring endpoints answer 503,
  everything else works (used to generate the OpenAPI document without loading a model).

Any other key goes to ``app.config`` unchanged (``TESTING`` and so on).
"""

from __future__ import annotations

import dataclasses
import platform
from collections.abc import Mapping
from functools import cache
from importlib import metadata
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask

PACKAGE = "misinfo-signals"
_LIBRARIES = (
    "flask",
    "werkzeug",
    "flask-smorest",
    "marshmallow",
    "scikit-learn",
    "numpy",
    "scipy",
    "joblib",
    "gunicorn",
    "structlog",
    "prometheus-client",
)
_UNSET: Any = object()


class StartupError(RuntimeError):
    """The app cannot start: bad settings or an unusable model.

    A RuntimeError, so gunicorn reports it as one "Error: ..." line (no traceback) and exits 1.
    """


def package_version() -> str:
    """Return the installed package version."""
    try:
        return metadata.version(PACKAGE)
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "0+unknown"


@cache
def library_versions() -> dict[str, str]:
    """Return the versions of Python and the libraries the service runs on."""
    versions = {"python": platform.python_version()}
    for name in _LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:  # pragma: no cover - an optional runtime
            versions[name] = "absent"
    return versions


def create_app(config: Mapping[str, Any] | None = None) -> Flask:
    """Build the WSGI app: settings, logging, the model (loaded once), routes and error handling."""
    # Imported here so that `import service.config` (gunicorn.conf.py, the CLI) stays light.
    from flask import Flask

    from service.api import meta, score
    from service.api.docs import ProblemApi, api_config
    from service.api.hooks import install_request_hooks
    from service.api.problems import register_problem_handlers
    from service.api.state import STATE_KEY, AppState
    from service.config import ConfigError, Settings
    from service.core.errors import ModelError
    from service.core.model import load_model
    from service.logging import configure_logging, get_logger
    from service.metrics import Metrics

    overrides = dict(config or {})
    model = overrides.pop("MODEL", _UNSET)
    try:
        settings = Settings.from_env().with_overrides(overrides)
    except ConfigError as exc:
        raise StartupError(f"invalid setting: {exc}") from exc
    configure_logging(settings.log_level)
    log = get_logger()
    if model is _UNSET:
        model = None
        if settings.model_dir is not None:
            try:
                model = load_model(settings.model_dir)
            except ModelError as exc:
                raise StartupError(f"cannot load the model: {exc}") from exc

    version = package_version()
    app = Flask(__name__)
    app.config.update(api_config(version))
    app.config["MAX_CONTENT_LENGTH"] = settings.max_body_bytes
    setting_names = {spec.name for spec in dataclasses.fields(Settings)}
    app.config.update({k: v for k, v in overrides.items() if k.lower() not in setting_names})
    app.extensions[STATE_KEY] = AppState(
        settings=settings,
        model=model,
        metrics=Metrics(),
        libraries=dict(library_versions()),
        package_version=version,
    )
    api = ProblemApi(app)
    api.register_schemas()
    api.register_blueprint(score.blp)
    api.register_blueprint(meta.blp)
    register_problem_handlers(app)
    install_request_hooks(app)

    if model is None:
        log.warning("started_without_model")
    else:
        log.info("model_loaded", model=model.name, version=model.version, sha256=model.sha256)
    return app
