"""Evaluate the shipped model next to its baselines on held-out data, and write the reports.

Every figure names its data: "gold-test" is the project's hand-annotated test half (the
primary yardstick for the core signals, never used for any choice); "<dataset>-test" are the
test splits of the research datasets (documents training never saw, labels derived as
training/LABELS.md says); "gold-dev" is shown for reference only: thresholds were chosen on it.
"""

from __future__ import annotations

import json
import logging
import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray

from service.core.model import METADATA_FILE, Model, load_model
from service.core.signals import CORE_SIGNALS
from training.agreement import agreement, read_second
from training.baselines import LexiconBaseline
from training.bootstrap import ArticleBootstrap, average_precision, difference, f1_at
from training.gold import GoldSentence, read_gold
from training.labels import cue_lexicons, no_evidence_pattern
from training.loaders import load_all
from training.metrics import (
    best_f1_threshold,
    mean_average_precision,
    report_fields,
    signal_metrics,
    span_overlap_rate,
)
from training.table import Row
from training.train import ANNOTATIONS, EXCLUDED_DATASETS, REPO, training_data, training_rows

log = logging.getLogger("training")
Scorer = Callable[[Sequence[str]], NDArray[np.float32]]
# Article resamples behind every gold-test interval; 1,000 keeps the 2.5 % tails to 25 draws each.
BOOTSTRAP_RESAMPLES = 1000


@dataclass(frozen=True)
class EvalSet:
    """Held-out sentences with labels for the signals they know."""

    name: str
    texts: list[str]
    labels: dict[str, NDArray[np.int_]]
    groups: list[str]


def gold_set(name: str, sentences: Sequence[GoldSentence]) -> EvalSet:
    """Return a gold half as an evaluation set."""
    return EvalSet(
        name,
        [s.text for s in sentences],
        {signal: np.array([s.labels[signal] for s in sentences]) for signal in CORE_SIGNALS},
        [s.doc for s in sentences],
    )


def dataset_sets(rows: Sequence[Row], signals: Sequence[str]) -> list[EvalSet]:
    """Return one evaluation set per dataset from its test rows."""
    by_dataset: dict[str, list[Row]] = {}
    for row in rows:
        if row.split == "test" and row.dataset != ANNOTATIONS:
            by_dataset.setdefault(row.dataset, []).append(row)
    sets = []
    for dataset, members in sorted(by_dataset.items()):
        labels = {}
        for signal in signals:
            known = [r.labels.get(signal) for r in members]
            if any(v is not None for v in known):
                labels[signal] = np.array([-1 if v is None else v for v in known])
        if labels:
            sets.append(
                EvalSet(
                    f"{dataset}-test", [r.text for r in members], labels, [r.doc for r in members]
                )
            )
    return sets


def _measure(
    scores: NDArray[np.float32],
    eval_set: EvalSet,
    signals: Sequence[str],
    thresholds: dict[str, float],
) -> dict[str, dict[str, Any]]:
    """Return metrics per signal on the rows of eval_set that know it."""
    out = {}
    for k, signal in enumerate(signals):
        if signal not in eval_set.labels:
            continue
        labels = eval_set.labels[signal]
        known = labels >= 0
        if known.sum() == 0:
            continue
        out[signal] = signal_metrics(labels[known], scores[known, k], thresholds[signal]).as_dict()
    return out


def _dev_thresholds(scorer: Scorer, gold_dev: EvalSet, signals: Sequence[str]) -> dict[str, float]:
    """Choose a baseline's thresholds the same way as the model's: best F1 on gold dev."""
    scores = scorer(gold_dev.texts)
    return {
        s: best_f1_threshold(gold_dev.labels[s], scores[:, k]) if s in gold_dev.labels else 0.5
        for k, s in enumerate(signals)
    }


