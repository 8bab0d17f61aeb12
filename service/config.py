"""Every setting of the service, declared once: environment name, type, default and help line.

``Settings.from_env()`` reads the ``MISINFO_*`` environment variables; ``settings_table()`` renders
the Markdown table the README carries (``python -m service.config --markdown`` prints it), and a
test fails when the two drift apart.

This module imports nothing heavy: gunicorn.conf.py reads it before the app is loaded.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ENV_PREFIX = "MISINFO_"
LOG_LEVELS = ("debug", "info", "warning", "error")


class ConfigError(ValueError):
    """A setting has a value the service cannot use."""


def cpu_count() -> int:
    """Return the CPUs this process may run on (the affinity mask, not the host's total)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - platforms without sched_getaffinity
        return os.cpu_count() or 1


def _positive_int(raw: str) -> int:
    """Parse a decimal integer greater than zero."""
    try:
        value = int(raw.strip(), 10)
    except ValueError:
        raise ConfigError(f"{raw!r} is not an integer") from None
    if value < 1:
        raise ConfigError(f"{value} is not a positive integer")
    return value


def _workers(raw: str) -> int:
    """Parse a worker count; 0 means one worker per CPU."""
    if raw.strip() == "0":
        return 0
    return _positive_int(raw)


def _path(raw: str) -> Path:
    """Parse a non-empty filesystem path."""
    if not raw.strip():
        raise ConfigError("the path is empty")
    return Path(raw.strip())


def _keys(raw: str) -> tuple[str, ...]:
    """Parse a comma-separated list of API keys, dropping empty entries."""
    keys = tuple(key.strip() for key in raw.split(",") if key.strip())
    for key in keys:
        if not key.isascii() or not key.isprintable() or " " in key:
            raise ConfigError("API keys must be printable ASCII without spaces")
    return keys


def _log_level(raw: str) -> str:
    """Parse a log level name."""
    level = raw.strip().lower()
    if level not in LOG_LEVELS:
        raise ConfigError(f"{raw!r} is not one of {', '.join(LOG_LEVELS)}")
    return level


def _bind(raw: str) -> str:
    """Parse a gunicorn bind address (HOST:PORT or unix:PATH)."""
    value = raw.strip()
    if not value or (not value.startswith("unix:") and ":" not in value):
        raise ConfigError(f"{raw!r} is not HOST:PORT or unix:PATH")
    return value


def _default_model_dir() -> Path:
    """Return the shipped model's folder (imported lazily: service.core.model loads sklearn)."""
    from service.core.model import DEFAULT_MODEL_DIR

    return DEFAULT_MODEL_DIR


def _doc(
    parse: Callable[[str], Any], kind: str, help_line: str, shown: str | None = None
) -> dict[str, Any]:
    """Return a field's metadata: its environment parser, documented type, help and default."""
    return {"parse": parse, "type": kind, "help": help_line, "shown": shown}


@dataclass(frozen=True, slots=True)
class Settings:
    """The service's settings; each field is read from MISINFO_<FIELD NAME IN CAPITALS>."""

    model_dir: Path | None = field(
        default_factory=_default_model_dir,
        metadata=_doc(
            _path,
            "path",
            "Folder holding `model.joblib` and `metadata.json`; the model is verified and loaded "
            "once per process at start.",
            shown="models/misinfo-signals-v1",
        ),
    )
    max_chars: int = field(
        default=100_000,
        metadata=_doc(
            _positive_int, "int", "Longest accepted text, in Unicode code points (422 above)."
        ),
    )
    max_batch: int = field(
        default=64,
        metadata=_doc(
            _positive_int, "int", "Most documents in one `POST /score/batch` (422 above)."
        ),
    )
    max_body_bytes: int = field(
        default=4 * 1024 * 1024,
        metadata=_doc(
            _positive_int,
            "int",
            "Largest accepted request body in bytes; a larger one gets 413 before it is read.",
        ),
    )
    api_keys: tuple[str, ...] = field(
        default=(),
        metadata=_doc(
            _keys,
            "comma-separated list",
            "When set, every endpoint except `/healthz` and `/readyz` requires "
            "`Authorization: Bearer <key>` with one of these keys.",
            shown="(none)",
        ),
    )
    log_level: str = field(
        default="info",
        metadata=_doc(
            _log_level, "debug, info, warning or error", "Lowest level of the JSON log lines."
        ),
    )
    bind: str = field(
        default="0.0.0.0:8000",
        metadata=_doc(
            _bind,
            "HOST:PORT",
            "Address gunicorn listens on; when unset, `PORT` (if set) gives `0.0.0.0:$PORT`.",
        ),
    )
    workers: int = field(
        default=0,
        metadata=_doc(
            _workers,
            "int",
            "gunicorn worker processes; 0 means one per CPU this process may use.",
        ),
    )
    timeout: int = field(
        default=30,
        metadata=_doc(_positive_int, "seconds", "gunicorn kills a worker silent for this long."),
    )
    graceful_timeout: int = field(
        default=20,
        metadata=_doc(
            _positive_int,
            "seconds",
            "On SIGTERM, workers get this long to finish their requests before they are killed.",
        ),
    )

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read every MISINFO_* variable that is set; keep the default for the others."""
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        for spec in dataclasses.fields(cls):
            name = env_name(spec.name)
            if name in env:
                values[spec.name] = _parse(spec, env[name], name)
        if "bind" not in values and env.get("PORT", "").strip():
            port = _positive_int(env["PORT"])
            values["bind"] = f"0.0.0.0:{port}"
        return cls(**values)

    def with_overrides(self, overrides: Mapping[str, Any]) -> Settings:
        """Return a copy with Flask-style overrides ({"MAX_CHARS": 10}); strings are parsed."""
        specs = {spec.name: spec for spec in dataclasses.fields(self)}
        changes: dict[str, Any] = {}
        for key, value in overrides.items():
            spec = specs.get(key.lower())
            if spec is None:
                continue
            if isinstance(value, str):
                value = _parse(spec, value, key)
            elif spec.name == "model_dir" and value is not None:
                value = Path(value)
            elif spec.name == "api_keys":
                value = tuple(value)
            changes[spec.name] = value
        return dataclasses.replace(self, **changes)

    def worker_count(self) -> int:
        """Return the number of gunicorn workers to start."""
        return self.workers or cpu_count()


def env_name(field_name: str) -> str:
    """Return the environment variable that sets a Settings field."""
    return ENV_PREFIX + field_name.upper()


def _parse(spec: dataclasses.Field[Any], raw: str, name: str) -> Any:
    """Parse one raw value, naming the variable in the error."""
    try:
        return spec.metadata["parse"](raw)
    except ConfigError as exc:
        raise ConfigError(f"{name}: {exc}") from None


def _shown_default(spec: dataclasses.Field[Any]) -> str:
    """Return the default as the documentation shows it."""
    shown = spec.metadata["shown"]
    if shown is not None:
        return str(shown) if shown.startswith("(") else f"`{shown}`"
    return f"`{spec.default}`"


def settings_table() -> str:
    """Return the Markdown table of every setting, one row per environment variable."""
    lines = [
        "| Variable | Type | Default | Description |",
        "|---|---|---|---|",
    ]
    for spec in dataclasses.fields(Settings):
        lines.append(
            f"| `{env_name(spec.name)}` | {spec.metadata['type']} | {_shown_default(spec)} "
            f"| {spec.metadata['help']} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Print the settings table (--markdown) or the effective settings."""
    parser = argparse.ArgumentParser(prog="python -m service.config", description=__doc__)
    parser.add_argument("--markdown", action="store_true", help="print the README's settings table")
    args = parser.parse_args(argv)
    if args.markdown:
        print(settings_table(), end="")
        return 0
    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for spec in dataclasses.fields(settings):
        value = getattr(settings, spec.name)
        if spec.name == "api_keys":
            value = f"{len(value)} key(s)"  # never print secrets
        print(f"{env_name(spec.name)}={value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
