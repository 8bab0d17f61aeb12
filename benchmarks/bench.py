"""The benchmark harness: in-process, peer, HTTP, memory and scaling figures in one run.

    .venv/bin/python -m benchmarks [--duration 30] [--connections 4] [--smoke] [--out FILE]

Writes benchmarks/results/latest.json and the table in benchmarks/README.md. Every figure is
a median (or a percentile) measured in this run, next to its baseline from the same run: the
segmentation floor for scoring, /healthz for HTTP, the MiniLM peer for speed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path
from typing import Any

from benchmarks import http_load, inprocess, peer_bench
from benchmarks.corpus import article, example_article, sentence_pool
from benchmarks.table import write_readme
from service.core.model import DEFAULT_MODEL_DIR, load_model

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results" / "latest.json"
README = HERE / "README.md"
API_MAX_CHARS = 100_000
TARGETS = {
    "sentences_per_second_per_core": 10_000,
    "sentences_per_second_per_core_explain": 3_000,
    "latency_40_p99_ms": 10.0,
    "http_rps": 200,
    "http_p99_ms": 50.0,
    "peer_speed_ratio": 50,
    "score_floor_ratio": 3.0,
}


def machine() -> dict[str, Any]:
    """Describe the machine: CPU model, cores, memory, OS and Python."""
    cpu = "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory_gib = None
    meminfo = Path("/proc/meminfo")
    if meminfo.is_file():
        total_kib = int(meminfo.read_text().split()[1])
        memory_gib = round(total_kib / 1024**2, 1)
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": memory_gib,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        # Other processes skew every figure: record how busy the machine was when the run began.
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
    }


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    """Read the command line."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--model-dir", type=Path, default=DEFAULT_MODEL_DIR)
    parser.add_argument("--duration", type=float, default=30.0, help="seconds per HTTP run")
    parser.add_argument("--connections", type=int, default=4, help="wrk connections (fixed)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--repeat", type=int, default=50, help="timed calls per in-process case")
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--readme", type=Path, default=README, help="README to write the table in")
    parser.add_argument("--no-readme", action="store_true", help="leave the README alone")
    parser.add_argument("--no-peer", action="store_true")
    parser.add_argument("--no-http", action="store_true")
    parser.add_argument("--no-profile", action="store_true")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help="a few iterations of everything, 2 s HTTP runs, no peer",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.repeat, args.duration, args.no_peer = 3, min(args.duration, 2.0), True
    return args


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Measure everything the arguments ask for and return the results document."""
    started = time.perf_counter()
    model = load_model(args.model_dir)
    repeat = args.repeat
    example_name, example_text = example_article()
    main_text = article(400)
    result: dict[str, Any] = {
        "machine": machine(),
        "model": {"name": model.name, "version": model.version, "sha256": model.sha256[:12]},
        "settings": {
            "smoke": args.smoke,
            "repeat": repeat,
            "http_duration_s": args.duration,
            "http_connections": args.connections,
            "workers": args.workers,
            "example_article": example_name,
            "corpus": sentence_pool()[0],
            "corpus_mean_sentence_chars": round(
                sum(map(len, sentence_pool()[1])) / len(sentence_pool()[1]), 1
            ),
            "blas_threads": os.environ.get("OMP_NUM_THREADS", "default"),
        },
    }
    sections: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        """Record how long the section that just ended took."""
        nonlocal mark
        now = time.perf_counter()
        sections[name] = round(now - mark, 2)
        mark = now

    throughput = inprocess.throughput(model, main_text, repeat)
    sizes = (40, 400)
    latency = inprocess.latency(model, sizes, repeat, min_runs=5 if args.smoke else 20)
    scaling_sizes = (10, 100, 1000) if args.smoke else (10, 100, 1000, 10_000)
    result["in_process"] = {
        "throughput_400_sentences": throughput,
        "latency": latency,
        "model_load_s": round(inprocess.model_load_seconds(args.model_dir, 3), 3),
    }
    lap("in_process")
    result["scaling"] = inprocess.scaling(model, scaling_sizes, API_MAX_CHARS, repeat)
    lap("scaling")
    if not args.no_profile:
        profile_repeat = 3 if args.smoke else 100
        result["profile"] = [
            inprocess.profile(model, main_text, explain, profile_repeat)
            for explain in (False, True)
        ]
    lap("profile")
    result["peer"] = (
        {"measured": False, "reason": "--no-peer"}
        if args.no_peer
        else peer_bench.peer_speed(model, main_text, 1 if args.smoke else 3)
    )
    result["peer"]["gold_test_f1"] = peer_bench.gold_test_f1(args.model_dir)
    lap("peer")
    if args.no_http:
        result["http"] = None
    else:
        result["http"] = http_load.http_figures(
            args.model_dir,
            json.dumps({"text": example_text}).encode(),
            args.workers,
            args.connections,
            args.duration,
            warmup=0.0 if args.smoke else 2.0,
        )
    lap("http")
    result["section_seconds"] = sections
    result["headline"] = headline(result)
    result.update(result["headline"])
    result["targets"] = targets(result["headline"])
    result["elapsed_s"] = round(time.perf_counter() - started, 1)
    return result


def headline(result: dict[str, Any]) -> dict[str, Any]:
    """Pick the headline figures (the keys CI and the README rely on)."""
    throughput = result["in_process"]["throughput_400_sentences"]
    peer = result["peer"]
    http = result["http"]
    score_rate = throughput["score_sentences_per_second"]
    return {
        "sentences_per_second_per_core": score_rate,
        "sentences_per_second_per_core_explain": throughput["score_explain_sentences_per_second"],
        "score_floor_ratio": round(
            throughput["score_median_ms"] / throughput["floor_median_ms"], 2
        ),
        "latency_40_p99_ms": result["in_process"]["latency"]["40_sentences"]["score"]["p99_ms"],
        "max_article_ms": result["scaling"]["max_article"]["median_ms"],
        "peer_speed_ratio": (
            round(score_rate / peer["sentences_per_second"], 1) if peer.get("measured") else None
        ),
        "http_rps": http["score"]["rps"] if http else None,
        "http_p99_ms": http["score"]["p99_ms"] if http else None,
        "http_errors": http["score"]["errors"] if http else None,
        "http_floor_rps": http["healthz"]["rps"] if http else None,
    }


def targets(figures: dict[str, Any]) -> dict[str, bool | None]:
    """Say for each target of the issue whether this run met it (None: not measured)."""
    out: dict[str, bool | None] = {}
    for key, bound in TARGETS.items():
        value = figures.get(key)
        if value is None:
            out[key] = None
        elif key.endswith("_ms") or key == "score_floor_ratio":
            out[key] = value <= bound
        else:
            out[key] = value >= bound
    out["http_errors"] = None if figures["http_errors"] is None else figures["http_errors"] == 0
    return out


def main(argv: list[str] | None = None) -> None:
    """Run the harness, write the JSON results and the README table, print the headline."""
    args = parse_args(argv)
    result = run(args)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    temporary = args.out.with_suffix(".json.tmp")
    temporary.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    temporary.replace(args.out)
    if not args.no_readme and not args.smoke:
        write_readme(args.readme, result)
    print(json.dumps(result["headline"], indent=2))
    print(f"wrote {args.out} in {result['elapsed_s']} s")


if __name__ == "__main__":
    main()