def explanation_overlap(model: Model, sentences: Sequence[GoldSentence]) -> dict[str, float]:
    """Return, per core signal, how often an evidence phrase overlaps a gold trigger span."""
    extraction = model.analyse([s.text for s in sentences])
    scores = model.probabilities(extraction.matrix)
    rates = {}
    for signal in CORE_SIGNALS:
        k = model.signals.index(signal)
        predicted, gold, shares = [], [], []
        for i, sentence in enumerate(sentences):
            if sentence.labels[signal] and scores[i, k] >= model.thresholds[signal]:
                phrases = model.explain(extraction, i, [signal])
                predicted.append([(p.start, p.end) for p in phrases])
                gold.append(sentence.spans[signal])
                # How much of the sentence the evidence covers: overlap is only meaningful if small.
                covered = sum(p.end - p.start for p in phrases)
                shares.append(covered / max(len(sentence.text), 1))
        rates[signal] = round(span_overlap_rate(predicted, gold), 4) if gold else float("nan")
        rates[f"{signal}_evidence_share"] = (
            round(float(np.mean(shares)), 4) if shares else float("nan")
        )
    return rates


def beyond_patterns(model: Model, sentences: Sequence[GoldSentence]) -> dict[str, Any]:
    """Return no_evidence recall on gold positives the weak-supervision patterns miss."""
    missed = [s for s in sentences if s.labels["no_evidence"] and not no_evidence_pattern(s.text)]
    caught = [s for s in sentences if s.labels["no_evidence"] and no_evidence_pattern(s.text)]
    k = model.signals.index("no_evidence")
    threshold = model.thresholds["no_evidence"]

    def recall(group: Sequence[GoldSentence]) -> float:
        if not group:
            return float("nan")
        scores = model.probabilities(model.vectorize([s.text for s in group]))[:, k]
        return round(float(np.mean(scores >= threshold)), 4)

    return {
        "positives_patterns_miss": len(missed),
        "model_recall_on_them": recall(missed),
        "positives_patterns_match": len(caught),
        "model_recall_on_those": recall(caught),
    }


def evaluate(data_dir: Path, model_dir: Path, *, with_peer: bool = True) -> dict[str, Any]:
    """Measure model, lexicon baseline and (when installed) the MiniLM peer on held-out sets."""
    model = load_model(model_dir)
    signals = model.signals
    rows = [r for r in load_all(data_dir, REPO) if r.dataset not in EXCLUDED_DATASETS]
    gold_test_sentences = read_gold("test", data_dir)
    gold_dev_sentences = read_gold("dev", data_dir)
    gold_dev = gold_set("gold-dev", gold_dev_sentences)
    gold_test = gold_set("gold-test", gold_test_sentences)
    sets = [gold_test, gold_dev, *dataset_sets(rows, signals)]

    def model_scores(texts: Sequence[str]) -> NDArray[np.float32]:
        return model.probabilities(model.vectorize(texts))

    lexicon = LexiconBaseline(cue_lexicons(data_dir))
    lexicon_signals = [s for s in signals if s in lexicon.signals]

    def lexicon_scores(texts: Sequence[str]) -> NDArray[np.float32]:
        full = np.zeros((len(texts), len(signals)), dtype=np.float32)
        partial = lexicon.predict_proba(texts)
        for k, s in enumerate(signals):
            if s in lexicon.signals:
                full[:, k] = partial[:, lexicon.signals.index(s)]
        return full

    systems: dict[str, tuple[Scorer, dict[str, float], Sequence[str]]] = {
        "model": (model_scores, dict(model.thresholds), signals),
        "lexicon": (lexicon_scores, dict.fromkeys(signals, 0.5), lexicon_signals),
    }
    peer_info: dict[str, Any] = {"measured": False}
    if with_peer:
        peer = _fit_peer(rows, signals)
        if peer is not None:
            peer_scorer, peer_info = peer
            systems["peer"] = (
                peer_scorer,
                _dev_thresholds(peer_scorer, gold_dev, signals),
                signals,
            )

    results: dict[str, Any] = {}
    gold_test_scores: dict[str, NDArray[np.float32]] = {}
    for system, (scorer, thresholds, known) in systems.items():
        results[system] = {}
        for eval_set in sets:
            started = time.perf_counter()
            scores = scorer(eval_set.texts)
            if eval_set is gold_test:
                gold_test_scores[system] = scores
            measured = _measure(scores, eval_set, signals, thresholds)
            results[system][eval_set.name] = {s: m for s, m in measured.items() if s in known}
            log.info("%s on %s: %.1fs", system, eval_set.name, time.perf_counter() - started)
            if eval_set.name == "clef19-test" and "checkworthy_claim" in signals:
                k = signals.index("checkworthy_claim")
                labels = eval_set.labels["checkworthy_claim"]
                results[system]["clef19-test-map"] = round(
                    mean_average_precision(eval_set.groups, labels, scores[:, k]), 4
                )
    return {
        "model": {"name": model.name, "version": model.version, "sha256": model.sha256},
        "thresholds": dict(model.thresholds),
        "sets": {s.name: len(s.texts) for s in sets},
        "results": results,
        "peer": peer_info,
        "intervals_gold_test": gold_test_intervals(
            gold_test,
            signals,
            gold_test_scores,
            thresholds={name: system[1] for name, system in systems.items()},
            known={name: system[2] for name, system in systems.items()},
        ),
        "explanation_overlap_gold_test": explanation_overlap(model, gold_test_sentences),
        "no_evidence_beyond_patterns_gold_test": beyond_patterns(model, gold_test_sentences),
        "label_agreement_gold_dev": {
            signal: report_fields(a)
            for signal, a in agreement(gold_dev_sentences, read_second(data_dir)).items()
        },
    }


