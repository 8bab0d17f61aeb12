"""A multi-signal linear classifier that learns each signal only from rows that know it.

Its import path is part of the model file format (the pickled Pipeline names this class).

All signals share one float32 weight matrix, so scoring a document is a single sparse
matrix product, and each feature's contribution to a score (for explanations) is the
feature value times its weight.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_predict


def _sigmoid(z: NDArray[np.floating]) -> NDArray[np.float32]:
    """Return the logistic function of z without overflow warnings."""
    result: NDArray[np.float32] = (0.5 * (1.0 + np.tanh(0.5 * z))).astype(np.float32)
    return result


# How features are rescaled, per signal, before its logistic regression: "none", or by the square
# root of each feature's absolute log-count ratio between the classes (NB-SVM's idea, damped).
FeatureWeighting = Literal["none", "nb-sqrt"]


def nb_feature_scale(
    X: sp.csr_matrix,  # noqa: N803
    y: NDArray[np.int_],
    sample_weight: NDArray[np.floating],
    *,
    smoothing: float = 1.0,
) -> NDArray[np.float32]:
    """Return sqrt(|log-count ratio|) per feature: how strongly its presence separates the classes."""
    present = sp.csr_matrix(X, copy=True)
    present.data[:] = 1.0
    positive = np.asarray(y) == 1
    p = smoothing + np.asarray(present[positive].T @ sample_weight[positive]).ravel()
    q = smoothing + np.asarray(present[~positive].T @ sample_weight[~positive]).ravel()
    ratio = np.log((p / p.sum()) / (q / q.sum()))
    scale: NDArray[np.float32] = np.sqrt(np.abs(ratio)).astype(np.float32)
    return scale


class ScaledLogistic(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Logistic regression on features rescaled by a weighting learned from the same rows.

    The scale is folded into ``coef_``, so ``X @ coef_.T + intercept_`` is the decision value on
    unscaled features: the shipped model stays one weight matrix and scoring costs nothing more.
    Fitting learns the scale inside each cross-validation fold too, so calibration never sees
    labels of the rows it is calibrated on.
    """

    def __init__(
        self,
        *,
        C: float = 1.0,  # noqa: N803 - scikit-learn's name for it
        class_weight: str | None = "balanced",
        weighting: FeatureWeighting = "none",
        max_iter: int = 2000,
        random_state: int = 0,
    ) -> None:
        self.C = C
        self.class_weight = class_weight
        self.weighting = weighting
        self.max_iter = max_iter
        self.random_state = random_state

    def fit(
        self,
        X: sp.csr_matrix,  # noqa: N803
        y: NDArray[np.int_],
        sample_weight: NDArray[np.floating] | None = None,
    ) -> ScaledLogistic:
        """Learn the feature scale, then the logistic regression on the rescaled rows."""
        weights = np.ones(X.shape[0]) if sample_weight is None else np.asarray(sample_weight)
        if self.weighting == "nb-sqrt":
            self.scale_ = nb_feature_scale(X, y, weights)
        elif self.weighting == "none":
            self.scale_ = np.ones(X.shape[1], dtype=np.float32)
        else:
            raise ValueError(f"unknown feature weighting {self.weighting!r}")
        model = LogisticRegression(
            C=self.C,
            class_weight=self.class_weight,
            solver="liblinear",
            max_iter=self.max_iter,
            random_state=self.random_state,
        )
        model.fit(X @ sp.diags(self.scale_), y, sample_weight=weights)
        self.coef_ = model.coef_ * self.scale_
        self.intercept_ = model.intercept_
        self.classes_ = model.classes_
        return self

    def decision_function(self, X: sp.csr_matrix) -> NDArray[np.floating]:  # noqa: N803
        """Return the decision value of each row (unscaled features: the scale is in coef_)."""
        margins: NDArray[np.floating] = np.asarray(X @ self.coef_.ravel()) + self.intercept_[0]
        return margins

    def predict(self, X: sp.csr_matrix) -> NDArray[np.int_]:  # noqa: N803
        """Return the class of each row: the second where the decision value is positive."""
        predicted: NDArray[np.int_] = self.classes_[(self.decision_function(X) > 0).astype(int)]
        return predicted


