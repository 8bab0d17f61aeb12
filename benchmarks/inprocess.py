"""In-process figures: throughput, latency, the segmentation floor, scaling and a profile."""

from __future__ import annotations

import cProfile
import io
import json
import pstats
import statistics
import time
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.corpus import article, article_of_chars
from service.core.markup import prose_view
from service.core.model import Model, load_model
from service.core.scoring import ScoreOptions, score_document
from service.core.segment import split_sentences

PLAIN = ScoreOptions()
EXPLAIN = ScoreOptions(explain=True)


def timings(action: Callable[[], object], repeat: int, warmup: int = 2) -> list[float]:
    """Return the wall time of each of `repeat` calls, in seconds, after untimed warm-up calls."""
    return interleaved_timings({"action": action}, repeat, warmup)["action"]


def interleaved_timings(
    actions: Mapping[str, Callable[[], object]], repeat: int, warmup: int = 2
) -> dict[str, list[float]]:
    """Return `repeat` wall times per action, taking the actions in turn, after warm-up rounds.

    In turn rather than one after the other, so that every action meets the same stretches of
    machine noise: on a shared host the ratio of two figures timed minutes apart mostly
    measures how busy the neighbours were in each stretch.
    """
    for _ in range(warmup):
        for action in actions.values():
            action()
    out: dict[str, list[float]] = {key: [] for key in actions}
    for _ in range(repeat):
        for key, action in actions.items():
            started = time.perf_counter()
            action()
            out[key].append(time.perf_counter() - started)
    return out


def percentiles_ms(samples: Sequence[float]) -> dict[str, float]:
    """Return the median, p99 and max of samples (seconds) in milliseconds."""
    values = np.asarray(samples) * 1000.0
    return {
        "p50_ms": round(float(np.percentile(values, 50)), 3),
        "p99_ms": round(float(np.percentile(values, 99)), 3),
        "max_ms": round(float(values.max()), 3),
        "samples": len(samples),
    }


def segment_only(text: str) -> int:
    """Run the part of scoring that reads and splits the text; return the sentence count."""
    view = prose_view(text, "plain")
    return len(split_sentences(view.masked, view.blocks))


def model_load_seconds(model_dir: Path, repeat: int) -> float:
    """Return the median time load_model takes (hash check and unpickling)."""
    return statistics.median(timings(lambda: load_model(model_dir), repeat, warmup=1))


def throughput(model: Model, text: str, repeat: int) -> dict[str, float]:
    """Return sentences per second (one thread) with and without explanations, and the floor."""
    sentences = segment_only(text)
    out: dict[str, float] = {"sentences": sentences}
    samples = interleaved_timings(
        {
            "score": lambda: score_document(model, text, PLAIN),
            "score_explain": lambda: score_document(model, text, EXPLAIN),
            "serialize": lambda: json.dumps(score_document(model, text, PLAIN).to_dict()),
            "floor": lambda: segment_only(text),
        },
        repeat,
    )
    for key, times in samples.items():
        median = statistics.median(times)
        out[f"{key}_median_ms"] = round(median * 1000, 3)
        out[f"{key}_sentences_per_second"] = round(sentences / median, 1)
    return out


def latency(model: Model, sizes: Sequence[int], repeat: int, min_runs: int = 20) -> dict[str, Any]:
    """Return p50/p99 latency of scoring (with and without explanations) and of the floor."""
    out: dict[str, Any] = {}
    for size in sizes:
        text = article(size)
        # Fewer repetitions for long articles keep the run bounded; p99 needs many for short ones.
        runs = max(min_runs, repeat * 40 // size)
        samples = interleaved_timings(
            {
                "score": partial(score_document, model, text, PLAIN),
                "score_explain": partial(score_document, model, text, EXPLAIN),
                "floor": partial(segment_only, text),
            },
            runs,
        )
        score, explain, floor = (
            percentiles_ms(samples[key]) for key in ("score", "score_explain", "floor")
        )
        out[f"{size}_sentences"] = {
            "sentences": segment_only(text),
            "score": score,
            "score_explain": explain,
            "floor": floor,
            "score_floor_ratio": round(score["p50_ms"] / floor["p50_ms"], 2),
        }
    return out


def scaling(model: Model, sizes: Sequence[int], max_chars: int, repeat: int) -> dict[str, Any]:
    """Return median latency against article length, a linear fit, and the maximum-size article."""
    rows = []
    for size in sizes:
        text = article(size)
        runs = max(3, min(repeat, repeat * 100 // size))
        median = statistics.median(timings(partial(score_document, model, text, PLAIN), runs))
        count = segment_only(text)  # joined pool sentences may re-split a little differently
        rows.append(
            {
                "nominal_sentences": size,
                "sentences": count,
                "chars": len(text),
                "median_ms": round(median * 1000, 3),
                "us_per_sentence": round(median * 1e6 / count, 2),
            }
        )
    n = np.array([r["sentences"] for r in rows], dtype=float)
    t = np.array([r["median_ms"] for r in rows], dtype=float)
    slope, intercept = np.polyfit(n, t, 1)
    predicted = slope * n + intercept
    r2 = 1.0 - float(((t - predicted) ** 2).sum()) / float(((t - t.mean()) ** 2).sum())
    per_sentence = [r["us_per_sentence"] for r in rows]
    largest = article_of_chars(max_chars)
    big_runs = max(1, repeat // 4)
    big = timings(partial(score_document, model, largest, PLAIN), big_runs, warmup=1)
    big_explain = timings(partial(score_document, model, largest, EXPLAIN), big_runs, warmup=0)
    return {
        "rows": rows,
        "fit_ms_per_sentence": round(float(slope), 5),
        "fit_intercept_ms": round(float(intercept), 3),
        "fit_r2": round(r2, 5),
        # Linear means the cost per sentence stays flat as the article grows a thousandfold.
        "per_sentence_cost_spread": round(max(per_sentence[1:]) / min(per_sentence[1:]), 2),
        "max_article": {
            "chars": len(largest),
            "sentences": segment_only(largest),
            "median_ms": round(statistics.median(big) * 1000, 2),
            "max_ms": round(max(big) * 1000, 2),
            "explain_median_ms": round(statistics.median(big_explain) * 1000, 2),
        },
    }


def profile(model: Model, text: str, explain: bool, repeat: int, top: int = 12) -> dict[str, Any]:
    """Profile scoring text with cProfile; return the functions with the most own time."""
    options = EXPLAIN if explain else PLAIN
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(repeat):
        score_document(model, text, options)
    profiler.disable()
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = max(stats.total_tt, 1e-12)  # type: ignore[attr-defined]
    rows = []
    entries = stats.stats.items()  # type: ignore[attr-defined]
    for (filename, line, name), (_, calls, own, cumulative, _) in sorted(
        entries, key=lambda item: -item[1][2]
    )[:top]:
        rows.append(
            {
                "function": f"{_short(filename)}:{line}({name})",
                "calls": calls,
                "own_share": round(own / total, 3),
                "cumulative_share": round(cumulative / total, 3),
            }
        )
    return {"explain": explain, "repeat": repeat, "total_seconds": round(total, 3), "top": rows}


def _short(filename: str) -> str:
    """Return a path shortened to its package-relative tail."""
    for marker in ("site-packages/", "/main/"):
        if marker in filename:
            return filename.split(marker, 1)[1]
    return filename
