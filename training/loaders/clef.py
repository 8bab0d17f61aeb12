"""CLEF CheckThat! check-worthiness loaders: 2019 Task 1, 2020 Task 5, 2020 Task 1 tweets.

CLEF 2020 Task 5 train re-publishes the 2019 debates (train and test); those sentences are
dropped from it so the 2019 test set never leaks into training.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from training.labels import CHECKWORTHY
from training.table import Row, Split, squash_space, text_sha1, train_dev_by_hash

CLEF19 = "clef19"
CLEF20 = "clef20"
CLEF20_TWEETS = "clef20_tweets"


def _records(path: Path, delimiter: str) -> Iterator[dict[str, str]]:
    """Yield csv/tsv records as dicts (tab files carry quotes inside tweets: no quoting)."""
    with path.open(encoding="utf-8", newline="") as handle:
        if delimiter == "\t":
            yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        else:
            yield from csv.DictReader(handle, delimiter=delimiter)


def load_clef19(data_dir: Path) -> list[Row]:
    """Load CLEF 2019 Task 1: Training by file hash into train/dev, Test as test."""
    root = data_dir / "clef_checkthat" / "clef19"
    rows: list[Row] = []
    for filename, official_test in (("CT19-T1-Training.csv", False), ("CT19-T1-Test.csv", True)):
        prev_doc, prev = "", ""
        for record in _records(root / filename, ","):
            doc = f"{CLEF19}/{record['file_name']}"
            if doc != prev_doc:
                prev_doc, prev = doc, ""
            text = squash_space(record["text"])
            split: Split = "test" if official_test else train_dev_by_hash(doc)
            if text:
                labels = {CHECKWORTHY: int(record["label"])}
                rows.append(Row(text, prev, CLEF19, doc, split, labels))
                prev = text
    return rows


def load_clef20(data_dir: Path, known_texts: set[str] | None = None) -> list[Row]:
    """Load CLEF 2020 Task 5 (no debate ids: train/dev by sentence hash, test-gold as test).

    ``known_texts`` (the 2019 sentences) are skipped in train: 2020 re-publishes those debates.
    """
    root = data_dir / "clef_checkthat" / "clef20" / "task5"
    skip = known_texts if known_texts is not None else {r.text for r in load_clef19(data_dir)}
    rows: list[Row] = []
    for filename, official_test in (("train.tsv", False), ("test-gold.tsv", True)):
        prev = ""
        for record in _records(root / filename, "\t"):
            text = squash_space(record["text"])
            if not text or (not official_test and text in skip):
                prev = text
                continue
            doc = f"{CLEF20}/{text_sha1(text)}"
            split: Split = "test" if official_test else train_dev_by_hash(doc)
            rows.append(Row(text, prev, CLEF20, doc, split, {CHECKWORTHY: int(record["label"])}))
            prev = text
    return rows


def load_clef20_tweets(data_dir: Path) -> list[Row]:
    """Load CLEF 2020 Task 1 COVID tweets with their official train/dev/test files."""
    root = data_dir / "clef_checkthat" / "clef20" / "task1"
    files: tuple[tuple[str, Split], ...] = (
        ("training_v2.tsv", "train"),
        ("dev_v2.tsv", "dev"),
        ("test-gold.tsv", "test"),
    )
    rows: list[Row] = []
    for filename, split in files:
        for record in _records(root / filename, "\t"):
            # The test file names its label column claim_worthiness.
            label = record.get("check_worthiness") or record.get("claim_worthiness")
            text = squash_space(record["tweet_text"])
            if text and label is not None and label.strip() in {"0", "1"}:
                doc = f"{CLEF20_TWEETS}/{record['tweet_id']}"
                rows.append(Row(text, "", CLEF20_TWEETS, doc, split, {CHECKWORTHY: int(label)}))
    return rows
