"""The MiniLM peer on the same sentences: speed here, quality from the model's metrics.json."""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from service.core.model import Model
from service.core.scoring import score_document


def peer_speed(model: Model, text: str, repeat: int) -> dict[str, Any]:
    """Return the peer's sentences per second on text's sentences, or why it was not measured."""
    from training.peer import MiniLMEmbedder, PeerClassifier, peer_available

    if not peer_available():
        return {"measured": False, "reason": "peer extra not installed (make peer)"}
    document = score_document(model, text)
    sentences = [s.text for s in document.sentences]
    # Label the sentences with the shipped model's flags: the peer's speed does not depend on
    # what it learned, and fitting on these avoids embedding the whole training set here.
    labels = np.array(
        [
            [1.0 if signal in s.flags else 0.0 for signal in model.signals]
            for s in document.sentences
        ]
    )
    started = time.perf_counter()
    embedder = MiniLMEmbedder(cache_dir=None)  # no cache: every timed call really embeds
    peer = PeerClassifier(model.signals, embedder=embedder).fit(sentences, labels)
    load_and_fit = time.perf_counter() - started
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        peer.predict_proba(sentences)
        times.append(time.perf_counter() - started)
    median = statistics.median(times)
    return {
        "measured": True,
        "sentences": len(sentences),
        "repeat": repeat,
        "median_seconds": round(median, 3),
        "sentences_per_second": round(len(sentences) / median, 1),
        "torch_threads": _torch_threads(),
        "load_and_fit_seconds": round(load_and_fit, 2),
    }


def _torch_threads() -> int:
    """Return how many threads torch computes with (the peer sets one per core)."""
    import torch

    threads: int = torch.get_num_threads()
    return threads or (os.cpu_count() or 1)


def gold_test_f1(model_dir: Path) -> dict[str, Any]:
    """Return both systems' macro and per-signal F1 on gold-test from metrics.json, if written."""
    path = model_dir / "metrics.json"
    if not path.is_file():
        return {"source": None, "reason": "metrics.json absent: run make evaluate"}
    report = json.loads(path.read_text(encoding="utf-8"))
    out: dict[str, Any] = {"source": f"{model_dir.name}/metrics.json (make evaluate)"}
    for system in ("model", "peer"):
        per_signal = report.get("results", {}).get(system, {}).get("gold-test", {})
        f1 = {s: m.get("f1") for s, m in per_signal.items() if isinstance(m, dict)}
        known = [v for v in f1.values() if isinstance(v, int | float)]
        out[system] = {
            "macro_f1": round(sum(known) / len(known), 4) if known else None,
            "f1": f1,
        }
    return out
