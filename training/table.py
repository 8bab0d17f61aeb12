"""The sentence-level training table: the Row type, deterministic splits and count summaries.

A label is 1 (the sentence has the signal), 0 (it does not) or unknown. Unknown is stored as
absence: ``Row.labels`` only holds signals the source dataset says something about, so
``signal in row.labels`` is the test for "this row may train this signal".
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

Split = Literal["train", "dev", "test"]
Label = int | None
SPLITS: tuple[Split, ...] = ("train", "dev", "test")

# Fractions of the hash range: [0, 0.70) train, [0.70, 0.85) dev, [0.85, 1) test.
_TRAIN_CUT = 0.70
_DEV_CUT = 0.85
_WS = re.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class Row:
    """One sentence with its context, provenance, split and per-signal labels."""

    text: str
    prev: str
    dataset: str
    doc: str
    split: Split
    labels: Mapping[str, Label] = field(default_factory=dict, hash=False, compare=True)
    # Code-point offsets of the sentence in its source document; -1 when the dataset has none.
    start: int = -1
    end: int = -1

    def __post_init__(self) -> None:
        """Freeze the labels and drop unknowns so that membership means "known"."""
        known = {k: int(v) for k, v in self.labels.items() if v is not None}
        bad = {k: v for k, v in known.items() if v not in (0, 1)}
        if bad:
            raise ValueError(f"labels must be 0, 1 or None, got {bad}")
        object.__setattr__(self, "labels", MappingProxyType(known))

    def label(self, signal: str) -> Label:
        """Return 1, 0 or None (unknown) for one signal."""
        return self.labels.get(signal)

    def with_labels(self, updates: Mapping[str, Label]) -> Row:
        """Return a copy whose labels are overridden by ``updates`` (None erases a label)."""
        merged: dict[str, Label] = dict(self.labels)
        merged.update(updates)
        return dataclasses.replace(self, labels=merged)


def hash_fraction(key: str) -> float:
    """Map a key to a stable number in [0, 1) from its sha1."""
    digest = hashlib.sha1(key.encode("utf-8")).digest()  # noqa: S324 - not a security use
    return int.from_bytes(digest[:8], "big") / 2.0**64


def split_by_hash(key: str) -> Split:
    """Assign train/dev/test (70/15/15) from the hash of a document id."""
    frac = hash_fraction(key)
    if frac < _TRAIN_CUT:
        return "train"
    return "dev" if frac < _DEV_CUT else "test"


def train_dev_by_hash(key: str) -> Split:
    """Assign train/dev for datasets whose test split is official, keeping the 70:15 ratio."""
    return "train" if hash_fraction(key) < _TRAIN_CUT / _DEV_CUT else "dev"


def text_sha1(text: str) -> str:
    """Return the first 12 hex digits of the sha1 of a sentence (the annotation drift check)."""
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]  # noqa: S324


def squash_space(text: str) -> str:
    """Collapse whitespace runs to one space and strip the ends."""
    return _WS.sub(" ", text).strip()


def signals_in(rows: Iterable[Row]) -> list[str]:
    """List every signal that at least one row knows, sorted."""
    found: set[str] = set()
    for row in rows:
        found.update(row.labels)
    return sorted(found)


Counts = dict[tuple[str, Split, str], tuple[int, int, int]]


def count_labels(rows: Iterable[Row]) -> Counts:
    """Count positive/negative/unknown per (dataset, split, signal) for signals a dataset knows."""
    rows = list(rows)
    per_group: Counter[tuple[str, Split]] = Counter()
    tallies: Counter[tuple[str, Split, str, int]] = Counter()
    known_by_dataset: dict[str, set[str]] = {}
    for row in rows:
        per_group[row.dataset, row.split] += 1
        known_by_dataset.setdefault(row.dataset, set()).update(row.labels)
        for signal, value in row.labels.items():
            tallies[row.dataset, row.split, signal, int(value or 0)] += 1
    counts: Counts = {}
    for (dataset, split), total in sorted(per_group.items()):
        for signal in sorted(known_by_dataset[dataset]):
            pos = tallies[dataset, split, signal, 1]
            neg = tallies[dataset, split, signal, 0]
            counts[dataset, split, signal] = (pos, neg, total - pos - neg)
    return counts


def format_counts(counts: Counts) -> str:
    """Render count_labels output as a fixed-width text table."""
    header = ("dataset", "split", "signal", "pos", "neg", "unknown")
    lines = [header] + [
        (d, s, sig, str(p), str(n), str(u)) for (d, s, sig), (p, n, u) in counts.items()
    ]
    widths = [max(len(line[i]) for line in lines) for i in range(len(header))]
    out = []
    for line in lines:
        cells = [
            cell.rjust(w) if i >= 3 else cell.ljust(w)
            for i, (cell, w) in enumerate(zip(line, widths, strict=True))
        ]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)
