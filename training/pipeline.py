"""Build the one scikit-learn Pipeline that training fits and the service runs."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sklearn.pipeline import Pipeline

from service.core.classifier import FeatureWeighting, MultiSignalClassifier
from service.core.features import SentenceFeatures


def build_pipeline(
    signals: Sequence[str],
    *,
    lexicons: Mapping[str, Sequence[str]] | None = None,
    ngram_max: int = 3,
    min_df: int = 2,
    max_features: int | None = 150_000,
    cue_weight: float = 1.0,
    shape_ngram_max: int = 0,
    C: float | Sequence[float] = 4.0,  # noqa: N803 - scikit-learn's name for it
    calibration_folds: int = 3,
    feature_weighting: FeatureWeighting = "none",
) -> Pipeline:
    """Return an unfitted features -> multi-signal classifier Pipeline."""
    return Pipeline(
        [
            (
                "features",
                SentenceFeatures(
                    ngram_max=ngram_max,
                    min_df=min_df,
                    max_features=max_features,
                    lexicons={k: list(v) for k, v in (lexicons or {}).items()},
                    cue_weight=cue_weight,
                    shape_ngram_max=shape_ngram_max,
                ),
            ),
            (
                "classify",
                MultiSignalClassifier(
                    signals=tuple(signals),
                    C=C,
                    calibration_folds=calibration_folds,
                    feature_weighting=feature_weighting,
                ),
            ),
        ]
    )
