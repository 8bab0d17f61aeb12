"""Compare sentence segmenters on the shared hard cases and on a long news text.

Run from the repository root: ``.venv/bin/python benchmarks/segmenters.py [--repeat N]``.
pysbd is a dev-only comparison point (it is installed in the dev venv, never needed at runtime).
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests" / "unit"))

from segment_cases import CASES  # noqa: E402

from service.core.segment import split_sentences  # noqa: E402

NEWS = REPO.parent / "shared" / "examples" / "kremlin-drone-claims.txt"
PTC_DEV = REPO.parent / "shared" / "data" / "ptc_semeval2020" / "dev-articles"
_ENDS_SENTENCE = re.compile(r"[.!?…][\"'”’)]*\Z")
Segmenter = Callable[[str], list[str]]
_NAIVE = re.compile(r"(?<=[.!?])\s+")


def ours(text: str) -> list[str]:
    """Segment with service.core.segment."""
    return [s.text for s in split_sentences(text)]


def naive(text: str) -> list[str]:
    """Split after . ! ? followed by whitespace, the baseline everyone starts with."""
    return [piece.strip() for piece in _NAIVE.split(text) if piece.strip()]


def make_pysbd() -> Segmenter | None:
    """Return a pysbd-backed segmenter, or None when pysbd is not installed."""
    try:
        import pysbd
    except ImportError:
        return None
    segmenter = pysbd.Segmenter(language="en", clean=False, char_span=True)

    def run(text: str) -> list[str]:
        """Segment with pysbd, trimming the whitespace it keeps on each span."""
        spans = segmenter.segment(text)
        return [str(span.sent).strip() for span in spans if str(span.sent).strip()]

    return run


def accuracy(segment: Segmenter) -> tuple[int, list[str]]:
    """Count the cases segmented exactly right and name the ones that were not."""
    failed = [case_id for case_id, text, expected in CASES if segment(text) != expected]
    return len(CASES) - len(failed), failed


def ptc_paragraphs(folder: Path) -> list[tuple[str, set[int]]]:
    """Rebuild paragraphs from PTC's one-sentence-per-line articles, with their gold sentence ends.

    Only runs of two or more consecutive lines that each end in terminal punctuation are used, so
    headlines and boilerplate lines (which no segmenter could split from prose) are left out.
    """
    paragraphs: list[tuple[str, set[int]]] = []
    for path in sorted(folder.glob("article*.txt")):
        run: list[str] = []
        for line in [*path.read_text(encoding="utf-8").split("\n"), ""]:
            line = line.strip()
            if line and _ENDS_SENTENCE.search(line):
                run.append(line)
                continue
            if len(run) >= 2:
                text = " ".join(run)
                ends, offset = set(), 0
                for sentence in run[:-1]:
                    offset += len(sentence)
                    ends.add(offset)
                    offset += 1
                paragraphs.append((text, ends))
            run = []
    return paragraphs


def boundary_scores(
    segment: Segmenter, paragraphs: list[tuple[str, set[int]]]
) -> tuple[float, float, float]:
    """Return precision, recall and F1 of the sentence ends predicted inside paragraphs."""
    hits = predicted = gold = 0
    for text, ends in paragraphs:
        found: set[int] = set()
        cursor = 0
        for sentence in segment(text):
            start = text.find(sentence, cursor)
            cursor = (start if start >= 0 else cursor) + len(sentence)
            found.add(cursor)
        found.discard(len(text))
        hits += len(found & ends)
        predicted += len(found)
        gold += len(ends)
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def speed(segment: Segmenter, text: str, budget: float) -> tuple[float, float, int]:
    """Return (sentences/s by our count, Mchars/s, runs) for the best of repeated runs."""
    reference = len(ours(text))
    best = float("inf")
    runs = 0
    started = time.perf_counter()
    while runs < 3 or time.perf_counter() - started < budget:
        t0 = time.perf_counter()
        segment(text)
        best = min(best, time.perf_counter() - t0)
        runs += 1
        if time.perf_counter() - started > budget * 4:
            break
    return reference / best, len(text) / best / 1e6, runs


def main() -> None:
    """Print a table of accuracy on the hard cases and speed on repeated news text."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=100, help="copies of the news article")
    parser.add_argument("--budget", type=float, default=2.0, help="seconds per timing")
    parser.add_argument("--verbose", action="store_true", help="list the failed cases")
    args = parser.parse_args()

    article = NEWS.read_text(encoding="utf-8")
    segmenters: dict[str, Segmenter] = {"service.core.segment": ours, "naive regex": naive}
    sbd = make_pysbd()
    if sbd is not None:
        segmenters["pysbd 0.3 (en)"] = sbd

    paragraphs = ptc_paragraphs(PTC_DEV) if PTC_DEV.is_dir() else []
    gold = sum(len(ends) for _, ends in paragraphs)
    print(f"hard cases: {len(CASES)}; news text: {NEWS.name} x {args.repeat}")
    print(f"PTC dev: {len(paragraphs)} rebuilt paragraphs, {gold} sentence ends (out of sample)")
    print(f"{'segmenter':<22} {'cases right':>12} {'PTC P/R/F1':>17}", end="")
    print(f" {'sentences/s':>12} {'Mchar/s':>8}")
    for name, segment in segmenters.items():
        right, failed = accuracy(segment)
        # pysbd is two orders of magnitude slower; time it on fewer copies to keep runs short.
        copies = args.repeat if name != "pysbd 0.3 (en)" else max(1, args.repeat // 20)
        text = "\n\n".join([article] * copies)
        per_second, mchars, _ = speed(segment, text, args.budget)
        p, r, f = boundary_scores(segment, paragraphs)
        ptc = f"{p:.3f}/{r:.3f}/{f:.3f}"
        print(
            f"{name:<22} {right:>5}/{len(CASES):<6} {ptc:>17} {per_second:>12,.0f} {mchars:>8.2f}"
        )
        if args.verbose and failed:
            print("    failed:", ", ".join(failed))


if __name__ == "__main__":
    main()
