"""Train the shipped model: choose settings on dev data, fit one Pipeline, save it with metadata.

Data use, by split (the test halves are never read here):
- fit: every row whose split is "train" (derived labels + the project's own annotations);
- choose C per signal, choose thresholds, select optional signals: gold dev half for the core
  signals, each dataset's "dev" rows for the others.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.metrics import average_precision_score

from service.core.classifier import FeatureWeighting, MultiSignalClassifier
from service.core.signals import CORE_SIGNALS, KNOWN_SIGNALS
from training.artifacts import save_model
from training.gold import GoldSentence, read_gold
from training.labels import cue_lexicons
from training.loaders import load_all
from training.metrics import best_f1_threshold
from training.pipeline import build_pipeline
from training.table import Row, squash_space

log = logging.getLogger("training")

REPO = Path(__file__).resolve().parents[1]
MODEL_NAME = "misinfo-signals-v1"
MODEL_VERSION = "1.7.0"
# Propaganda signals ship only when their held-out average precision reaches this (issue #2).
MIN_OPTIONAL_AP = 0.5
# Signals shipped whatever their dev AP: the core four and check-worthiness (judged by CLEF MAP).
ALWAYS_SHIPPED: frozenset[str] = frozenset({*CORE_SIGNALS, "checkworthy_claim"})
C_GRID: tuple[float, ...] = (0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0)
# The project's own annotations are in-domain and hand-checked: they count more than derived rows.
ANNOTATIONS = "annotations"
DATASET_WEIGHTS: dict[str, float] = {ANNOTATIONS: 5.0}
# Tweets are another domain and BioScope is biomedical: loaded for study, not trained on.
EXCLUDED_DATASETS: frozenset[str] = frozenset({"clef20_tweets", "bioscope"})
# Chosen on gold dev (training/annotations/README.md, "Feature weighting"): the damped NB
# weighting raised the dev AP of all four core signals.
FEATURE_WEIGHTING: FeatureWeighting = "nb-sqrt"
FEATURE_SETTINGS: dict[str, Any] = {
    "ngram_max": 3,
    "shape_ngram_max": 3,
    "min_df": 2,
    "max_features": 150_000,
}


@dataclass(frozen=True)
class TrainingData:
    """Texts, a label matrix with NaN for unknown, and per-row weights."""

    texts: list[str]
    labels: NDArray[np.float64]
    weights: NDArray[np.float64]


def training_rows(rows: Sequence[Row]) -> list[Row]:
    """Return the rows to fit on: train splits, plus every hand-annotated row.

    The project's annotations exist to be trained on (the gold set is the held-out yardstick),
    so they are kept out of every dev and test set instead of being split by article.
    """
    return [r for r in rows if r.split == "train" or r.dataset == ANNOTATIONS]


def candidate_signals(rows: Sequence[Row]) -> tuple[str, ...]:
    """Return registered signals that the training rows know, in registry order."""
    known = {signal for row in rows for signal in row.labels}
    return tuple(s for s in KNOWN_SIGNALS if s in known)


def label_matrix(rows: Sequence[Row], signals: Sequence[str]) -> NDArray[np.float64]:
    """Return labels as floats, NaN where a row's dataset says nothing of a signal."""
    matrix = np.full((len(rows), len(signals)), np.nan)
    for i, row in enumerate(rows):
        for k, signal in enumerate(signals):
            value = row.labels.get(signal)
            if value is not None:
                matrix[i, k] = value
    return matrix


def training_data(rows: Sequence[Row], signals: Sequence[str]) -> TrainingData:
    """Assemble the fit inputs from rows."""
    return TrainingData(
        texts=[row.text for row in rows],
        labels=label_matrix(rows, signals),
        weights=np.array([DATASET_WEIGHTS.get(row.dataset, 1.0) for row in rows]),
    )


def data_fingerprints(data_dir: Path) -> dict[str, str]:
    """Return a sha256 per dataset folder over its files' names and bytes."""
    prints = {}
    for folder in sorted(p for p in data_dir.iterdir() if p.is_dir()):
        digest = hashlib.sha256()
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(str(path.relative_to(folder)).encode())
                digest.update(path.read_bytes())
        prints[folder.name] = digest.hexdigest()
    return prints


@dataclass(frozen=True)
class DevSet:
    """Labelled dev sentences for one signal."""

    texts: list[str]
    labels: NDArray[np.int_]


def dev_sets(
    signals: Sequence[str], dev_rows: Sequence[Row], gold_dev: Sequence[GoldSentence]
) -> dict[str, DevSet]:
    """Return the dev set each signal is tuned on: gold dev for core, dataset dev rows otherwise."""
    sets = {}
    for signal in signals:
        if signal in CORE_SIGNALS:
            sets[signal] = DevSet(
                [g.text for g in gold_dev], np.array([g.labels[signal] for g in gold_dev])
            )
        else:
            known = [r for r in dev_rows if r.labels.get(signal) is not None]
            sets[signal] = DevSet(
                [r.text for r in known], np.array([r.labels[signal] for r in known])
            )
    return sets