def gold_test_intervals(
    gold_test: EvalSet,
    signals: Sequence[str],
    scores: Mapping[str, NDArray[np.float32]],
    *,
    thresholds: Mapping[str, Mapping[str, float]],
    known: Mapping[str, Sequence[str]],
) -> dict[str, dict[str, Any]]:
    """Return 95 % article-bootstrap intervals of the model's F1 and AP, and of its F1 leads.

    The leads over the baselines are paired: each resample scores every system on the same
    articles, so the interval is of the difference itself, not two intervals side by side.
    """
    bootstrap = ArticleBootstrap(gold_test.groups, resamples=BOOTSTRAP_RESAMPLES)
    out: dict[str, dict[str, Any]] = {}
    for k, signal in enumerate(signals):
        if signal not in CORE_SIGNALS:
            continue
        labels = gold_test.labels[signal]
        f1 = {
            system: f1_at(labels, system_scores[:, k], thresholds[system][signal])
            for system, system_scores in scores.items()
            if signal in known[system]
        }
        out[signal] = {
            "f1": bootstrap.interval(f1["model"]).as_dict(),
            "average_precision": bootstrap.interval(
                average_precision(labels, scores["model"][:, k])
            ).as_dict(),
            **{
                f"f1_minus_{system}": bootstrap.interval(
                    difference(f1["model"], f1[system])
                ).as_dict()
                for system in f1
                if system != "model"
            },
        }
    return out


def _fit_peer(rows: Sequence[Row], signals: Sequence[str]) -> tuple[Scorer, dict[str, Any]] | None:
    """Train the MiniLM-embedding peer on the same training rows, if the extra is installed."""
    from training import peer

    if not peer.peer_available():
        log.warning("MiniLM peer not installed (make peer): its columns stay empty")
        return None
    train_rows = training_rows(rows)
    data = training_data(train_rows, signals)
    embedder = peer.MiniLMEmbedder(cache_dir=REPO / ".cache" / "minilm")
    started = time.perf_counter()
    classifier = peer.PeerClassifier(signals, embedder=embedder).fit(
        data.texts, data.labels, sample_weight=data.weights
    )
    return classifier.predict_proba, {
        "measured": True,
        "train_rows": len(train_rows),
        "fit_seconds": round(time.perf_counter() - started, 1),
    }


def write_reports(report: dict[str, Any], model_dir: Path) -> None:
    """Write metrics.json and the metrics into metadata.json (the sha256 is of model.joblib only)."""
    (model_dir / "metrics.json").write_text(
        json.dumps(_clean(report), indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )
    metadata_path = model_dir / METADATA_FILE
    metadata = json.loads(metadata_path.read_text(encoding="utf-8"))
    metadata["metrics"] = _clean(
        {
            "gold-test": report["results"]["model"].get("gold-test", {}),
            "clef19-test-map": report["results"]["model"].get("clef19-test-map"),
        }
    )
    metadata_path.write_text(
        json.dumps(metadata, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )


def _clean(value: Any) -> Any:
    """Replace NaN with None so the JSON is standard."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
