"""The cue-lexicon rule baseline: flag a sentence when a listed phrase occurs, as prose linters do."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from service.core.features import SentenceFeatures
from training.labels import no_evidence_pattern


class LexiconBaseline:
    """Score 1.0 for a sentence that contains any cue phrase of a signal, else 0.0."""

    def __init__(self, lexicons: Mapping[str, Sequence[str]]) -> None:
        # Reuse the model's phrase matcher so both read text the same way; no n-grams needed.
        self._matcher = SentenceFeatures(ngram_max=0, lexicons=lexicons)
        self.signals = tuple(lexicons)

    def flags(self, text: str) -> set[str]:
        """Return the signals whose cue phrases occur in text."""
        found = {
            hit.feature.removeprefix("cue:")
            for hit in self._matcher.iter_hits(text)
            if hit.feature.startswith("cue:")
        }
        if no_evidence_pattern(text):
            found.add("no_evidence")
        return found & set(self.signals)

    def predict_proba(self, texts: Sequence[str]) -> NDArray[np.float32]:
        """Return 0/1 scores, one column per signal."""
        scores = np.zeros((len(texts), len(self.signals)), dtype=np.float32)
        for i, text in enumerate(texts):
            for signal in self.flags(text):
                scores[i, self.signals.index(signal)] = 1.0
        return scores