def choose_c(
    signals: Sequence[str],
    features: Any,
    train: TrainingData,
    x_train: sp.csr_matrix,
    devs: dict[str, DevSet],
) -> dict[str, tuple[float, float]]:
    """Return (best C, its dev average precision) per signal from the grid."""
    chosen = {}
    for k, signal in enumerate(signals):
        known = ~np.isnan(train.labels[:, k])
        dev = devs[signal]
        if dev.labels.sum() == 0:
            chosen[signal] = (4.0, float("nan"))
            continue
        x_dev = features.transform(dev.texts)
        results = []
        for c in C_GRID:
            # The very estimator the shipped classifier fits for this signal, at this C.
            model = MultiSignalClassifier(
                signals=signals, C=c, feature_weighting=FEATURE_WEIGHTING
            ).estimator_for(k)
            model.fit(x_train[known], train.labels[known, k], sample_weight=train.weights[known])
            ap = float(average_precision_score(dev.labels, model.decision_function(x_dev)))
            results.append((ap, c))
            log.info("C search %-22s C=%-5g dev AP %.4f", signal, c, ap)
        # Highest AP; on a tie the smaller C (the simpler model) wins.
        best_ap, best_c = max(results, key=lambda item: (item[0], -item[1]))
        chosen[signal] = (best_c, best_ap)
    return chosen


def train(data_dir: Path, out_dir: Path, *, repo_dir: Path = REPO) -> dict[str, Any]:
    """Fit, select and save the model; return its metadata."""
    rows = [r for r in load_all(data_dir, repo_dir) if r.dataset not in EXCLUDED_DATASETS]
    gold_dev = read_gold("dev", data_dir)
    # Syndicated articles repeat sentences: never fit or tune on a gold sentence's text.
    gold_texts = {_normalised(g.text) for g in [*gold_dev, *read_gold("test", data_dir)]}
    rows = [r for r in rows if _normalised(r.text) not in gold_texts]
    train_rows = training_rows(rows)
    dev_rows = [r for r in rows if r.split == "dev" and r.dataset != ANNOTATIONS]
    signals = candidate_signals(train_rows)
    lexicons = cue_lexicons(data_dir)
    log.info(
        "%d train rows, %d dev rows, %d gold dev sentences",
        len(train_rows),
        len(dev_rows),
        len(gold_dev),
    )
    data = training_data(train_rows, signals)

    probe = build_pipeline(signals, lexicons=lexicons, **FEATURE_SETTINGS)
    features = probe.steps[0][1].fit(data.texts)
    x_train = features.transform(data.texts)
    devs = dev_sets(signals, dev_rows, gold_dev)
    chosen = choose_c(signals, features, data, x_train, devs)
    shipped = tuple(s for s in signals if s in ALWAYS_SHIPPED or chosen[s][1] >= MIN_OPTIONAL_AP)
    left_out = {s: round(chosen[s][1], 4) for s in signals if s not in shipped}
    log.info("shipping %s; left out (dev AP < %.2f): %s", shipped, MIN_OPTIONAL_AP, left_out)

    keep = [signals.index(s) for s in shipped]
    final_data = TrainingData(data.texts, data.labels[:, keep], data.weights)
    pipeline = build_pipeline(
        shipped,
        lexicons=lexicons,
        C=[chosen[s][0] for s in shipped],
        feature_weighting=FEATURE_WEIGHTING,
        **FEATURE_SETTINGS,
    )
    pipeline.fit(final_data.texts, final_data.labels, classify__sample_weight=final_data.weights)

    thresholds = {}
    for k, signal in enumerate(shipped):
        dev = devs[signal]
        scores = pipeline.predict_proba(dev.texts)[:, k]
        thresholds[signal] = best_f1_threshold(dev.labels, scores)
    return save_model(
        pipeline,
        out_dir,
        name=MODEL_NAME,
        version=MODEL_VERSION,
        thresholds=thresholds,
        extra={
            "data_fingerprints": data_fingerprints(data_dir),
            "training": {
                "rows": len(train_rows),
                "rows_per_dataset": _count_by(train_rows),
                "feature_settings": FEATURE_SETTINGS,
                "C": {s: chosen[s][0] for s in shipped},
                "dev_average_precision": {s: round(chosen[s][1], 4) for s in signals},
                "dataset_weights": DATASET_WEIGHTS,
                "feature_weighting": FEATURE_WEIGHTING,
                "excluded_datasets": sorted(EXCLUDED_DATASETS),
                "left_out_signals": left_out,
                "threshold_source": {
                    s: "gold dev half" if s in CORE_SIGNALS else "dataset dev split"
                    for s in shipped
                },
            },
        },
    )


def _normalised(text: str) -> str:
    """Return text lowercased with whitespace collapsed, for duplicate checks."""
    return squash_space(text).lower()


def _count_by(rows: Sequence[Row]) -> dict[str, int]:
    """Count rows per dataset."""
    counts: dict[str, int] = {}
    for row in rows:
        counts[row.dataset] = counts.get(row.dataset, 0) + 1
    return dict(sorted(counts.items()))
