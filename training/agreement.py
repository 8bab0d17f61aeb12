"""Measure how far two annotations of the same gold sentences agree, per core signal."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from service.core.signals import CORE_SIGNALS
from training.gold import GOLD_DIR, GoldSentence, Span, read_gold

# A second annotator's independent labels for a sample of gold sentences, in the gold format.
SECOND_DIR = GOLD_DIR / "second"


@dataclass(frozen=True, slots=True)
class SignalAgreement:
    """Agreement of two annotations on one signal over the sentences both labelled."""

    sentences: int
    both: int
    first_only: int
    second_only: int
    kappa: float
    f1: float
    trigger_overlap: float | None

    @property
    def neither(self) -> int:
        """Return how many sentences neither annotation marks."""
        return self.sentences - self.both - self.first_only - self.second_only


def _overlaps(first: Sequence[Span], second: Sequence[Span]) -> bool:
    """Tell whether any span of one list shares a character with any span of the other."""
    return any(a < d and c < b for a, b in first for c, d in second)


def _kappa(both: int, first_only: int, second_only: int, sentences: int) -> float:
    """Return Cohen's kappa of two binary annotations from their 2x2 counts."""
    neither = sentences - both - first_only - second_only
    observed = (both + neither) / sentences
    first_rate = (both + first_only) / sentences
    second_rate = (both + second_only) / sentences
    chance = first_rate * second_rate + (1 - first_rate) * (1 - second_rate)
    # Both annotations constant and equal: nothing to disagree on.
    return 1.0 if chance == 1 else (observed - chance) / (1 - chance)


def signal_agreement(
    pairs: Sequence[tuple[GoldSentence, GoldSentence]], signal: str
) -> SignalAgreement:
    """Return the agreement on one signal over matched (first, second) sentence pairs."""
    both = [(a, b) for a, b in pairs if a.labels[signal] and b.labels[signal]]
    first_only = sum(1 for a, b in pairs if a.labels[signal] and not b.labels[signal])
    second_only = sum(1 for a, b in pairs if b.labels[signal] and not a.labels[signal])
    marked = 2 * len(both) + first_only + second_only
    overlapping = sum(1 for a, b in both if _overlaps(a.spans[signal], b.spans[signal]))
    return SignalAgreement(
        sentences=len(pairs),
        both=len(both),
        first_only=first_only,
        second_only=second_only,
        kappa=_kappa(len(both), first_only, second_only, len(pairs)),
        # The F1 of either annotation scored against the other: the measure is symmetric.
        f1=2 * len(both) / marked if marked else 1.0,
        trigger_overlap=overlapping / len(both) if both else None,
    )


def agreement(
    first: Sequence[GoldSentence], second: Sequence[GoldSentence]
) -> dict[str, SignalAgreement]:
    """Compare, per core signal, the sentences both annotations hold (same article and offsets)."""
    by_key = {(s.doc, s.start, s.end): s for s in first}
    pairs = [(by_key[key], s) for s in second if (key := (s.doc, s.start, s.end)) in by_key]
    if not pairs:
        raise ValueError("the two annotations share no sentence")
    return {signal: signal_agreement(pairs, signal) for signal in CORE_SIGNALS}


def read_second(data_dir: Path, second_dir: Path = SECOND_DIR) -> list[GoldSentence]:
    """Return the second annotation of the gold-dev sample, checked against its articles."""
    return read_gold("dev", data_dir, second_dir)


def format_agreement(results: dict[str, SignalAgreement]) -> str:
    """Render the agreement as a Markdown table."""
    lines = [
        "| signal | sentences | both | gold only | second only | Cohen's κ | F1 | triggers overlap |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for signal, a in results.items():
        overlap = "–" if a.trigger_overlap is None else f"{a.trigger_overlap:.2f}"
        lines.append(
            f"| `{signal}` | {a.sentences} | {a.both} | {a.first_only} | {a.second_only} "
            f"| {a.kappa:.3f} | {a.f1:.3f} | {overlap} |"
        )
    return "\n".join(lines)
