"""PolNeAR loader: BRAT attribution relations -> sentence rows (train compartment only).

The official dev compartment is the project's gold-set pool and is never read here.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from training.labels import (
    NO_EVIDENCE,
    Attribution,
    Span,
    common_words,
    no_evidence_label,
    polnear_labels,
)
from training.loaders._common import Splitter, default_splitter, read_exact
from training.table import Row, split_by_hash

DATASET = "polnear"
_ANNOTATOR_SUFFIX = re.compile(r"_[0-9a-f]{4}$")
_TEXT_BOUND = re.compile(r"^T\d+$")
_EVENT = re.compile(r"^E\d+$")


def _parse_spans(offsets: str) -> tuple[Span, ...]:
    """Parse BRAT offsets "12 20;25 30" into spans."""
    spans = []
    for piece in offsets.split(";"):
        start, end = piece.split()
        spans.append((int(start), int(end)))
    return tuple(spans)


def read_ann(path: Path) -> list[Attribution]:
    """Read the attribution relations of one BRAT .ann file.

    Lines that are not T/E records are skipped: span texts with newlines spill onto their own
    lines, and AnnotatorNotes carry nothing the labels need.
    """
    bounds: dict[str, tuple[Span, ...]] = {}
    events: list[dict[str, str]] = []
    for line in read_exact(path).splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue
        if _TEXT_BOUND.match(parts[0]):
            _kind, _, offsets = parts[1].partition(" ")
            bounds[parts[0]] = _parse_spans(offsets)
        elif _EVENT.match(parts[0]):
            roles = dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg)
            events.append(roles)
    out = []
    for roles in events:

        def spans(role: str, roles: dict[str, str] = roles) -> tuple[Span, ...]:
            found: list[Span] = []
            for key, ref in roles.items():
                if re.fullmatch(role + r"\d*", key) and ref in bounds:
                    found.extend(bounds[ref])
            return tuple(sorted(found))

        out.append(Attribution(source=spans("Source"), cue=spans("Cue"), content=spans("Content")))
    return out


def annotation_files(root: Path) -> dict[str, Path]:
    """Map each article stem to one annotation file, preferring the most complete annotator.

    A few articles were annotated by several people (agreement checks); taking the file with
    the most relations (ties: name order) keeps one consistent view per article.
    """
    best: dict[str, tuple[int, str, Path]] = {}
    for path in sorted((root / "attributions").glob("*.ann")):
        stem = _ANNOTATOR_SUFFIX.sub("", path.stem)
        relations = sum(
            1 for line in read_exact(path).splitlines() if _EVENT.match(line.split("\t")[0])
        )
        key = (-relations, path.name, path)
        if stem not in best or key[:2] < best[stem][:2]:
            best[stem] = key
    return {stem: path for stem, (_n, _name, path) in best.items()}


def iter_articles(data_dir: Path) -> Iterator[tuple[str, str, list[Attribution]]]:
    """Yield (doc id, text, attributions) for every PolNeAR train article."""
    root = data_dir / "polnear" / "data" / "train"
    for stem, ann in sorted(annotation_files(root).items()):
        text_path = root / "text" / f"{stem}.txt"
        if text_path.exists():
            yield f"polnear/train/{stem}", read_exact(text_path), read_ann(ann)


def load(data_dir: Path, splitter: Splitter | None = None) -> list[Row]:
    """Load PolNeAR train articles as sentence rows with derived labels."""
    split_text = splitter or default_splitter()
    articles = list(iter_articles(data_dir))
    common = common_words(text for _doc, text, _atts in articles)
    rows: list[Row] = []
    for doc, text, attributions in articles:
        sentences = [(s.start, s.end) for s in split_text(text) if text[s.start : s.end].strip()]
        labels = polnear_labels(text, sentences, attributions, common)
        split = split_by_hash(doc)
        prev = ""
        for (start, end), derived in zip(sentences, labels, strict=True):
            sentence = text[start:end]
            derived[NO_EVIDENCE] = no_evidence_label(sentence)
            rows.append(Row(sentence, prev, DATASET, doc, split, derived, start, end))
            prev = sentence
    return rows
