"""Changed line numbers since a git ref, for ``--diff REF``.

Lines come from ``git diff --unified=0 REF`` against the working tree (staged and unstaged
edits both count). A file that does not exist at REF is new: all of its lines count.
"""

from __future__ import annotations

import codecs
import re
import subprocess
from collections.abc import Sequence
from pathlib import Path

from service.cli.check.errors import GitDiffError

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@")
ALL_LINES = None


def _git(args: Sequence[str], cwd: Path) -> str:
    """Run git and return its standard output; raise GitDiffError on failure."""
    try:
        done = subprocess.run(
            ["git", "-c", "core.quotePath=false", *args],
            cwd=cwd,
            capture_output=True,
            check=False,
        )
    except FileNotFoundError as exc:
        raise GitDiffError("--diff: git is not installed or not on PATH") from exc
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        detail = lines[0] if lines else f"exit status {done.returncode}"
        raise GitDiffError(f"--diff: git {args[0]} failed: {detail}")
    return done.stdout.decode("utf-8", "surrogateescape")


def changed_lines(ref: str, files: Sequence[Path], cwd: Path) -> dict[Path, set[int] | None]:
    """Return, per file, the 1-based line numbers changed since ref (None: the whole file)."""
    try:
        top = Path(_git(["rev-parse", "--show-toplevel"], cwd).strip()).resolve()
    except GitDiffError as exc:
        raise GitDiffError(f"--diff: {cwd} is not inside a git repository") from exc
    try:
        _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
    except GitDiffError as exc:
        raise GitDiffError(f"--diff: unknown git ref {ref!r}") from exc
    relative = {}
    for file in files:
        try:
            relative[file.resolve().relative_to(top).as_posix()] = file
        except ValueError as exc:
            raise GitDiffError(f"--diff: {file} is outside the repository {top}") from exc
    if not relative:
        return {}
    names = sorted(relative)
    existing = set(_git(["ls-tree", "-r", "--name-only", ref, "--", *names], top).splitlines())
    diff = _git(
        [
            "diff",
            "--unified=0",
            "--no-color",
            "--no-ext-diff",
            "--no-renames",
            "--src-prefix=a/",
            "--dst-prefix=b/",
            ref,
            "--",
            *names,
        ],
        top,
    )
    changed: dict[Path, set[int] | None] = {
        file: (set() if name in existing else ALL_LINES) for name, file in relative.items()
    }
    current: set[int] | None = None
    for line in diff.splitlines():
        if line.startswith("+++ "):
            target = _unquote(line[4:])
            path = relative.get(target[2:]) if target.startswith("b/") else None
            current = changed.get(path) if path is not None else None
        elif current is not None and (hunk := _HUNK.match(line)):
            start = int(hunk.group(1))
            count = int(hunk.group(2)) if hunk.group(2) is not None else 1
            current.update(range(start, start + count))
    return changed


def _unquote(name: str) -> str:
    """Undo git's C-style quoting of unusual file names ("b/a\\tb.md")."""
    if not (name.startswith('"') and name.endswith('"')):
        return name
    raw = codecs.escape_decode(name[1:-1].encode("utf-8"))[0]
    return bytes(raw).decode("utf-8", "surrogateescape")


def touches(lines: tuple[int, int], changed: set[int] | None) -> bool:
    """Return whether the line range [first, last] meets a changed line."""
    return changed is None or any(n in changed for n in range(lines[0], lines[1] + 1))
