"""Content fingerprints and baseline files: accept today's findings, fail only on new ones.

A fingerprint hashes the rule, the sentence text with whitespace collapsed (so re-wrapping
and CRLF do not matter) and the occurrence number of that (rule, sentence) pair in the file.
Line numbers are not part of it, so moving a paragraph keeps its findings accepted.
Baseline paths are relative to the baseline file's directory.
"""

from __future__ import annotations

import hashlib
import json
import os
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from service.cli.check.errors import BaselineError
from service.cli.check.findings import Finding

FORMAT_VERSION = 1
FINGERPRINT_KEY = "misinfoSignals/v1"


def normalize(text: str) -> str:
    """Return text in NFC with whitespace runs collapsed to single spaces."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def with_fingerprints(findings: Sequence[Finding]) -> list[Finding]:
    """Return the findings (in document order) with their content fingerprints set."""
    seen: Counter[tuple[str, str, str]] = Counter()
    result = []
    for finding in findings:
        content = normalize(finding.context)
        key = (finding.path, finding.rule, content)
        occurrence = seen[key]
        seen[key] += 1
        digest = hashlib.sha256(
            f"{FORMAT_VERSION}\0{finding.rule}\0{content}\0{occurrence}".encode()
        ).hexdigest()
        result.append(replace(finding, fingerprint=digest[:32]))
    return result


@dataclass(frozen=True, slots=True)
class Entry:
    """One accepted finding."""

    path: str
    rule: str
    fingerprint: str


def entry_path(file_path: Path | None, display: str, baseline: Path) -> str:
    """Return a finding's path as the baseline records it."""
    if file_path is None:
        return display
    return Path(os.path.relpath(file_path, baseline.resolve().parent)).as_posix()


def write_baseline(path: Path, entries: Iterable[Entry]) -> int:
    """Write entries (sorted, one per finding) to path; return how many."""
    rows = sorted(entries, key=lambda e: (e.path, e.rule, e.fingerprint))
    document = {
        "version": FORMAT_VERSION,
        "generator": "misinfo-signals check --write-baseline",
        "findings": [{"path": e.path, "rule": e.rule, "fingerprint": e.fingerprint} for e in rows],
    }
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(path, f"cannot write baseline ({exc.strerror})") from exc
    return len(rows)


def read_baseline(path: Path) -> Counter[Entry]:
    """Read a baseline file as a multiset of entries."""
    try:
        document: Any = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BaselineError(path, "baseline file not found") from exc
    except OSError as exc:
        raise BaselineError(path, f"cannot read baseline ({exc.strerror})") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BaselineError(path, f"not a baseline file: invalid JSON ({exc})") from exc
    if not isinstance(document, dict) or document.get("version") != FORMAT_VERSION:
        raise BaselineError(path, f"not a version {FORMAT_VERSION} baseline file")
    rows = document.get("findings")
    if not isinstance(rows, list):
        raise BaselineError(path, "'findings' must be a list")
    entries: Counter[Entry] = Counter()
    for n, row in enumerate(rows):
        keys = ("path", "rule", "fingerprint")
        if not isinstance(row, dict) or not all(isinstance(row.get(k), str) for k in keys):
            raise BaselineError(path, f"findings[{n}] needs string path, rule and fingerprint")
        entries[Entry(row["path"], row["rule"], row["fingerprint"])] += 1
    return entries


def split_accepted(
    findings: Sequence[tuple[Finding, Entry]], accepted: Counter[Entry]
) -> tuple[list[Finding], int]:
    """Return the findings the baseline does not accept, and how many it did."""
    remaining = Counter(accepted)
    new = []
    matched = 0
    for finding, entry in findings:
        if remaining[entry] > 0:
            remaining[entry] -= 1
            matched += 1
        else:
            new.append(finding)
    return new, matched
