"""Domain errors raised by the core; the HTTP and CLI edges translate them.

MisinfoSignalsError
├── InputError                  the caller sent something the core cannot score
│   ├── TextTooLongError
│   ├── UnknownSignalError
│   └── InvalidThresholdError
└── ModelError                  the model cannot be used (never the caller's fault)
    ├── ModelFileMissingError
    ├── ModelIntegrityError     sha256 of model.joblib differs from metadata.json
    └── ModelFormatError        metadata or model file unreadable or inconsistent
"""

from __future__ import annotations

from pathlib import Path


class MisinfoSignalsError(Exception):
    """Base of every error this package raises on purpose."""


class InputError(MisinfoSignalsError):
    """The input cannot be scored as given."""


class TextTooLongError(InputError):
    """The text is longer than the configured maximum."""

    def __init__(self, length: int, limit: int) -> None:
        super().__init__(f"text is {length} characters long; the limit is {limit}")
        self.length = length
        self.limit = limit


class UnknownSignalError(InputError):
    """A signal id is not one the model scores."""

    def __init__(self, unknown: list[str], known: tuple[str, ...]) -> None:
        super().__init__(f"unknown signal id(s): {', '.join(unknown)}; known: {', '.join(known)}")
        self.unknown = unknown
        self.known = known


class InvalidThresholdError(InputError):
    """A threshold override is outside [0, 1]."""


class ModelError(MisinfoSignalsError):
    """The model cannot be loaded or used."""

    def __init__(self, message: str, *, path: Path) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path


class ModelFileMissingError(ModelError):
    """A model file does not exist."""


class ModelIntegrityError(ModelError):
    """The model file's sha256 is not the one metadata.json records."""

    def __init__(self, *, path: Path, expected: str, actual: str) -> None:
        super().__init__(
            f"sha256 mismatch: metadata.json expects {expected}, the file has {actual}",
            path=path,
        )
        self.expected = expected
        self.actual = actual


class ModelFormatError(ModelError):
    """The metadata or the model file is unreadable or inconsistent."""
