"""Pick the training-pool sentences the current model is least sure of, for the next annotation round.

Only train-pool articles (PolNeAR train, PTC train) are candidates, never the gold pool.
Uncertainty is the distance, in logits, between a core signal's score and its threshold;
a sentence's uncertainty is its smallest distance over the core signals.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from service.core.model import Model
from service.core.signals import CORE_SIGNALS
from training.table import Row, text_sha1

ANNOTATIONS_DIR = Path(__file__).resolve().parent / "annotations"
CANDIDATE_DATASETS = frozenset({"polnear", "ptc"})


def annotated_keys(annotation_dir: Path = ANNOTATIONS_DIR) -> set[tuple[str, int, int]]:
    """Return (doc, start, end) of every sentence already annotated."""
    keys = set()
    for path in sorted(annotation_dir.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                record = json.loads(line)
                keys.add((record["doc"], int(record["start"]), int(record["end"])))
    return keys


def _logit(p: np.ndarray) -> np.ndarray:
    """Return log-odds, clipped away from 0 and 1."""
    clipped = np.clip(p, 1e-6, 1 - 1e-6)
    logits: np.ndarray = np.log(clipped / (1 - clipped))
    return logits


def uncertainty(model: Model, texts: Sequence[str]) -> np.ndarray:
    """Return each sentence's smallest logit distance to a core threshold (small = unsure)."""
    columns = [model.signals.index(s) for s in CORE_SIGNALS]
    scores = model.probabilities(model.vectorize(texts))[:, columns]
    thresholds = np.array([model.thresholds[s] for s in CORE_SIGNALS])
    distance: np.ndarray = np.abs(_logit(scores) - _logit(thresholds)).min(axis=1)
    return distance


def candidate_pool(rows: Iterable[Row], exclude: set[tuple[str, int, int]]) -> list[Row]:
    """Return unannotated train-pool sentences of four or more words, never gold-pool ones."""
    return [
        r
        for r in rows
        if r.dataset in CANDIDATE_DATASETS
        and r.split == "train"
        and r.start >= 0
        and len(r.text.split()) >= 4
        and (r.doc, r.start, r.end) not in exclude
    ]


def select_uncertain(
    model: Model,
    rows: Iterable[Row],
    *,
    count: int,
    per_document: int = 3,
    exclude: set[tuple[str, int, int]] | None = None,
) -> list[Row]:
    """Return up to count train-pool rows, least certain first, at most per_document per article."""
    pool = candidate_pool(rows, exclude or set())
    distance = uncertainty(model, [r.text for r in pool])
    taken: Counter[str] = Counter()
    chosen: list[Row] = []
    for i in np.argsort(distance, kind="stable"):
        row = pool[int(i)]
        if taken[row.doc] >= per_document:
            continue
        taken[row.doc] += 1
        chosen.append(row)
        if len(chosen) >= count:
            break
    return chosen


def candidate_records(rows: Sequence[Row], *, round_name: str) -> list[dict[str, object]]:
    """Return unlabelled annotation records (offsets and hash only) for annotators to fill in."""
    records = [
        {
            "doc": r.doc,
            "start": r.start,
            "end": r.end,
            "sha1": text_sha1(r.text),
            "sample": round_name,
        }
        for r in rows
    ]
    return sorted(records, key=lambda rec: (str(rec["doc"]), int(str(rec["start"]))))
