"""``misinfo-signals score FILE|-``: print exactly the JSON that POST /score returns."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from service.api.schemas import FORMATS
from service.config import ConfigError, Settings

EXIT_INPUT = 2
EXIT_MODEL = 3


def _fail(message: str, code: int) -> NoReturn:
    """Print message on stderr and exit with code."""
    click.echo(f"error: {message}", err=True)
    raise SystemExit(code)


def _read_text(source: str) -> str:
    """Read FILE (or stdin for '-') as strict UTF-8, keeping line endings as they are."""
    try:
        raw = sys.stdin.buffer.read() if source == "-" else Path(source).read_bytes()
    except OSError as exc:
        _fail(f"{source}: cannot read ({exc.strerror or exc})", EXIT_INPUT)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        _fail(
            f"{source}: not valid UTF-8 (byte 0x{raw[exc.start]:02x} at offset {exc.start})",
            EXIT_INPUT,
        )


def _signal_list(values: tuple[str, ...]) -> list[str] | None:
    """Split repeated or comma-separated --signals values."""
    signals = [s.strip() for value in values for s in value.split(",") if s.strip()]
    return signals or None


@click.command()
@click.argument("source", metavar="FILE|-")
@click.option(
    "--format",
    "text_format",
    type=click.Choice(FORMATS),
    default="plain",
    show_default=True,
    help="How to read the text; markup and code are not scored.",
)
@click.option("--explain", is_flag=True, help="Include the evidence phrases behind each flag.")
@click.option(
    "--signals",
    multiple=True,
    help="Signal ids to score, comma-separated or repeated (default all).",
)
@click.option(
    "--model-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Model folder (default MISINFO_MODEL_DIR, else the shipped model).",
)
def score(
    source: str,
    text_format: str,
    explain: bool,
    signals: tuple[str, ...],
    model_dir: Path | None,
) -> None:
    """Score FILE (or stdin) and print the JSON POST /score would return.

    Exit status: 0 scored, 2 bad input or settings, 3 the model cannot be loaded.
    """
    from service.api.jsonio import dumps
    from service.api.validation import RequestInvalid, parse_score_request
    from service.core.errors import InputError, ModelError
    from service.core.model import load_model
    from service.core.scoring import score_document

    try:
        settings = Settings.from_env()
    except ConfigError as exc:
        _fail(str(exc), EXIT_INPUT)
    text = _read_text(source)
    directory = model_dir if model_dir is not None else settings.model_dir
    if directory is None:  # pragma: no cover - only a Python override can unset it
        _fail("no model folder configured", EXIT_MODEL)
    try:
        model = load_model(directory)
    except ModelError as exc:
        _fail(f"cannot load the model: {exc}", EXIT_MODEL)
    payload: dict[str, Any] = {"text": text, "format": text_format, "explain": explain}
    requested = _signal_list(signals)
    if requested is not None:
        payload["signals"] = requested
    try:
        call = parse_score_request(payload, model, settings.max_chars)
        result = score_document(model, call.text, call.options)
    except RequestInvalid as exc:
        for field, messages in exc.errors.items():
            for message in messages:
                click.echo(f"error: {field}: {message}", err=True)
        raise SystemExit(EXIT_INPUT) from None
    except InputError as exc:
        _fail(str(exc), EXIT_INPUT)
    except ModelError as exc:
        _fail(f"the model failed: {exc}", EXIT_MODEL)
    # Bytes, not text: the output is the exact UTF-8 body POST /score returns, whatever the locale.
    sys.stdout.buffer.write(dumps(result.to_dict()).encode("utf-8"))
    sys.stdout.buffer.flush()
