"""ClaimBuster loader: check-worthy factual sentences from US presidential debates.

train.json is split train/dev by sentence id; test.json is the official (balanced) test.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from training.labels import CHECKWORTHY
from training.loaders._common import read_exact
from training.table import Row, Split, squash_space, train_dev_by_hash

DATASET = "claimbuster"


def _rows(path: Path, official_test: bool) -> list[Row]:
    """Turn one ClaimBuster JSON list into rows."""
    records: list[dict[str, Any]] = json.loads(read_exact(path))
    rows: list[Row] = []
    for record in records:
        text = squash_space(str(record["text"]))
        if not text:
            continue
        doc = f"{DATASET}/{record['sentence_id']}"
        split: Split = "test" if official_test else train_dev_by_hash(doc)
        rows.append(Row(text, "", DATASET, doc, split, {CHECKWORTHY: int(record["label"])}))
    return rows


def load(data_dir: Path) -> list[Row]:
    """Load ClaimBuster two-class train.json (train/dev) and test.json (test)."""
    root = data_dir / "claimbuster" / "two_class"
    return _rows(root / "train.json", False) + _rows(root / "test.json", True)
