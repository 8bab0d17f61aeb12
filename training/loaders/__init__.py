"""Dataset loaders: every dataset folder -> one sentence-level table of Rows.

``load_all`` reads the datasets named in DEFAULT_DATASETS (or the ones asked for), merges
sentences that two sources describe, and lets the project's own annotations win.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path

import training.loaders.annotations as own_annotations
from training.labels import CORE
from training.loaders import claimbuster, clef, conll2010, polnear, ptc, szeged
from training.loaders._common import Splitter
from training.table import Row, squash_space

DEFAULT_DATASETS: tuple[str, ...] = (
    "polnear",
    "szeged_wiki",
    "szeged_factbank",
    "conll2010",
    "ptc",
    "claimbuster",
    "clef19",
    "clef20",
    "clef20_tweets",
    "annotations",
)
# Off-domain biomedical text: loadable on request, never by default.
OPTIONAL_DATASETS: tuple[str, ...] = tuple(szeged.dataset_name(p) for p in szeged.BIO_PARTS)
# Documents the training table must never contain (the gold-set pool).
FORBIDDEN_DOC_PREFIXES = ("polnear/dev/", "polnear/test/", "ptc/dev/", "ptc/test/")


def _loaders(
    data_dir: Path, repo_dir: Path, splitter: Splitter | None
) -> dict[str, Callable[[], list[Row]]]:
    """Map each dataset name to a zero-argument loader."""
    loaders: dict[str, Callable[[], list[Row]]] = {
        "polnear": lambda: polnear.load(data_dir, splitter),
        "conll2010": lambda: conll2010.load(data_dir),
        "ptc": lambda: ptc.load(data_dir),
        "claimbuster": lambda: claimbuster.load(data_dir),
        "clef19": lambda: clef.load_clef19(data_dir),
        "clef20_tweets": lambda: clef.load_clef20_tweets(data_dir),
        "annotations": lambda: own_annotations.load(data_dir, repo_dir),
    }
    for part, filename in {**szeged.PARTS, **szeged.BIO_PARTS}.items():
        loaders[szeged.dataset_name(part)] = partial(szeged.load, data_dir, {part: filename})
    return loaders


def load_all(
    data_dir: Path,
    repo_dir: Path,
    datasets: Sequence[str] | None = None,
    splitter: Splitter | None = None,
) -> list[Row]:
    """Load the named datasets (default: DEFAULT_DATASETS) into one deduplicated table."""
    wanted = list(datasets or DEFAULT_DATASETS)
    loaders = _loaders(data_dir, repo_dir, splitter)
    unknown = [d for d in wanted if d not in loaders and d != "clef20"]
    if unknown:
        raise ValueError(f"unknown datasets {unknown}; known: {sorted([*loaders, 'clef20'])}")
    by_name: dict[str, list[Row]] = {d: loaders[d]() for d in wanted if d != "clef20"}
    if "clef20" in wanted:
        clef19_texts = {r.text for r in by_name.get("clef19") or clef.load_clef19(data_dir)}
        by_name["clef20"] = clef.load_clef20(data_dir, clef19_texts)
    if "conll2010" in by_name and "szeged_wiki" in by_name:
        by_name["szeged_wiki"], by_name["conll2010"] = merge_conll_into_szeged(
            by_name["szeged_wiki"], by_name["conll2010"]
        )
    notes = by_name.pop("annotations", [])
    rows = [row for d in wanted if d in by_name for row in by_name[d]]
    rows = apply_annotations(rows, notes)
    leaked = sorted({r.doc for r in rows if r.doc.startswith(FORBIDDEN_DOC_PREFIXES)})
    if leaked:
        raise ValueError(f"gold-set pool documents in the training table: {leaked[:5]}")
    return rows


def merge_conll_into_szeged(wiki: list[Row], conll: list[Row]) -> tuple[list[Row], list[Row]]:
    """Fold CoNLL-2010 rows into the Szeged wiki rows that hold the same sentence.

    Szeged re-annotated the same Wikipedia sentences, so its hedging label wins; CoNLL adds
    what Szeged lacks (anonymous_sourcing). Unmatched CoNLL rows are kept as they are.
    """
    index: dict[str, int] = {}
    for position, row in enumerate(wiki):
        index.setdefault(squash_space(row.text), position)
    merged = list(wiki)
    rest: list[Row] = []
    for row in conll:
        i = index.get(squash_space(row.text))
        if i is None:
            rest.append(row)
            continue
        extra = {k: v for k, v in row.labels.items() if k not in merged[i].labels}
        merged[i] = merged[i].with_labels(extra)
    return merged, rest


def apply_annotations(rows: Iterable[Row], notes: Sequence[Row]) -> list[Row]:
    """Let annotated sentences override derived core labels, one row per sentence.

    An exact (doc, start, end) match becomes one row (dataset "annotations") with the
    annotator's core labels and the derived labels of the other signals. A derived row that
    only overlaps an annotated sentence (different segmentation) loses its core labels, so the
    same text is never trained with two opinions.
    """
    by_doc: dict[str, list[Row]] = defaultdict(list)
    for note in notes:
        by_doc[note.doc].append(note)
    matched: set[tuple[str, int, int]] = set()
    out: list[Row] = []
    for row in rows:
        doc_notes = by_doc.get(row.doc, [])
        exact = next((n for n in doc_notes if (n.start, n.end) == (row.start, row.end)), None)
        if exact is not None:
            matched.add((exact.doc, exact.start, exact.end))
            labels = {**row.labels, **exact.labels}
            out.append(
                Row(
                    row.text,
                    row.prev,
                    exact.dataset,
                    row.doc,
                    row.split,
                    labels,
                    row.start,
                    row.end,
                )
            )
        elif any(n.start < row.end and row.start < n.end for n in doc_notes):
            out.append(row.with_labels(dict.fromkeys(CORE)))
        else:
            out.append(row)
    out.extend(n for n in notes if (n.doc, n.start, n.end) not in matched)
    return out
