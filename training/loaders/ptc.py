"""PTC (SemEval-2020 Task 11) loader: train articles, one sentence per line, technique spans.

Only the train articles are read: dev and test articles are the project's gold-set pool.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from training.labels import NO_EVIDENCE, PROPAGANDA_IDS, Span, no_evidence_label, propaganda_id
from training.loaders._common import read_exact
from training.table import Label, Row, split_by_hash

DATASET = "ptc"


def read_technique_spans(path: Path) -> dict[str, list[tuple[str, int, int]]]:
    """Read train-task2-TC.labels into article id -> [(signal id, start, end)]."""
    spans: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
    for line in read_exact(path).splitlines():
        parts = line.rstrip("\r").split("\t")
        if len(parts) != 4:
            continue
        article, technique, start, end = parts
        spans[article.strip()].append((propaganda_id(technique), int(start), int(end)))
    return dict(spans)


def line_spans(text: str) -> Iterator[Span]:
    """Yield the trimmed span of every non-blank line (PTC puts one sentence per line)."""
    offset = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            start = offset + (len(line) - len(line.lstrip()))
            yield start, start + len(stripped)
        offset += len(line)


def sentence_labels(sentence: Span, spans: list[tuple[str, int, int]]) -> dict[str, Label]:
    """Mark each technique 1 if one of its spans shares a character with the sentence, else 0."""
    labels: dict[str, Label] = dict.fromkeys(PROPAGANDA_IDS.values(), 0)
    s, e = sentence
    for signal, start, end in spans:
        if start < e and s < end:
            labels[signal] = 1
    return labels


def load(data_dir: Path) -> list[Row]:
    """Load PTC train articles as sentence rows with propaganda and weak no_evidence labels."""
    root = data_dir / "ptc_semeval2020"
    techniques = read_technique_spans(root / "train-task2-TC.labels")
    rows: list[Row] = []
    for path in sorted((root / "train-articles").glob("article*.txt")):
        article = path.stem.removeprefix("article")
        text = read_exact(path)
        doc = f"ptc/train/article{article}"
        split = split_by_hash(doc)
        prev = ""
        for start, end in line_spans(text):
            sentence = text[start:end]
            labels = sentence_labels((start, end), techniques.get(article, []))
            labels[NO_EVIDENCE] = no_evidence_label(sentence)
            rows.append(Row(sentence, prev, DATASET, doc, split, labels, start, end))
            prev = sentence
    return rows
