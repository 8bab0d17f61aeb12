"""Helpers for the ``check`` tests (a module, so test files can import them)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DRAFTS = Path(__file__).parent / "drafts"
GOLDEN = Path(__file__).parent / "golden"
SARIF_SCHEMA = (
    Path(__file__).resolve().parents[3] / "shared" / "schemas" / "sarif-schema-2.1.0.json"
)


@dataclass(frozen=True)
class Outcome:
    """What one ``check`` run printed and returned."""

    exit_code: int
    stdout: str
    stderr: str


Run = Callable[..., Outcome]


def write(path: Path, text: str) -> Path:
    """Write UTF-8 text (line ends untouched), creating parent directories."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode("utf-8"))
    return path


def copy_drafts(target: Path) -> Path:
    """Copy the drafts into target/drafts, forcing CRLF line ends in *-crlf.* files."""
    destination = target / "drafts"
    destination.mkdir(parents=True, exist_ok=True)
    for draft in sorted(DRAFTS.iterdir()):
        data = draft.read_bytes()
        if "-crlf." in draft.name:
            # A checkout may have converted line ends; the test needs real CRLF bytes.
            data = data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
        (destination / draft.name).write_bytes(data)
    return destination
