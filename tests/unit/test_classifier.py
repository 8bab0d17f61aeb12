"""MultiSignalClassifier and its per-signal estimator, ScaledLogistic (feature weighting)."""

from __future__ import annotations

import numpy as np
import pytest
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from service.core.classifier import MultiSignalClassifier, ScaledLogistic, nb_feature_scale

ROWS = 200


@pytest.fixture(scope="module")
def labels() -> NDArray[np.int_]:
    """Return a balanced-enough label vector."""
    return (np.arange(ROWS) % 3 == 0).astype(int)


@pytest.fixture(scope="module")
def rows(labels: NDArray[np.int_]) -> sp.csr_matrix:
    """Return sparse rows: feature 0 marks positives, 1 is everywhere, 2-9 are noise."""
    rng = np.random.default_rng(0)
    dense = (rng.random((ROWS, 10)) < 0.3).astype(np.float32)
    dense[:, 0] = labels * (rng.random(ROWS) < 0.8)
    dense[:, 1] = 1.0
    return sp.csr_matrix(dense)


def test_a_feature_that_separates_the_classes_gets_a_larger_scale(
    rows: sp.csr_matrix, labels: NDArray[np.int_]
) -> None:
    scale = nb_feature_scale(rows, labels, np.ones(ROWS))
    assert scale.argmax() == 0
    assert scale[0] > 2 * scale[1:].max()


def test_the_scale_counts_rows_by_their_weight(
    rows: sp.csr_matrix, labels: NDArray[np.int_]
) -> None:
    heavier_negatives = np.where(labels == 1, 1.0, 10.0)
    assert not np.allclose(
        nb_feature_scale(rows, labels, heavier_negatives),
        nb_feature_scale(rows, labels, np.ones(ROWS)),
    )


def test_the_folded_weights_decide_as_the_model_on_scaled_rows(
    rows: sp.csr_matrix, labels: NDArray[np.int_]
) -> None:
    fitted = ScaledLogistic(C=2.0, weighting="nb-sqrt").fit(rows, labels)
    plain = LogisticRegression(C=2.0, class_weight="balanced", solver="liblinear", max_iter=2000)
    plain.fit(rows @ sp.diags(fitted.scale_), labels)
    np.testing.assert_allclose(
        fitted.decision_function(rows),
        plain.decision_function(rows @ sp.diags(fitted.scale_)),
        rtol=1e-5,
        atol=1e-6,
    )


def test_no_weighting_is_plain_logistic_regression(
    rows: sp.csr_matrix, labels: NDArray[np.int_]
) -> None:
    fitted = ScaledLogistic(C=2.0, weighting="none").fit(rows, labels)
    plain = LogisticRegression(C=2.0, class_weight="balanced", solver="liblinear", max_iter=2000)
    plain.fit(rows, labels)
    np.testing.assert_array_equal(fitted.coef_, plain.coef_)


def test_predict_follows_the_sign_of_the_decision(
    rows: sp.csr_matrix, labels: NDArray[np.int_]
) -> None:
    fitted = ScaledLogistic(weighting="nb-sqrt").fit(rows, labels)
    assert (fitted.predict(rows) == (fitted.decision_function(rows) > 0)).all()


def test_an_unknown_weighting_is_refused(rows: sp.csr_matrix, labels: NDArray[np.int_]) -> None:
    with pytest.raises(ValueError, match="unknown feature weighting"):
        ScaledLogistic(weighting="tfidf").fit(rows, labels)  # type: ignore[arg-type]


def test_weighted_multi_signal_fits_are_deterministic(
    rows: sp.csr_matrix, labels: NDArray[np.int_]
) -> None:
    y = np.column_stack([labels, 1 - labels]).astype(float)
    y[::7, 1] = np.nan  # the second signal does not know every row
    first, second = (
        MultiSignalClassifier(signals=("a", "b"), feature_weighting="nb-sqrt").fit(rows, y)
        for _ in range(2)
    )
    np.testing.assert_array_equal(first.coef_, second.coef_)
    np.testing.assert_array_equal(first.platt_, second.platt_)
    probabilities = first.predict_proba(rows)
    assert probabilities.shape == (ROWS, 2)
    assert ((probabilities >= 0) & (probabilities <= 1)).all()
