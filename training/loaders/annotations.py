"""Loader for the project's own sentence annotations (training/annotations/*.jsonl).

Each record points at a sentence of a PolNeAR or PTC train article by code-point offsets and
carries the four core labels. The article text is read from the data directory and the
sentence's sha1 prefix is checked, so offset drift fails loudly instead of mislabelling.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

from training.labels import CORE
from training.loaders._common import document_path, read_exact
from training.table import Label, Row, split_by_hash, text_sha1

DATASET = "annotations"
_DOC = re.compile(r"^(polnear|ptc)/(train|dev|test)/([^/]+)$")


class AnnotationError(ValueError):
    """An annotation record is malformed, drifted, or points outside the training pool."""


def article_path(data_dir: Path, doc: str) -> Path:
    """Resolve an annotation doc id to its article text file; refuse the gold-set pool."""
    match = _DOC.match(doc)
    if not match:
        raise AnnotationError(f"unknown doc id {doc!r}")
    split = match.group(2)
    if split != "train":
        raise AnnotationError(f"{doc!r} is in the gold-set pool; training may not read it")
    return document_path(data_dir, doc)


def core_labels(record: Mapping[str, Any]) -> dict[str, Label]:
    """Turn the record's span lists into 1 (non-empty) / 0 (empty) for each core signal."""
    spans = record.get("labels")
    if not isinstance(spans, Mapping) or set(CORE) - set(spans):
        raise AnnotationError(f"record must carry all of {CORE}: {record!r}")
    return {signal: int(bool(spans[signal])) for signal in CORE}


def iter_records(paths: Iterable[Path]) -> Iterator[tuple[Path, int, dict[str, Any]]]:
    """Yield (file, line number, record) from JSON Lines files, skipping blank lines."""
    for path in paths:
        for number, line in enumerate(read_exact(path).splitlines(), start=1):
            if line.strip():
                yield path, number, json.loads(line)


def load(data_dir: Path, repo_dir: Path) -> list[Row]:
    """Load every training/annotations/*.jsonl record as a row labelled by the annotator."""
    paths = sorted((repo_dir / "training" / "annotations").glob("*.jsonl"))
    texts: dict[str, str] = {}
    rows: list[Row] = []
    for path, number, record in sorted(
        iter_records(paths), key=lambda item: (item[2]["doc"], item[2]["start"])
    ):
        doc, start, end = str(record["doc"]), int(record["start"]), int(record["end"])
        where = f"{path.name}:{number}"
        if doc not in texts:
            texts[doc] = read_exact(article_path(data_dir, doc))
        text = texts[doc][start:end]
        if not text or text_sha1(text) != record.get("sha1"):
            raise AnnotationError(f"{where}: sentence text does not match its sha1 ({doc})")
        labels = core_labels(record)
        prev = rows[-1].text if rows and rows[-1].doc == doc else ""
        rows.append(Row(text, prev, DATASET, doc, split_by_hash(doc), labels, start, end))
    return rows
