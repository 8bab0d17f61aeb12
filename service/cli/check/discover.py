"""Expand the command's PATH arguments into the files to check, and read them.

Directories are walked in sorted path order, never descending into hidden directories or
``node_modules``; a file found by walking must match an ``include`` glob and no ``exclude``
glob. Files named explicitly are checked whatever their extension (so pre-commit can pass
any file), but ``exclude`` still drops them. The input format comes from the extension
unless ``--input-format`` says otherwise.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from service.cli.check.config import WALK_EXCLUDE
from service.cli.check.errors import InputFileError
from service.cli.check.globs import matches_any, matches_any_or_parent

# The same values as service.core.scoring.TextFormat, without importing the scoring stack.
TextFormat = Literal["plain", "markdown", "html"]
InputFormat = Literal["auto", "markdown", "html", "plain"]
STDIN = "-"
STDIN_NAME = "<stdin>"
_EXTENSIONS: dict[str, TextFormat] = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".mkd": "markdown",
    ".mdx": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}


@dataclass(frozen=True, slots=True)
class Source:
    """One input to check: a file (path set) or standard input (path None)."""

    path: Path | None
    display: str
    relative: str
    format: TextFormat


def format_for(name: str, requested: InputFormat) -> TextFormat:
    """Return the text format of a file name, unless one was requested."""
    if requested != "auto":
        return requested
    return _EXTENSIONS.get(os.path.splitext(name)[1].lower(), "plain")


def display_path(path: Path, cwd: Path) -> str:
    """Return path relative to cwd with forward slashes (as CI tools expect)."""
    try:
        return Path(os.path.relpath(path, cwd)).as_posix()
    except ValueError:  # another drive on Windows: no relative form exists
        return path.as_posix()


def relative_to_root(path: Path, root: Path) -> str:
    """Return the POSIX path that policy globs are matched against.

    A file outside the root gets its absolute path without the leading slash, so that
    anchored globs do not match it by accident and ``..`` never looks like a hidden name.
    """
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix().lstrip("/")


def discover(
    arguments: Sequence[str],
    *,
    cwd: Path,
    root: Path,
    include: Sequence[str],
    exclude: Sequence[str],
    input_format: InputFormat,
    stdin_name: str | None = None,
) -> list[Source]:
    """Return the sources the arguments name, deduplicated, in argument then walk order."""
    sources: list[Source] = []
    seen: set[Path] = set()
    for argument in arguments or ["."]:
        if argument == STDIN:
            name = stdin_name or STDIN_NAME
            fmt = (
                format_for(stdin_name, input_format) if stdin_name else _stdin_format(input_format)
            )
            sources.append(Source(None, name, name, fmt))
            continue
        path = (cwd / argument).resolve()
        if path.is_dir():
            found = sorted(_walk(path, root, include, exclude), key=lambda p: p.parts)
            if not found:
                globs = ", ".join(include)
                raise InputFileError(
                    argument, f"directory has no files matching the include globs ({globs})"
                )
            candidates = found
        elif path.is_file():
            if matches_any_or_parent(relative_to_root(path, root), exclude):
                continue
            candidates = [path]
        elif path.exists():
            raise InputFileError(argument, "not a regular file or directory")
        else:
            raise InputFileError(argument, "no such file or directory")
        for candidate in candidates:
            if candidate not in seen:
                seen.add(candidate)
                sources.append(
                    Source(
                        candidate,
                        display_path(candidate, cwd),
                        relative_to_root(candidate, root),
                        format_for(candidate.name, input_format),
                    )
                )
    return sources


def _stdin_format(requested: InputFormat) -> TextFormat:
    """Return the format of standard input: Markdown unless told otherwise."""
    return "markdown" if requested == "auto" else requested


def _walk(
    directory: Path, root: Path, include: Sequence[str], exclude: Sequence[str]
) -> Iterator[Path]:
    """Yield included files under directory in sorted order, pruning excluded directories."""
    for current, dirs, files in os.walk(directory):
        here = Path(current)
        # The trailing slash lets directory-only globs ("drafts/") prune the walk early.
        dirs[:] = [
            d
            for d in dirs
            if not matches_any_or_parent(relative_to_root(here / d, root) + "/", exclude)
            and not matches_any_or_parent(relative_to_root(here / d, directory) + "/", WALK_EXCLUDE)
        ]
        for name in files:
            path = here / name
            relative = relative_to_root(path, root)
            if matches_any(relative, include) and not matches_any_or_parent(relative, exclude):
                yield path


def read_source(source: Source) -> str:
    """Return a source's text, decoded as UTF-8 (a leading BOM dropped), line ends untouched."""
    try:
        data = sys.stdin.buffer.read() if source.path is None else source.path.read_bytes()
    except OSError as exc:
        raise InputFileError(source.display, f"cannot read ({exc.strerror})") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            source.display,
            f"not valid UTF-8: byte 0x{data[exc.start]:02x} at offset {exc.start} ({exc.reason}); "
            "save the file as UTF-8",
        ) from exc
