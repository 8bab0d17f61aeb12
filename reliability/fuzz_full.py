"""Contract-fuzz a real gunicorn with schemathesis from its own /openapi.json.

    python reliability/fuzz_full.py                      # start a server (shipped model), fuzz it
    python reliability/fuzz_full.py --url http://h:p --key K --max-examples 20

Checks: no 5xx, and every status, content type, header and body as documented. Prints one JSON
summary line (requests sent, statuses seen, schemathesis exit code) and exits non-zero when
schemathesis found a failure or fewer than --min-requests requests were made.
"""

from __future__ import annotations

import argparse
import json
import secrets
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# The same server start-up as the test suite (test folders are not packages).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "reliability"))
from rel_helpers import launch

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
)


@contextmanager
def gunicorn(model_dir: Path, key: str, workers: int, log: Path) -> Iterator[tuple[str, int]]:
    """Run gunicorn around model_dir until the block ends; yield its base URL and master pid."""
    server = launch(model_dir, log, MISINFO_WORKERS=str(workers), MISINFO_API_KEYS=key)
    try:
        yield server.url, server.process.pid
    finally:
        server.stop()


def run_schemathesis(
    url: str, key: str, max_examples: int, seed: int, report: Path, max_seconds: float | None
) -> int:
    """Run `schemathesis run` against url's /openapi.json; return its exit code."""
    argv = [
        str(BIN / "schemathesis"),
        "run",
        f"{url}/openapi.json",
        "--header",
        f"Authorization: Bearer {key}",
        "--checks",
        ",".join(CHECKS),
        "--max-examples",
        str(max_examples),
        "--seed",
        str(seed),
        "--report",
        "ndjson",
        "--report-ndjson-path",
        str(report),
        "--generation-database",
        "none",
        "--no-color",
    ]
    if max_seconds is not None:
        argv += ["--max-time", str(int(max_seconds))]
    return subprocess.run(argv, check=False, stdout=sys.stderr).returncode


def summarize(report: Path) -> dict[str, Any]:
    """Count the requests in a schemathesis NDJSON report, by response status."""
    statuses: Counter[str] = Counter()
    for line in report.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        finished = event.get("ScenarioFinished")
        if not finished:
            continue
        for interaction in (finished.get("recorder", {}).get("interactions") or {}).values():
            response = interaction.get("response")
            statuses[str(response["status_code"]) if response else "no-response"] += 1
    return {
        "requests": sum(statuses.values()),
        "server_errors": sum(n for s, n in statuses.items() if s.startswith("5")),
        "statuses": dict(sorted(statuses.items())),
    }


def main(argv: list[str] | None = None) -> int:
    """Fuzz a server (started here unless --url is given) and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="fuzz this running server instead of starting one")
    parser.add_argument("--key", default="", help="its API key (with --url)")
    parser.add_argument("--model-dir", type=Path, default=REPO / "models" / "misinfo-signals-v1")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--max-examples", type=int, default=500, help="per operation and phase")
    parser.add_argument("--max-seconds", type=float, default=None)
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--min-requests", type=int, default=1000)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="misinfo-fuzz-") as scratch:
        report = Path(scratch) / "report.ndjson"
        started = time.monotonic()
        if args.url:
            code = run_schemathesis(
                args.url, args.key, args.max_examples, args.seed, report, args.max_seconds
            )
        else:
            key = secrets.token_hex(16)
            log = Path(scratch) / "server.log"
            with gunicorn(args.model_dir, key, args.workers, log) as (url, _):
                code = run_schemathesis(
                    url, key, args.max_examples, args.seed, report, args.max_seconds
                )
        summary: dict[str, Any] = (
            summarize(report) if report.exists() else {"requests": 0, "server_errors": 0}
        )
    summary.update(
        schemathesis_exit=code, seconds=round(time.monotonic() - started, 1), seed=args.seed
    )
    print(json.dumps(summary))
    enough = summary["requests"] >= args.min_requests
    return 0 if code == 0 and enough and summary["server_errors"] == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
