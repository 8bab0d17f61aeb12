"""SentenceFeatures: the span-free fast path and the explained path read the same features."""

from __future__ import annotations

from collections import Counter

import pytest

from service.core.features import SentenceFeatures, token_spans
from service.core.model import Model

SENTENCES = [
    "",
    "A senior official said the convoy was turned back on 3 May 2023.",
    "It is widely believed that some analysts suggest the attack may have been staged.",
    "Russia provided no evidence; the footage could not be independently verified.",
    "Mayor Jana Novak told reporters the bridge will reopen, according to the city's statement.",
    "Étienne 👩‍💻 wrote: «officials insisted» — 東京 reportedly…",
]


@pytest.fixture(scope="module")
def features() -> SentenceFeatures:
    """Fit a small featurizer with a lexicon and every feature family switched on."""
    lexicons = {
        "anonymous_sourcing": ["some analysts", "it is widely believed"],
        "hedging": ["may"],
    }
    return SentenceFeatures(min_df=1, shape_ngram_max=3, lexicons=lexicons).fit(SENTENCES)


@pytest.mark.parametrize("text", SENTENCES)
def test_fast_path_yields_the_features_of_the_span_path(
    features: SentenceFeatures, text: str
) -> None:
    assert Counter(features.iter_features(text)) == Counter(
        h.feature for h in features.iter_hits(text)
    )


@pytest.mark.parametrize("text", SENTENCES)
def test_every_hit_span_lies_on_token_boundaries(features: SentenceFeatures, text: str) -> None:
    starts = {start for start, _ in token_spans(text)}
    assert all(
        hit.start in starts for hit in features.iter_hits(text) if hit.feature.count(":") == 0
    )


def test_explanations_are_phrases_not_the_whole_sentence(shipped_model: Model) -> None:
    text = "A senior official said the convoy was turned back after the meeting ended."
    row = shipped_model.vectorize([text])[0]
    phrases = shipped_model.explain(text, row, ["anonymous_sourcing"])
    assert phrases
    assert sum(p.end - p.start for p in phrases) < len(text) / 2
