"""Confidence intervals by resampling whole articles, for figures measured on a few hundred rows.

Sentences of one article share a writer, a topic and often a source, so they are not
independent draws: resampling sentences would understate the spread. Each resample draws as
many articles as the set holds, with replacement, and keeps every sentence of each draw.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray
from sklearn.metrics import average_precision_score

from training.metrics import precision_recall_f1, report_fields

IntArray = NDArray[np.int64]
# A statistic of the rows a resample drew (indices may repeat); NaN when it is undefined there.
Statistic = Callable[[IntArray], float]


@dataclass(frozen=True, slots=True)
class Interval:
    """A percentile interval over the resamples where the statistic was defined."""

    low: float
    high: float
    resamples: int

    def as_dict(self) -> dict[str, float | int]:
        """Return the interval rounded for reports."""
        return report_fields(self)


class ArticleBootstrap:
    """Draw the same article resamples for every statistic, so differences are paired."""

    def __init__(
        self, groups: Sequence[str], *, resamples: int = 1000, seed: int = 0, level: float = 0.95
    ) -> None:
        if resamples < 1:
            raise ValueError("resamples must be at least 1")
        if not 0 < level < 1:
            raise ValueError("level must be between 0 and 1")
        if not groups:
            raise ValueError("no rows to resample")
        self.level = level
        members: dict[str, list[int]] = {}
        for row, group in enumerate(groups):
            members.setdefault(group, []).append(row)
        # Sorted group names: the draws depend on the seed and the data, never on row order.
        rows_of = [np.asarray(members[g], dtype=np.int64) for g in sorted(members)]
        rng = np.random.default_rng(seed)
        self.draws: list[IntArray] = [
            np.concatenate([rows_of[g] for g in rng.integers(0, len(rows_of), len(rows_of))])
            for _ in range(resamples)
        ]

    def interval(self, statistic: Statistic) -> Interval:
        """Return the central interval of the statistic over the resamples."""
        values = np.array([statistic(rows) for rows in self.draws], dtype=float)
        defined = values[~np.isnan(values)]
        if len(defined) == 0:
            return Interval(float("nan"), float("nan"), 0)
        tail = (1 - self.level) / 2 * 100
        low, high = np.percentile(defined, [tail, 100 - tail])
        return Interval(float(low), float(high), len(defined))


def f1_at(labels: NDArray[np.int_], scores: NDArray[np.floating], threshold: float) -> Statistic:
    """Return the statistic: F1 of flagging scores at or above a fixed threshold."""

    def statistic(rows: IntArray) -> float:
        return precision_recall_f1(labels[rows], scores[rows] >= threshold)[2]

    return statistic


def average_precision(labels: NDArray[np.int_], scores: NDArray[np.floating]) -> Statistic:
    """Return the statistic: average precision (undefined on a resample without positives)."""

    def statistic(rows: IntArray) -> float:
        if not labels[rows].any():
            return float("nan")
        return float(average_precision_score(labels[rows], scores[rows]))

    return statistic


def difference(first: Statistic, second: Statistic) -> Statistic:
    """Return the statistic: first minus second on the same resample."""

    def statistic(rows: IntArray) -> float:
        return first(rows) - second(rows)

    return statistic
