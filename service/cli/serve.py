"""``misinfo-signals serve``: run gunicorn with gunicorn.conf.py, as `make serve` does."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from service.config import ConfigError, env_name

CONFIG_NAME = "gunicorn.conf.py"
APP = "service:create_app()"


def find_gunicorn_conf() -> Path | None:
    """Return gunicorn.conf.py from the working directory, else from the source checkout."""
    for folder in (Path.cwd(), Path(__file__).resolve().parents[2]):
        candidate = folder / CONFIG_NAME
        if candidate.is_file():
            return candidate
    return None


def gunicorn_argv(config_file: Path) -> list[str]:
    """Return the command line that starts the server."""
    return [sys.executable, "-m", "gunicorn", "-c", str(config_file), APP]


@click.command()
@click.option("--bind", default=None, help="HOST:PORT to listen on (sets MISINFO_BIND).")
@click.option(
    "--workers",
    type=click.IntRange(min=0),
    default=None,
    help="Worker processes, 0 for one per CPU (sets MISINFO_WORKERS).",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    default=None,
    help=f"gunicorn config file (default ./{CONFIG_NAME}).",
)
def serve(bind: str | None, workers: int | None, config_file: Path | None) -> None:
    """Start the HTTP service under gunicorn (replaces this process)."""
    from service.config import Settings

    environ = dict(os.environ)
    if bind is not None:
        environ[env_name("bind")] = bind
    if workers is not None:
        environ[env_name("workers")] = str(workers)
    try:
        Settings.from_env(environ)  # fail here, with the variable's name, not inside gunicorn
    except ConfigError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(2) from None
    conf = config_file or find_gunicorn_conf()
    if conf is None:
        click.echo(f"error: {CONFIG_NAME} not found; pass --config", err=True)
        raise SystemExit(2)
    argv = gunicorn_argv(conf.resolve())
    os.execve(argv[0], argv, environ)  # noqa: S606 - argv is fixed, no shell involved
