"""Read the project's hand-annotated gold set (offsets only) back into labelled sentences."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from service.core.signals import CORE_SIGNALS
from training.documents import read_document
from training.table import text_sha1

GOLD_DIR = Path(__file__).resolve().parent / "gold"
Half = Literal["dev", "test"]
Span = tuple[int, int]


class GoldDriftError(ValueError):
    """A gold record no longer matches the text it was annotated on."""


@dataclass(frozen=True, slots=True)
class GoldSentence:
    """One gold sentence with its context, labels and trigger spans (sentence-relative)."""

    doc: str
    start: int
    end: int
    text: str
    prev: str
    sample: str
    labels: dict[str, int]
    spans: dict[str, list[Span]]


def _previous_sentence(article: str, start: int) -> str:
    """Return the line or sentence just before start, as annotators saw it."""
    before = article[:start].rstrip()
    cut = max(before.rfind("\n"), before.rfind(". "), before.rfind("? "), before.rfind("! "))
    return before[cut + 1 :].strip()


def read_gold(half: Half, data_dir: Path, gold_dir: Path = GOLD_DIR) -> list[GoldSentence]:
    """Return every gold sentence of one half, checking each against its article's text."""
    sentences: list[GoldSentence] = []
    for path in sorted(gold_dir.glob(f"{half}.*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            record = json.loads(line)
            article = read_document(data_dir, record["doc"])
            start, end = int(record["start"]), int(record["end"])
            text = article[start:end]
            if text_sha1(text) != record["sha1"]:
                raise GoldDriftError(f"{path.name}:{number}: text of {record['doc']} changed")
            spans = {
                signal: [(s - start, e - start) for s, e in record["labels"][signal]]
                for signal in CORE_SIGNALS
            }
            sentences.append(
                GoldSentence(
                    doc=record["doc"],
                    start=start,
                    end=end,
                    text=text,
                    prev=_previous_sentence(article, start),
                    sample=str(record.get("sample", "")),
                    labels={signal: int(bool(spans[signal])) for signal in CORE_SIGNALS},
                    spans=spans,
                )
            )
    return sentences


def gold_documents(sentences: Sequence[GoldSentence]) -> set[str]:
    """Return the ids of the articles a gold half draws on."""
    return {s.doc for s in sentences}
