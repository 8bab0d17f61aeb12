"""Score documents sentence by sentence: the one entry point the HTTP API and the CLI share."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from itertools import repeat
from typing import Any, Literal

import numpy as np
from numpy.typing import NDArray

from service.core.collector import collector_paused
from service.core.errors import InvalidThresholdError, TextTooLongError, UnknownSignalError
from service.core.markup import prose_view
from service.core.model import Model, Phrase
from service.core.segment import split_sentences

TextFormat = Literal["plain", "markdown", "html"]
SCORE_DIGITS = 4


@dataclass(frozen=True, slots=True)
class ScoreOptions:
    """What to score and how; every field has the API's default."""

    format: TextFormat = "plain"
    signals: tuple[str, ...] | None = None
    explain: bool = False
    thresholds: Mapping[str, float] = field(default_factory=dict)
    max_chars: int | None = None


@dataclass(frozen=True, slots=True)
class Evidence:
    """A phrase that drove a signal's score, in document offsets."""

    signal: str
    start: int
    end: int
    text: str
    weight: float


# Not frozen: a frozen dataclass costs four times as much to build, and a long article
# builds thousands of these per request. Treat them as values all the same.
@dataclass(slots=True)
class SentenceScore:
    """One sentence with its scores, flags and (optionally) evidence."""

    index: int
    start: int
    end: int
    text: str
    scores: dict[str, float]
    flags: list[str]
    evidence: list[Evidence] | None


@dataclass(frozen=True, slots=True)
class DocumentScore:
    """Every scored sentence of one document and a summary."""

    model_name: str
    model_version: str
    signals: tuple[str, ...]
    thresholds: dict[str, float]
    sentences: list[SentenceScore]

    def summary(self) -> dict[str, Any]:
        """Return sentence counts, the maximum score and the flag count per signal."""
        return {
            "sentence_count": len(self.sentences),
            "flagged_sentence_count": sum(1 for s in self.sentences if s.flags),
            "max_scores": {
                signal: max((s.scores[signal] for s in self.sentences), default=0.0)
                for signal in self.signals
            },
            "flag_counts": {
                signal: sum(1 for s in self.sentences if signal in s.flags)
                for signal in self.signals
            },
        }

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON shape that POST /score documents."""
        sentences = []
        for s in self.sentences:
            item: dict[str, Any] = {
                "index": s.index,
                "start": s.start,
                "end": s.end,
                "text": s.text,
                "scores": s.scores,
                "flags": s.flags,
            }
            if s.evidence is not None:
                item["evidence"] = [
                    {
                        "signal": e.signal,
                        "start": e.start,
                        "end": e.end,
                        "text": e.text,
                        "weight": e.weight,
                    }
                    for e in s.evidence
                ]
            sentences.append(item)
        return {
            "model": {"name": self.model_name, "version": self.model_version},
            "signals": list(self.signals),
            "sentences": sentences,
            "summary": self.summary(),
        }


def resolve_signals(model: Model, requested: Sequence[str] | None) -> tuple[str, ...]:
    """Return the requested signals in model order, or all of them; reject unknown ids."""
    if requested is None:
        return model.signals
    unknown = sorted({s for s in requested if s not in model.signals})
    if unknown:
        raise UnknownSignalError(unknown, model.signals)
    wanted = set(requested)
    return tuple(s for s in model.signals if s in wanted)


def resolve_thresholds(model: Model, overrides: Mapping[str, float]) -> dict[str, float]:
    """Return the model's thresholds with valid overrides applied."""
    unknown = sorted(s for s in overrides if s not in model.signals)
    if unknown:
        raise UnknownSignalError(unknown, model.signals)
    for signal, value in overrides.items():
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not (math.isfinite(value) and 0.0 <= value <= 1.0)
        ):
            raise InvalidThresholdError(f"threshold for {signal} must be a number in [0, 1]")
    return {**model.thresholds, **{s: float(v) for s, v in overrides.items()}}


def score_document(model: Model, text: str, options: ScoreOptions | None = None) -> DocumentScore:
    """Segment text, score every sentence once, and apply thresholds."""
    return score_documents(model, [text], options)[0]


# Thousands of short-lived, acyclic objects per request: collections would find nothing.
@collector_paused()
def score_documents(
    model: Model, texts: Sequence[str], options: ScoreOptions | None = None
) -> list[DocumentScore]:
    """Score several documents with one vectorizer call over all their sentences."""
    options = options or ScoreOptions()
    signals = resolve_signals(model, options.signals)
    thresholds = resolve_thresholds(model, options.thresholds)
    if options.max_chars is not None:
        for text in texts:
            if len(text) > options.max_chars:
                raise TextTooLongError(len(text), options.max_chars)
    columns = [model.signals.index(s) for s in signals]
    split = []
    model_inputs: list[str] = []
    sentence_texts: list[str] = []
    for text in texts:
        view = prose_view(text, options.format)
        sentences = split_sentences(view.masked, view.blocks)
        split.append(sentences)
        inputs = [view.masked[s.start : s.end] for s in sentences]
        model_inputs.extend(inputs)
        # The plain view is the text itself, so its slices are the sentences' own text too.
        sentence_texts.extend(
            inputs if view.masked is text else [text[s.start : s.end] for s in sentences]
        )
    extraction = model.analyse(model_inputs)
    probabilities = np.round(
        model.probabilities(extraction.matrix)[:, columns].astype(np.float64), SCORE_DIGITS
    )
    score_rows: list[list[float]] = probabilities.tolist()
    flags_of = _flags(probabilities, signals, thresholds)
    evidence_of: dict[int, list[Phrase]] = {}
    if options.explain:
        # Unflagged sentences have no evidence; the flagged ones are explained in one pass.
        flagged = [(row, flags) for row, flags in enumerate(flags_of) if flags]
        explained = model.explain_rows(extraction, flagged)
        evidence_of = {row: phrases for (row, _), phrases in zip(flagged, explained, strict=True)}
    score_dicts = list(map(dict, map(zip, repeat(signals), score_rows)))
    results = []
    offset = 0
    for text, sentences in zip(texts, split, strict=True):
        rows = range(offset, offset + len(sentences))
        scored = [
            SentenceScore(
                sentence.index,
                sentence.start,
                sentence.end,
                sentence_texts[row],
                score_dicts[row],
                flags_of[row],
                [_evidence(p, text, sentence.start) for p in evidence_of.get(row, ())]
                if options.explain
                else None,
            )
            for row, sentence in zip(rows, sentences, strict=True)
        ]
        offset += len(sentences)
        results.append(
            DocumentScore(
                model_name=model.name,
                model_version=model.version,
                signals=signals,
                thresholds={s: thresholds[s] for s in signals},
                sentences=scored,
            )
        )
    return results


def _flags(
    scores: NDArray[np.floating[Any]], signals: Sequence[str], thresholds: Mapping[str, float]
) -> list[list[str]]:
    """Return, per row of scores, the signals whose score reaches its threshold."""
    reached = scores >= np.array([thresholds[s] for s in signals], dtype=np.float64)
    flags: list[list[str]] = [[] for _ in range(len(scores))]
    for row, column in zip(*(index.tolist() for index in np.nonzero(reached)), strict=True):
        flags[row].append(signals[column])  # np.nonzero is row-major: signals stay in order
    return flags


def _evidence(phrase: Phrase, text: str, base: int) -> Evidence:
    """Return an evidence phrase in document offsets."""
    start, end = base + phrase.start, base + phrase.end
    return Evidence(phrase.signal, start, end, text[start:end], phrase.weight)
