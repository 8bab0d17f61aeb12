"""Fixtures shared by every test layer: real models, trained by the real pipeline."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from service.core.model import DEFAULT_MODEL_DIR, Model, load_model
from training.artifacts import save_model
from training.pipeline import build_pipeline

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
EXAMPLE_ARTICLE = SHARED / "examples" / "kremlin-drone-claims.txt"

# A handful of hand-written sentences (not from any dataset) to train a tiny model that
# behaves plausibly, so tests of the machinery do not depend on the shipped model's weights.
_TINY = [
    ("A senior official said the convoy was turned back.", [1, 0, 0, 0]),
    ("Some analysts suggest the slowdown may last.", [1, 0, 0, 1]),
    ("People familiar with the talks said they had stalled.", [1, 0, 0, 0]),
    ("It was reported that the minister resigned.", [1, 1, 0, 0]),
    ("The ministry claimed the outage was sabotage.", [0, 1, 0, 0]),
    ("Officials allegedly hid the report.", [1, 1, 0, 0]),
    ("The group insisted it had stopped the attack.", [0, 1, 0, 0]),
    ("Russia provided no evidence to support its claims.", [0, 0, 1, 0]),
    ("The footage could not be independently verified.", [0, 0, 1, 0]),
    ("The company declined to substantiate the figures.", [0, 0, 1, 0]),
    ("The storm may have caused the outage.", [0, 0, 0, 1]),
    ("It remains unclear whether talks will resume.", [0, 0, 0, 1]),
    ("Mayor Jana Novak said the bridge will reopen in March.", [0, 0, 0, 0]),
    ("The council voted on Tuesday to approve the budget.", [0, 0, 0, 0]),
    ("Finance Minister Ana Ruiz said growth was strong.", [0, 0, 0, 0]),
    ("The museum opened in 1928.", [0, 0, 0, 0]),
]
TINY_SIGNALS = ("anonymous_sourcing", "unverified_claim", "no_evidence", "hedging")


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Train and save a tiny four-signal model with the production pipeline."""
    texts = [text for text, _ in _TINY] * 3
    labels = np.array([row for _, row in _TINY] * 3, dtype=float)
    pipeline = build_pipeline(TINY_SIGNALS, min_df=1, calibration_folds=2)
    pipeline.fit(texts, labels)
    model_dir = tmp_path_factory.mktemp("tiny-model")
    save_model(
        pipeline,
        model_dir,
        name="tiny-test-model",
        version="0.0.0",
        thresholds=dict.fromkeys(TINY_SIGNALS, 0.5),
    )
    return model_dir


@pytest.fixture(scope="session")
def tiny_model(tiny_model_dir: Path) -> Model:
    """Load the tiny model through the same verified loader the service uses."""
    return load_model(tiny_model_dir)


@pytest.fixture(scope="session")
def shipped_model_dir() -> Path:
    """Return the directory of the model committed under models/."""
    return DEFAULT_MODEL_DIR


@pytest.fixture(scope="session")
def shipped_model(shipped_model_dir: Path) -> Model:
    """Load the shipped model once per test session."""
    return load_model(shipped_model_dir)


@pytest.fixture(scope="session")
def example_article() -> str:
    """Return the real news article the project was specified from."""
    return EXAMPLE_ARTICLE.read_text(encoding="utf-8")
