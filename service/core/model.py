"""Load the shipped model safely and run it over sentences.

A model directory holds ``model.joblib`` (one scikit-learn Pipeline: SentenceFeatures then
MultiSignalClassifier) and ``metadata.json`` (name, version, thresholds, sha256, metrics).
The file's sha256 is checked against the metadata *before* unpickling, because unpickling
runs code: a swapped or corrupted file must never get that far.
"""

from __future__ import annotations

import hashlib
import json
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
from service.core.feature_index import Extraction
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
        if not signals:
            return []
        text = extraction.texts[row]
        tokens = token_spans(text)
        columns, first, stop = extraction.token_hits(row)
        span_columns, span_starts, span_ends = extraction.span_hits(row)
        if len(span_columns):
            # Regex cues fire on characters: credit the tokens their span starts on or covers.
            starts = np.array([start for start, _ in tokens], dtype=np.int64)
            span_first = np.searchsorted(starts, span_starts)
            span_stop = np.searchsorted(starts, span_ends)
            covers = span_stop > span_first
            columns = np.concatenate([columns, span_columns[covers]])
            first = np.concatenate([first, span_first[covers]])
            stop = np.concatenate([stop, span_stop[covers]])
        matrix = extraction.matrix
        row_start, row_end = matrix.indptr[row], matrix.indptr[row + 1]
        row_columns = matrix.indices[row_start:row_end]
        values = matrix.data[row_start:row_end][np.searchsorted(row_columns, columns)]
        classifier = self.classifier
        wanted = [self.signals.index(s) for s in signals]
        weights = values[:, None] * classifier.coef_[columns][:, wanted]
        weights = weights * classifier.platt_[wanted, 0].astype(np.float32)
        # Spread each feature's contribution evenly over the tokens it covers.
        lengths = stop - first
        covered = np.repeat(first, lengths) + (
            np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        )
        scores = np.zeros((len(tokens), len(signals)), dtype=np.float64)
        np.add.at(scores, covered, np.repeat(weights / lengths[:, None], lengths, axis=0))
        phrases: list[Phrase] = []
        for k, signal in enumerate(signals):
            phrases.extend(_token_phrases(signal, tokens, scores[:, k], top=top))
        return phrases


# A token keeps its place in a phrase when it carries at least this share of the strongest one.
_KEEP_SHARE = 0.3


def _token_phrases(
    signal: str, tokens: Sequence[tuple[int, int]], scores: np.ndarray, *, top: int
) -> list[Phrase]:
    """Merge runs of strongly positive tokens into phrases and keep the strongest few."""
    best = float(scores.max()) if len(scores) else 0.0
    if best <= 0:
        return []
    keep = scores >= best * _KEEP_SHARE
    runs: list[tuple[int, int, float]] = []
    i = 0
    while i < len(tokens):
        if not keep[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and keep[j + 1]:
            j += 1
        runs.append((tokens[i][0], tokens[j][1], float(scores[i : j + 1].sum())))
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
    # Compile the feature index now: a preforking server then shares it across its workers.
    pipeline.steps[0][1].feature_index()
    return Model(
        name=str(metadata["name"]),
        version=str(metadata["version"]),
        signals=signals,
        thresholds=thresholds,
        pipeline=pipeline,
        sha256=actual,
        metadata=metadata,
    )
