"""CoNLL-2010 Wikipedia weasel sample loader: certain/uncertain sentences + weasel cue lists.

The csv has no document ids, so rows are split by the hash of their text.
"""

from __future__ import annotations

import ast
import csv
from pathlib import Path

from training.labels import conll_labels, is_source_cue
from training.loaders._common import read_exact
from training.table import Row, split_by_hash, squash_space, text_sha1

DATASET = "conll2010"


def read_weasel_counts(path: Path) -> dict[str, int]:
    """Read a weasel list file: (cue, count) pairs after a few log lines."""
    for line in read_exact(path).splitlines():
        if line.startswith("["):
            pairs = ast.literal_eval(line)
            return {" ".join(str(cue).split()): int(n) for cue, n in pairs}
    return {}


def source_cues(data_dir: Path) -> list[str]:
    """Return the source-like weasel cues of the train list, longest first."""
    counts = read_weasel_counts(data_dir / "conll2010_wiki" / "trainWeasels.txt")
    return sorted((c for c in counts if is_source_cue(c)), key=lambda c: (-len(c), c))


def load(data_dir: Path) -> list[Row]:
    """Load the CoNLL-2010 csv as rows labelled by the weasel rule."""
    cues = source_cues(data_dir)
    path = data_dir / "conll2010_wiki" / "uncertainty-conll2010.csv"
    rows: list[Row] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for record in csv.reader(handle):
            if len(record) != 2 or record[0].strip() not in {"1", "-1"}:
                continue
            text = squash_space(record[1])
            if not text:
                continue
            doc = f"{DATASET}/{text_sha1(text)}"
            labels = conll_labels(record[0].strip() == "1", text, cues)
            rows.append(Row(text, "", DATASET, doc, split_by_hash(doc), labels))
    return rows
