"""Quality measures: thresholded P/R/F1, average precision, calibration, ranking MAP."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike
from sklearn.metrics import average_precision_score


def report_fields(record: Any) -> dict[str, Any]:
    """Return a dataclass's fields with floats rounded to four places, as reports show them."""
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(record).items()}


@dataclass(frozen=True, slots=True)
class SignalMetrics:
    """One signal on one labelled set at one threshold."""

    n: int
    positives: int
    threshold: float
    precision: float
    recall: float
    f1: float
    average_precision: float
    brier: float
    ece: float

    def as_dict(self) -> dict[str, float | int]:
        """Return the metrics rounded for reports."""
        return report_fields(self)


def precision_recall_f1(labels: ArrayLike, flags: ArrayLike) -> tuple[float, float, float]:
    """Return precision, recall and F1 of boolean flags against 0/1 labels."""
    y = np.asarray(labels, dtype=bool)
    f = np.asarray(flags, dtype=bool)
    true_positives = float(np.sum(y & f))
    precision = true_positives / max(float(np.sum(f)), 1.0)
    recall = true_positives / max(float(np.sum(y)), 1.0)
    f1 = 0.0 if precision + recall == 0 else 2 * precision * recall / (precision + recall)
    return precision, recall, f1


def expected_calibration_error(labels: ArrayLike, scores: ArrayLike, *, bins: int = 10) -> float:
    """Return the count-weighted gap between mean score and positive rate over equal-width bins."""
    y = np.asarray(labels, dtype=float)
    p = np.asarray(scores, dtype=float)
    if len(y) == 0:
        return 0.0
    which = np.minimum((p * bins).astype(int), bins - 1)
    error = 0.0
    for b in range(bins):
        in_bin = which == b
        if in_bin.any():
            error += in_bin.mean() * abs(p[in_bin].mean() - y[in_bin].mean())
    return float(error)


def signal_metrics(labels: ArrayLike, scores: ArrayLike, threshold: float) -> SignalMetrics:
    """Measure one signal's scores against its labels at a threshold."""
    y = np.asarray(labels, dtype=int)
    p = np.asarray(scores, dtype=float)
    precision, recall, f1 = precision_recall_f1(y, p >= threshold)
    positives = int(y.sum())
    ap = float(average_precision_score(y, p)) if 0 < positives < len(y) else float("nan")
    return SignalMetrics(
        n=len(y),
        positives=positives,
        threshold=float(threshold),
        precision=precision,
        recall=recall,
        f1=f1,
        average_precision=ap,
        brier=float(np.mean((p - y) ** 2)) if len(y) else float("nan"),
        ece=expected_calibration_error(y, p),
    )


def best_f1_threshold(labels: ArrayLike, scores: ArrayLike) -> float:
    """Return the threshold that maximises F1 (midpoint between neighbouring scores)."""
    y = np.asarray(labels, dtype=int)
    p = np.asarray(scores, dtype=float)
    if y.sum() == 0:
        return 0.5
    candidates = np.unique(np.round(p, 4))
    best, best_f1 = 0.5, -1.0
    for candidate in candidates:
        _, _, f1 = precision_recall_f1(y, p >= candidate)
        # Prefer the higher threshold on ties: fewer flags for the same quality.
        if f1 >= best_f1:
            best, best_f1 = float(candidate), f1
    return best


def mean_average_precision(groups: Sequence[str], labels: ArrayLike, scores: ArrayLike) -> float:
    """Return the mean over groups (e.g. debates) of the AP of ranking that group's lines."""
    y = np.asarray(labels, dtype=int)
    p = np.asarray(scores, dtype=float)
    members: dict[str, list[int]] = defaultdict(list)
    for i, group in enumerate(groups):
        members[group].append(i)
    aps = []
    for indices in members.values():
        idx = np.asarray(indices)
        if y[idx].sum() == 0:
            continue
        # A stable sort on -score keeps ties in line order, as the CLEF scorer ranks them.
        order = idx[np.argsort(-p[idx], kind="stable")]
        hits = y[order]
        precision_at = np.cumsum(hits) / np.arange(1, len(hits) + 1)
        aps.append(float((precision_at * hits).sum() / hits.sum()))
    return float(np.mean(aps)) if aps else float("nan")


def span_overlap_rate(
    predicted: Sequence[Sequence[tuple[int, int]]], gold: Sequence[Sequence[tuple[int, int]]]
) -> float:
    """Return the share of sentences (with gold spans) where any predicted span overlaps one."""
    pairs = [(p, g) for p, g in zip(predicted, gold, strict=True) if g]
    if not pairs:
        return float("nan")
    overlapping = sum(
        1 for p, g in pairs if any(ps < ge and gs < pe for ps, pe in p for gs, ge in g)
    )
    return overlapping / len(pairs)
