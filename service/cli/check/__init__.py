"""``misinfo-signals check``: lint article drafts for misinformation signals in CI.

Exit codes: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 usage, config
or input error; 3 model or service failure (so an outage never looks like a bad draft).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import Any, TextIO

import click

from service.cli.check.config import FAIL_ON, LEVELS, FlagConfig, resolve_policy, valid_threshold
from service.cli.check.errors import CheckError
from service.core.errors import InputError, MisinfoSignalsError, ModelError
from service.core.signals import KNOWN_SIGNALS, Level

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_FAILURE = 0, 1, 2, 3
OUTPUT_FORMATS = ("text", "json", "github", "sarif", "rdjsonl")
INPUT_FORMATS = ("auto", "markdown", "html", "plain")


def _pairs(option: str, values: tuple[str, ...]) -> list[tuple[str, str]]:
    """Split SIGNAL=VALUE pairs, checking the signal id."""
    pairs = []
    for value in values:
        signal, sep, setting = value.partition("=")
        signal, setting = signal.strip(), setting.strip()
        if not sep or not signal or not setting:
            raise click.BadParameter(f"{value!r} is not SIGNAL=VALUE", param_hint=option)
        if signal not in KNOWN_SIGNALS:
            known = ", ".join(KNOWN_SIGNALS)
            raise click.BadParameter(
                f"unknown signal {signal!r} (known: {known})", param_hint=option
            )
        pairs.append((signal, setting))
    return pairs


def _thresholds(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, float]:
    """Parse repeated --threshold SIGNAL=VALUE."""
    result = {}
    for signal, raw in _pairs("--threshold", values):
        try:
            number = float(raw)
        except ValueError:
            number = float("nan")
        if not valid_threshold(number):
            raise click.BadParameter(
                f"threshold for {signal} must be a number between 0 and 1, got {raw!r}",
                param_hint="--threshold",
            )
        result[signal] = number
    return result


def _levels(
    ctx: click.Context, param: click.Parameter, values: tuple[str, ...]
) -> dict[str, Level]:
    """Parse repeated --level SIGNAL=LEVEL."""
    result = {}
    for signal, raw in _pairs("--level", values):
        if raw not in LEVELS:
            raise click.BadParameter(
                f"level for {signal} must be one of {', '.join(LEVELS)}, got {raw!r}",
                param_hint="--level",
            )
        result[signal] = raw
    return result


@click.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(OUTPUT_FORMATS),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to FILE instead of standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    help="Exit 1 when a finding is at or above this level [default: warning].",
)
@click.option(
    "--threshold",
    "thresholds",
    multiple=True,
    callback=_thresholds,
    metavar="SIGNAL=VALUE",
    help="Flag threshold for a signal (repeatable).",
)
@click.option(
    "--level",
    "levels",
    multiple=True,
    callback=_levels,
    metavar="SIGNAL=LEVEL",
    help="Level of a signal: error, warning, notice or off (repeatable).",
)
@click.option(
    "--include",
    multiple=True,
    metavar="GLOB",
    help="Files to check when walking directories (repeatable; replaces the config).",
)
@click.option(
    "--exclude",
    multiple=True,
    metavar="GLOB",
    help="Files and directories to skip (repeatable; replaces the config).",
)
@click.option(
    "--input-format",
    type=click.Choice(INPUT_FORMATS),
    default="auto",
    show_default=True,
    help="How to read inputs; auto goes by file extension.",
)
@click.option(
    "--stdin-filename",
    metavar="NAME",
    help="Name (and extension) to report for '-' (standard input).",
)
@click.option(
    "--url",
    metavar="URL",
    help="Score with the service at URL (POST /score/batch) instead of in-process.",
)
@click.option(
    "--api-key",
    envvar="MISINFO_API_KEY",
    metavar="KEY",
    help="Bearer key for --url [env: MISINFO_API_KEY].",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    help="Seconds to wait for each --url request.",
)
@click.option(
    "--model-dir",
    type=click.Path(path_type=Path),
    envvar="MISINFO_MODEL_DIR",
    help="Model directory for in-process scoring [env: MISINFO_MODEL_DIR].",
)
@click.option(
    "--diff",
    "diff_ref",
    metavar="REF",
    help="Report only findings on lines changed since the git ref.",
)
@click.option(
    "--baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Ignore findings recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record the current findings as accepted in this file.",
)
@click.option(
    "--report-unused-disables",
    is_flag=True,
    help="Report suppression comments that suppress nothing.",
)
@click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Policy file to use instead of searching from the working directory.",
)
@click.option("--no-config", is_flag=True, help="Ignore configuration files.")
def check(**options: Any) -> None:
    """Check drafts for misinformation signals; PATH may be a file, a directory or '-'.

    Exit status: 0 clean, 1 findings at or above --fail-on, 2 usage, config or input
    error, 3 model or service failure.
    """
    try:
        code = _run(options)
    except CheckError as exc:
        _error(str(exc))
        code = exc.exit_code
    except ModelError as exc:
        _error(f"cannot use the model: {exc}")
        code = EXIT_FAILURE
    except InputError as exc:
        _error(str(exc))
        code = EXIT_USAGE
    except MisinfoSignalsError as exc:
        _error(str(exc))
        code = EXIT_FAILURE
    except click.ClickException:
        raise  # usage errors: click prints them and exits 2
    except Exception as exc:  # a crash must never exit 1 and pass for findings
        traceback.print_exc()
        _error(f"internal failure ({type(exc).__name__}: {exc}); this is not about the drafts")
        code = EXIT_FAILURE
    sys.exit(code)


def _error(message: str) -> None:
    """Print an error to standard error."""
    click.echo(f"misinfo-signals check: error: {message}", err=True)


def use_color(
    output_format: str, output: Path | None, stream: TextIO, environ: Mapping[str, str]
) -> bool:
    """Colour only text written to a terminal, and never when NO_COLOR is set (no-color.org)."""
    return (
        output_format == "text"
        and output is None
        and stream.isatty()
        and not environ.get("NO_COLOR")
    )


def _run(options: dict[str, Any]) -> int:
    """Run the check described by the parsed options; return the exit code."""
    from service.cli.check.backends import EmbeddedScorer, HttpScorer, Scorer
    from service.cli.check.formats import RENDERERS
    from service.cli.check.run import CheckOptions, run_check

    if options["config_file"] is not None and options["no_config"]:
        raise click.UsageError("--config and --no-config exclude each other")
    cwd = Path.cwd()
    flags = FlagConfig(
        fail_on=options["fail_on"],
        include=tuple(options["include"]) or None,
        exclude=tuple(options["exclude"]) or None,
        thresholds=options["thresholds"],
        levels=options["levels"],
    )
    policy = resolve_policy(
        flags, cwd=cwd, config=options["config_file"], use_config=not options["no_config"]
    )
    scorer: Scorer
    if options["url"]:
        scorer = HttpScorer(options["url"], api_key=options["api_key"], timeout=options["timeout"])
    else:
        from service.core.model import DEFAULT_MODEL_DIR

        scorer = EmbeddedScorer(options["model_dir"] or DEFAULT_MODEL_DIR)
    run_options = CheckOptions(
        paths=tuple(options["paths"]),
        input_format=options["input_format"],
        stdin_name=options["stdin_filename"],
        diff=options["diff_ref"],
        baseline=options["baseline"],
        write_baseline=options["write_baseline"],
        report_unused=options["report_unused_disables"],
    )
    report = run_check(run_options, policy, scorer, cwd=cwd)
    output: Path | None = options["output"]
    color = use_color(options["output_format"], output, sys.stdout, os.environ)
    rendered = RENDERERS[options["output_format"]](report, color)
    if output is None:
        click.echo(rendered, nl=False, color=color)
    else:
        try:
            output.write_text(rendered, encoding="utf-8", newline="")
        except OSError as exc:
            raise CheckError(f"{output}: cannot write the report ({exc.strerror})") from exc
    return EXIT_FINDINGS if report.failed else EXIT_CLEAN
