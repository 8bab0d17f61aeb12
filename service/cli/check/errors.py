"""Errors of the ``check`` command; the click command maps each branch to an exit code.

CheckError                      exit 2 unless noted
├── ConfigError                 a config file (or a flag) holds an unknown key or a bad value
├── InputFileError              a path is missing, unreadable, undecodable or matches no files
├── GitDiffError                ``--diff`` cannot compute changed lines (no repository, bad ref)
├── BaselineError               a baseline file is missing or malformed
└── ServiceError                exit 3: the scoring service is unreachable or failed
"""

from __future__ import annotations

from pathlib import Path

from service.core.errors import MisinfoSignalsError


class CheckError(MisinfoSignalsError):
    """A problem that stops ``check`` before it can report findings."""

    exit_code = 2


class ConfigError(CheckError):
    """A configuration file or setting is invalid."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        super().__init__(f"{source}: {key}: {problem}" if key else f"{source}: {problem}")
        self.source = source
        self.key = key
        self.problem = problem


class InputFileError(CheckError):
    """An input path cannot be checked."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = path
        self.problem = problem


class GitDiffError(CheckError):
    """Changed lines cannot be computed for ``--diff``."""


class BaselineError(CheckError):
    """A baseline file cannot be read or written."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)


class ServiceError(CheckError):
    """The scoring service could not score the documents (never the draft's fault)."""

    exit_code = 3
