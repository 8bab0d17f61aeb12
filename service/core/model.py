"""Load the shipped model safely and run it over sentences.

A model directory holds ``model.joblib`` (one scikit-learn Pipeline: SentenceFeatures then
MultiSignalClassifier) and ``metadata.json`` (name, version, thresholds, sha256, metrics).
The file's sha256 is checked against the metadata *before* unpickling, because unpickling
runs code: a swapped or corrupted file must never get that far.
"""

from __future__ import annotations

import hashlib
import json
from bisect import bisect_left
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.pipeline import Pipeline

from service.core.classifier import MultiSignalClassifier
from service.core.errors import (
    ModelFileMissingError,
    ModelFormatError,
    ModelIntegrityError,
)
from service.core.feature_index import Extraction, IntArray
from service.core.features import SentenceFeatures, token_spans

MODEL_FILE = "model.joblib"
METADATA_FILE = "metadata.json"
DEFAULT_MODEL_DIR = Path(__file__).resolve().parents[2] / "models" / "misinfo-signals-v1"


@dataclass(frozen=True, slots=True)
class Phrase:
    """A span of a sentence that pushed one signal's score up."""

    signal: str
    start: int
    end: int
    weight: float


@dataclass(frozen=True)
class Model:
    """A loaded, verified model with its thresholds."""

    name: str
    version: str
    signals: tuple[str, ...]
    thresholds: Mapping[str, float]
    pipeline: Pipeline
    sha256: str
    metadata: Mapping[str, Any] = field(repr=False)

    @property
    def features(self) -> SentenceFeatures:
        """Return the pipeline's feature step."""
        step: SentenceFeatures = self.pipeline.steps[0][1]
        return step

    @property
    def classifier(self) -> MultiSignalClassifier:
        """Return the pipeline's classifier step."""
        step: MultiSignalClassifier = self.pipeline.steps[-1][1]
        return step

    def vectorize(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return the feature rows for texts (one transform call for the whole batch)."""
        return self.features.transform(texts)

    def analyse(self, texts: Sequence[str]) -> Extraction:
        """Return the feature rows for texts with where each feature fired, for explanations."""
        return self.features.extract(texts)

    def probabilities(self, rows: sp.csr_matrix) -> NDArray[np.float32]:
        """Return calibrated scores, one column per signal in ``self.signals`` order."""
        return self.classifier.predict_proba(rows)

    def explain(
        self, extraction: Extraction, row: int, signals: Sequence[str], *, top: int = 3
    ) -> list[Phrase]:
        """Return, per signal, the few phrases of one analysed sentence that raised its score most."""
        return self.explain_rows(extraction, [(row, signals)], top=top)[0]

    def explain_rows(
        self,
        extraction: Extraction,
        requests: Sequence[tuple[int, Sequence[str]]],
        *,
        top: int = 3,
    ) -> list[list[Phrase]]:
        """Return evidence phrases for many (sentence, signals) requests in one pass over the hits."""
        if not requests:
            return []
        wanted = np.zeros(len(extraction.texts), dtype=bool)
        wanted[[row for row, _ in requests]] = True
        chosen = np.flatnonzero(wanted[extraction.hit_rows])
        rows = extraction.hit_rows[chosen]
        columns = extraction.hit_columns[chosen]
        first = extraction.hit_first[chosen]
        stop = extraction.hit_stop[chosen]
        tokens = {row: token_spans(extraction.texts[row]) for row, _ in requests}
        spans = np.flatnonzero(wanted[extraction.span_rows])
        if len(spans):
            span_rows, span_columns, span_first, span_stop = _span_token_ranges(
                extraction, spans, tokens
            )
            rows = np.concatenate([rows, span_rows])
            columns = np.concatenate([columns, span_columns])
            first = np.concatenate([first, span_first])
            stop = np.concatenate([stop, span_stop])
        classifier = self.classifier
        weights = extraction.values_at(rows, columns)[:, None] * classifier.coef_[columns]
        weights = weights * classifier.platt_[:, 0].astype(np.float32)
        # Spread each feature's contribution evenly over the tokens it covers.
        lengths = stop - first
        covered = np.repeat(first, lengths) + (
            np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        )
        scores = np.zeros((int(extraction.token_offsets[-1]), len(self.signals)))
        np.add.at(scores, covered, np.repeat(weights / lengths[:, None], lengths, axis=0))
        results = []
        for row, signals in requests:
            base = int(extraction.token_offsets[row])
            block = scores[base : base + len(tokens[row])]
            results.append(
                [
                    phrase
                    for signal in signals
                    for phrase in _token_phrases(
                        signal, tokens[row], block[:, self.signals.index(signal)].tolist(), top=top
                    )
                ]
            )
        return results


def _span_token_ranges(
    extraction: Extraction, spans: IntArray, tokens: Mapping[int, Sequence[tuple[int, int]]]
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Return (row, column, first, stop) batch token ranges of character-span (regex) hits."""
    rows, columns, firsts, stops = [], [], [], []
    for i in spans.tolist():
        row = int(extraction.span_rows[i])
        starts = [start for start, _ in tokens[row]]
        # Credit the tokens the span starts on or covers.
        first = bisect_left(starts, int(extraction.span_starts[i]))
        stop = bisect_left(starts, int(extraction.span_ends[i]))
        if stop > first:
            base = int(extraction.token_offsets[row])
            rows.append(row)
            columns.append(int(extraction.span_columns[i]))
            firsts.append(base + first)
            stops.append(base + stop)
    return (
        np.array(rows, dtype=np.int64),
        np.array(columns, dtype=np.int64),
        np.array(firsts, dtype=np.int64),
        np.array(stops, dtype=np.int64),
    )


# A token keeps its place in a phrase when it carries at least this share of the strongest one.
_KEEP_SHARE = 0.3


def _token_phrases(
    signal: str, tokens: Sequence[tuple[int, int]], scores: Sequence[float], *, top: int
) -> list[Phrase]:
    """Merge runs of strongly positive tokens into phrases and keep the strongest few."""
    best = max(scores, default=0.0)
    if best <= 0:
        return []
    keep = [score >= best * _KEEP_SHARE for score in scores]
    runs: list[tuple[int, int, float]] = []
    i = 0
    while i < len(tokens):
        if not keep[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and keep[j + 1]:
            j += 1
        runs.append((tokens[i][0], tokens[j][1], sum(scores[i : j + 1])))
        i = j + 1
    strongest = sorted(runs, key=lambda run: -run[2])[:top]
    return [
        Phrase(signal, start, end, round(weight, 4))
        for start, end, weight in sorted(strongest, key=lambda run: run[0])
    ]


def file_sha256(path: Path) -> str:
    """Return the hex sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_metadata(model_dir: Path) -> dict[str, Any]:
    """Read and minimally validate metadata.json."""
    path = model_dir / METADATA_FILE
    if not path.is_file():
        raise ModelFileMissingError("metadata file not found", path=path)
    try:
        metadata = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ModelFormatError(f"unreadable metadata ({exc})", path=path) from exc
    required = ("name", "version", "signals", "thresholds", "sha256")
    missing = [key for key in required if not isinstance(metadata, dict) or key not in metadata]
    if missing:
        raise ModelFormatError(f"metadata lacks {', '.join(missing)}", path=path)
    return dict(metadata)


def load_model(model_dir: Path | str = DEFAULT_MODEL_DIR) -> Model:
    """Verify model.joblib against metadata.json, then unpickle it."""
    model_dir = Path(model_dir)
    metadata = read_metadata(model_dir)
    path = model_dir / MODEL_FILE
    if not path.is_file():
        raise ModelFileMissingError("model file not found", path=path)
    actual = file_sha256(path)
    if actual != metadata["sha256"]:
        raise ModelIntegrityError(path=path, expected=str(metadata["sha256"]), actual=actual)
    try:
        pipeline = joblib.load(path)
    except Exception as exc:
        raise ModelFormatError(
            f"cannot unpickle model ({type(exc).__name__}: {exc})", path=path
        ) from exc
    signals = tuple(str(s) for s in metadata["signals"])
    if not isinstance(pipeline, Pipeline) or tuple(pipeline.steps[-1][1].signals) != signals:
        raise ModelFormatError("model does not match the signals in metadata.json", path=path)
    thresholds = {s: float(metadata["thresholds"][s]) for s in signals}
    model = Model(
        name=str(metadata["name"]),
        version=str(metadata["version"]),
        signals=signals,
        thresholds=thresholds,
        pipeline=pipeline,
        sha256=actual,
        metadata=metadata,
    )
    # Compile the feature index now: a preforking server then shares it across its workers.
    model.features.feature_index()
    return model
