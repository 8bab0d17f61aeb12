"""How long ``misinfo-signals check`` takes on 100 drafts of about 1,000 words.

Each run is a fresh process (interpreter start-up, imports and model loading included),
checking a directory of generated Markdown drafts with the embedded model; the figure is
the median wall time over a few runs. The drafts are assembled from sentences written for
this benchmark (no dataset text), shuffled with a fixed seed.

    .venv/bin/python benchmarks/check_speed.py [--runs 5] [--model-dir DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
EXECUTABLE = Path(sys.executable).parent / "misinfo-signals"

SENTENCES = (
    "A senior official said the convoy had been turned back at the border crossing.",
    "People familiar with the negotiations said the talks had stalled over the weekend.",
    "Some analysts suggest the slowdown may last well into next year.",
    "It was reported that the minister had offered to resign before the vote.",
    "The ministry claimed the power outage was caused by deliberate sabotage.",
    "Officials allegedly withheld the inspection report for several months.",
    "The group insisted it had stopped the attack before anyone was hurt.",
    "The company provided no evidence to support its claims about the figures.",
    "The footage could not be independently verified by our reporters.",
    "The agency declined to substantiate the numbers it published on Friday.",
    "The storm may have caused the outage, according to early estimates.",
    "It remains unclear whether the talks will resume after the holiday.",
    "If confirmed, the deal would be the largest in the region this decade.",
    "Mayor Jana Novak told reporters on Tuesday that the bridge will reopen in March.",
    "The city council voted seven to two to approve the transit budget.",
    "Finance Minister Ana Ruiz said growth was stronger than forecast.",
    "The museum, which opened in 1928, will close for repairs in the spring.",
    "The company reported a net loss of 4.2 million dollars for the quarter.",
    "Residents lined up outside the library before the doors opened.",
    "The school board will publish the audit on its website next week.",
    "Critics say the plan ignores the needs of rural commuters.",
    "Experts warn that the drought could push food prices higher.",
    "The court documents show that the contract was signed in 2019.",
    "Police said two people were taken to hospital with minor injuries.",
    "The report, which was seen by this newspaper, lists eleven violations.",
    "Witnesses described hearing three loud explosions shortly after midnight.",
    "The spokesperson did not respond to repeated requests for comment.",
    "Prices rose by 3.1 percent in October, the statistics office said.",
    "The governor is expected to sign the bill before the end of the month.",
    "Many believe the election result will be challenged in court.",
)
HEADINGS = ("What happened", "Reactions", "Background", "What comes next", "The numbers")


def draft(rng: random.Random, words: int = 1000) -> str:
    """Return one Markdown draft of about `words` words with typical structure."""
    parts = ["---", f"title: Draft {rng.randrange(10_000)}", "author: Desk", "---", ""]
    count = 0
    while count < words:
        kind = rng.random()
        if kind < 0.12:
            block = f"## {rng.choice(HEADINGS)}"
        elif kind < 0.25:
            block = "\n".join(f"- {rng.choice(SENTENCES)}" for _ in range(3))
        elif kind < 0.32:
            block = f"> {rng.choice(SENTENCES)}"
        elif kind < 0.36:
            block = f"```\n{rng.choice(SENTENCES)}\n```"
        else:
            block = " ".join(rng.choice(SENTENCES) for _ in range(rng.randint(3, 6)))
        parts.extend([block, ""])
        count += len(block.split())
    return "\n".join(parts)


def make_drafts(directory: Path, count: int, seed: int = 7) -> int:
    """Write count drafts into directory; return the total number of words."""
    rng = random.Random(seed)
    total = 0
    for n in range(count):
        text = draft(rng)
        total += len(text.split())
        (directory / f"draft-{n:03d}.md").write_text(text, encoding="utf-8")
    return total


def time_check(directory: Path, model_dir: Path | None) -> float:
    """Run the command once in a new process and return its wall time in seconds."""
    command = [str(EXECUTABLE), "check", "--no-config", "--format", "json", str(directory)]
    if model_dir is not None:
        command += ["--model-dir", str(model_dir)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode not in (0, 1):
        raise SystemExit(f"check failed (exit {done.returncode}): {done.stderr.decode()}")
    return elapsed


def main() -> None:
    """Generate the drafts, time a few runs and print the median."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--drafts", type=int, default=100)
    parser.add_argument("--model-dir", type=Path, default=None)
    parser.add_argument("--json", action="store_true", help="print a JSON object instead")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="check-speed-") as scratch:
        directory = Path(scratch)
        words = make_drafts(directory, args.drafts)
        time_check(directory, args.model_dir)  # warm the OS file cache once, untimed
        times = [time_check(directory, args.model_dir) for _ in range(args.runs)]
    result = {
        "drafts": args.drafts,
        "words": words,
        "runs": args.runs,
        "median_seconds": round(statistics.median(times), 3),
        "min_seconds": round(min(times), 3),
        "max_seconds": round(max(times), 3),
    }
    if args.json:
        print(json.dumps(result))
    else:
        print(
            f"misinfo-signals check: {args.drafts} drafts, {words} words: "
            f"median {result['median_seconds']:.2f} s over {args.runs} runs "
            f"(min {result['min_seconds']:.2f} s, max {result['max_seconds']:.2f} s), "
            "start-up included"
        )


if __name__ == "__main__":
    main()
