"""Soak a real gunicorn: measure its maximum throughput, then hold 80 % of it and watch memory.

    python reliability/soak.py                  # 5 minutes, shipped model, 2 workers
    python reliability/soak.py --minutes 1      # a quick look

Phase 1 (saturation): closed-loop clients post one article as fast as answers come back, for
--probe-seconds; the answered rate is the maximum throughput. Phase 2 (soak): an open-loop
scheduler sends --fraction of that rate for --minutes, every request on a new connection.
Worker RSS is sampled every second. Prints one JSON summary line; exits 1 when any request
failed or any worker's RSS grew by --max-growth % or more from minute 1 to the last minute.
"""

from __future__ import annotations

import argparse
import json
import secrets
import statistics
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

from fuzz_full import REPO, gunicorn
from rel_helpers import worker_pids

# Hand-written, not from any dataset: three sentences with a typical mix of signals.
ARTICLE = (
    "Officials said on Monday that the bridge may reopen in March. "
    "People familiar with the talks said they had stalled. "
    "The ministry provided no evidence to support its claims."
)


def rss_kib(pid: int) -> int | None:
    """Return a process's resident set size in KiB, or None once it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        return None
    return None


class Tally:
    """Thread-safe outcome counts and latencies."""

    def __init__(self) -> None:
        self.outcomes: Counter[str] = Counter()
        self.latencies: list[float] = []
        self._lock = threading.Lock()

    def post(self, url: str, headers: dict[str, str]) -> None:
        """Send one scoring request and record how it ended."""
        began = time.perf_counter()
        try:
            response = requests.post(url, json={"text": ARTICLE}, headers=headers, timeout=30)
            outcome = str(response.status_code)
        except requests.RequestException as exc:
            outcome = type(exc).__name__
        with self._lock:
            self.outcomes[outcome] += 1
            self.latencies.append(time.perf_counter() - began)


def saturate(url: str, headers: dict[str, str], clients: int, seconds: float) -> float:
    """Return the answered requests per second under closed-loop clients."""
    tally = Tally()
    stop = threading.Event()

    def loop() -> None:
        while not stop.is_set():
            tally.post(url, headers)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    time.sleep(1.0)  # warm-up, not counted
    start_count = sum(tally.outcomes.values())
    time.sleep(seconds)
    answered = sum(tally.outcomes.values()) - start_count
    stop.set()
    for thread in threads:
        thread.join()
    return answered / seconds


def soak(
    url: str, headers: dict[str, str], rate: float, seconds: float, master: int
) -> tuple[Tally, dict[int, list[tuple[float, int]]]]:
    """Send rate requests per second for seconds; sample worker RSS every second."""
    tally = Tally()
    samples: dict[int, list[tuple[float, int]]] = {}
    began = time.monotonic()
    next_sample = began
    with ThreadPoolExecutor(max_workers=64) as pool:
        sent = 0
        while (now := time.monotonic()) - began < seconds:
            due = int((now - began) * rate)
            while sent < due:
                pool.submit(tally.post, url, headers)
                sent += 1
            if now >= next_sample:
                for pid in worker_pids(master):
                    rss = rss_kib(pid)
                    if rss is not None:
                        samples.setdefault(pid, []).append((now - began, rss))
                next_sample += 1.0
            time.sleep(0.002)
    return tally, samples


def growth(samples: dict[int, list[tuple[float, int]]], seconds: float) -> dict[str, float]:
    """Return each worker's RSS growth in % from minute 1 to the last minute (median of each)."""
    first_end = min(60.0, seconds / 5)
    result = {}
    for pid, points in samples.items():
        early = [rss for t, rss in points if first_end - 10 <= t < first_end]
        late = [rss for t, rss in points if t >= seconds - 10]
        if early and late:
            base = statistics.median(early)
            result[str(pid)] = round(100.0 * (statistics.median(late) - base) / base, 2)
    return result


def main(argv: list[str] | None = None) -> int:
    """Run the saturation probe and the soak; print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=REPO / "models" / "misinfo-signals-v1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--fraction", type=float, default=0.8)
    parser.add_argument("--probe-seconds", type=float, default=15.0)
    parser.add_argument("--max-growth", type=float, default=5.0, help="allowed RSS growth, %%")
    args = parser.parse_args(argv)
    key = secrets.token_hex(16)
    headers = {"Authorization": f"Bearer {key}"}
    seconds = args.minutes * 60
    with (
        tempfile.TemporaryDirectory(prefix="misinfo-soak-") as scratch,
        gunicorn(args.model_dir, key, args.workers, Path(scratch) / "server.log") as (base, master),
    ):
        url = f"{base}/score"
        maximum = saturate(url, headers, clients=args.workers * 4, seconds=args.probe_seconds)
        rate = maximum * args.fraction
        tally, samples = soak(url, headers, rate, seconds, master)
    latencies = sorted(tally.latencies)
    failed = sum(n for outcome, n in tally.outcomes.items() if outcome != "200")
    grown = growth(samples, seconds)
    summary = {
        "max_rps": round(maximum, 1),
        "target_rps": round(rate, 1),
        "achieved_rps": round(len(latencies) / seconds, 1),
        "requests": len(latencies),
        "failed": failed,
        "outcomes": dict(tally.outcomes),
        "p50_ms": round(1000 * latencies[len(latencies) // 2], 1) if latencies else None,
        "p99_ms": round(1000 * latencies[int(len(latencies) * 0.99)], 1) if latencies else None,
        "workers_seen": len(samples),
        "rss_growth_pct": grown,
        "rss_kib_last": {str(p): pts[-1][1] for p, pts in samples.items()},
        "minutes": args.minutes,
    }
    print(json.dumps(summary))
    too_much = any(g >= args.max_growth for g in grown.values())
    return 1 if failed or too_much or len(samples) != args.workers else 0


if __name__ == "__main__":
    raise SystemExit(main())