class MultiSignalClassifier(ClassifierMixin, BaseEstimator):  # type: ignore[misc]
    """Fit one logistic regression per signal on its known rows, then Platt-calibrate it.

    ``y`` is a float matrix with one column per signal: 1, 0, or NaN for "this row's
    dataset says nothing about this signal".
    """

    def __init__(
        self,
        *,
        signals: Sequence[str] = (),
        C: float | Sequence[float] = 4.0,  # noqa: N803 - scikit-learn's name for it
        class_weight: str | None = "balanced",
        calibration_folds: int = 3,
        feature_weighting: FeatureWeighting = "none",
        random_state: int = 0,
    ) -> None:
        self.signals = signals
        self.C = C
        self.class_weight = class_weight
        self.calibration_folds = calibration_folds
        self.feature_weighting = feature_weighting
        self.random_state = random_state

    def _c_for(self, k: int) -> float:
        """Return the regularisation strength for signal k."""
        return float(self.C) if isinstance(self.C, int | float) else float(self.C[k])

    def fit(
        self,
        X: sp.csr_matrix,  # noqa: N803
        y: NDArray[np.floating],
        sample_weight: NDArray[np.floating] | None = None,
    ) -> MultiSignalClassifier:
        """Learn weights and calibration per signal from the rows whose label is known."""
        y = np.asarray(y, dtype=np.float64)
        if y.ndim != 2 or y.shape[1] != len(self.signals):
            raise ValueError(f"y must have one column per signal ({len(self.signals)})")
        weights = np.ones(X.shape[0]) if sample_weight is None else np.asarray(sample_weight)
        n_features = X.shape[1]
        self.coef_ = np.zeros((n_features, len(self.signals)), dtype=np.float32)
        self.intercept_ = np.zeros(len(self.signals), dtype=np.float32)
        self.platt_ = np.zeros((len(self.signals), 2), dtype=np.float64)
        self.n_known_ = np.zeros(len(self.signals), dtype=np.int64)
        for k in range(len(self.signals)):
            known = ~np.isnan(y[:, k])
            rows, labels, w = X[known], y[known, k].astype(int), weights[known]
            self.n_known_[k] = int(known.sum())
            model = self.estimator_for(k)
            model.fit(rows, labels, sample_weight=w)
            self.coef_[:, k] = model.coef_.ravel().astype(np.float32)
            self.intercept_[k] = np.float32(model.intercept_[0])
            self.platt_[k] = self._platt(k, rows, labels, w)
        self.classes_ = np.array([0, 1])
        return self

    def estimator_for(self, k: int) -> ScaledLogistic:
        """Return the unfitted (feature-weighted) logistic regression that signal k is fitted with."""
        return ScaledLogistic(
            C=self._c_for(k),
            class_weight=self.class_weight,
            weighting=self.feature_weighting,
            random_state=self.random_state,
        )

    def _platt(
        self, k: int, rows: sp.csr_matrix, labels: NDArray[np.int_], w: NDArray[np.floating]
    ) -> tuple[float, float]:
        """Fit sigmoid calibration on out-of-fold decision values (Platt scaling)."""
        folds = StratifiedKFold(
            n_splits=self.calibration_folds, shuffle=True, random_state=self.random_state
        )
        margins = cross_val_predict(
            self.estimator_for(k),
            rows,
            labels,
            cv=folds,
            method="decision_function",
            params={"sample_weight": w},
        )
        calibrator = LogisticRegression(C=1e6, solver="lbfgs", max_iter=1000)
        calibrator.fit(margins.reshape(-1, 1), labels, sample_weight=w / w.mean())
        return float(calibrator.coef_[0, 0]), float(calibrator.intercept_[0])

    def decision_function(self, X: sp.csr_matrix) -> NDArray[np.float32]:  # noqa: N803
        """Return raw margins, one column per signal."""
        margins = X @ self.coef_
        return np.asarray(margins, dtype=np.float32) + self.intercept_

    def predict_proba(self, X: sp.csr_matrix) -> NDArray[np.float32]:  # noqa: N803
        """Return calibrated probabilities, one column per signal."""
        margins = self.decision_function(X)
        return _sigmoid(margins * self.platt_[:, 0] + self.platt_[:, 1])

    def predict(self, X: sp.csr_matrix) -> NDArray[np.int_]:  # noqa: N803
        """Return 0/1 flags at probability 0.5, one column per signal."""
        return (self.predict_proba(X) >= 0.5).astype(int)
