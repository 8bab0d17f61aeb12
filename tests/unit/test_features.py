"""SentenceFeatures: the string paths and the compiled integer index find the same features."""

from __future__ import annotations

import math
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence

import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import given, settings
from hypothesis import strategies as st

from service.core.feature_index import NgramTable
from service.core.features import SentenceFeatures, token_spans
from service.core.model import Model, Phrase, _token_phrases

SENTENCES = [
    "",
    "A senior official said the convoy was turned back on 3 May 2023.",
    "It is widely believed that some analysts suggest the attack may have been staged.",
    "Russia provided no evidence; the footage could not be independently verified.",
    "Mayor Jana Novak told reporters the bridge will reopen, according to the city's statement.",
    "Étienne 👩‍💻 wrote: «officials insisted» — 東京 reportedly…",
    "IT WAS ſAID TO be true, it is",
    "believed by some analysts\x00reportedly; it is widely believed it may",
    "May may MAY 3 may 3 may",
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
    phrases = shipped_model.explain(shipped_model.analyse([text]), 0, ["anonymous_sourcing"])
    assert phrases
    assert sum(p.end - p.start for p in phrases) < len(text) / 2


def reference_matrix(features: SentenceFeatures, texts: Sequence[str]) -> sp.csr_matrix:
    """Count feature names the slow, obvious way and apply sublinear tf-idf and L2 norms."""
    rows = []
    for text in texts:
        counts = Counter(
            features.vocabulary_[f]
            for f in features.iter_features(text)
            if f in features.vocabulary_
        )
        weights = {c: (1 + math.log(n)) * float(features.idf_[c]) for c, n in counts.items()}
        norm = math.sqrt(sum(w * w for w in weights.values())) or 1.0
        rows.append({c: w / norm for c, w in weights.items()})
    matrix = sp.lil_matrix((len(texts), len(features.vocabulary_)))
    for i, row in enumerate(rows):
        for column, value in row.items():
            matrix[i, column] = value
    return matrix.tocsr()


def assert_same_matrix(actual: sp.csr_matrix, expected: sp.csr_matrix) -> None:
    """Assert the same non-zero cells with values equal to float32 precision."""
    assert actual.shape == expected.shape
    assert ((actual != 0) != (expected != 0)).nnz == 0
    assert np.allclose(actual.toarray(), expected.toarray(), atol=1e-6)


def test_compiled_index_finds_every_feature_the_names_path_finds(
    features: SentenceFeatures,
) -> None:
    assert_same_matrix(features.transform(SENTENCES), reference_matrix(features, SENTENCES))


# Words of the fixture's sentences in any order, case and spacing, so n-grams and cues do fire.
_WORDS = sorted({w for text in SENTENCES for w in text.split()} | {"It", "is", "said", "ſaid"})
SENTENCE_LIKE = st.lists(
    st.tuples(st.sampled_from(_WORDS), st.sampled_from([" ", "  ", "\n", "\x00", ", "])),
    max_size=25,
).map(lambda pairs: "".join(w + sep for w, sep in pairs))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=80), SENTENCE_LIKE), max_size=6))
def test_compiled_index_agrees_on_arbitrary_text(
    features: SentenceFeatures, texts: list[str]
) -> None:
    assert_same_matrix(features.transform(texts), reference_matrix(features, texts))


def test_compiled_index_agrees_with_the_shipped_vocabulary(
    shipped_model: Model, example_article: str
) -> None:
    texts = [line for line in example_article.splitlines() if line.strip()]
    features = shipped_model.features
    assert_same_matrix(features.transform(texts), reference_matrix(features, texts))


def test_regex_cues_never_match_across_sentences(features: SentenceFeatures) -> None:
    apart = features.transform(["Nothing more, it is", "believed by none."])
    assert apart[:, features.vocabulary_["attr:agentless"]].nnz == 0


def test_ngrams_without_their_prefix_are_still_found() -> None:
    features = SentenceFeatures(min_df=1).fit(["alpha beta gamma"])
    # Drop the bigram the trigram starts with: the prefix shortcut must notice and step aside.
    del features.vocabulary_["alpha beta"]
    features.vocabulary_ = {f: i for i, f in enumerate(sorted(features.vocabulary_))}
    features.idf_ = np.ones(len(features.vocabulary_), dtype=np.float32)
    assert not features.feature_index().prefix_closed
    row = features.transform(["alpha beta gamma"])
    assert row[0, features.vocabulary_["alpha beta gamma"]] > 0


def test_hash_table_finds_held_keys_and_nothing_else() -> None:
    keys = np.arange(0, 5_000, 7, dtype=np.int64)
    table = NgramTable.build(2, keys, keys * 10)
    probes = np.arange(0, 5_000, dtype=np.int64)
    expected = np.where(probes % 7 == 0, probes * 10, -1)
    assert (table.find(probes) == expected).all()


def test_refitting_rebuilds_the_index(features: SentenceFeatures) -> None:
    refitted = SentenceFeatures(min_df=1).fit(["a wholly new vocabulary"])
    refitted.transform(["a wholly new vocabulary"])
    refitted.fit(["different words entirely"])
    assert refitted.transform(["different words entirely"]).nnz > 0


def reference_explain(
    model: Model, text: str, signals: Sequence[str], *, top: int = 3
) -> list[Phrase]:
    """Explain by re-tokenizing and spreading each named hit's contribution over its tokens."""
    row = model.vectorize([text])[0]
    columns = [model.signals.index(s) for s in signals]
    weights = row.data[:, None] * model.classifier.coef_[row.indices][:, columns]
    weights = weights * model.classifier.platt_[columns, 0].astype(np.float32)
    position = {int(index): i for i, index in enumerate(row.indices)}
    tokens = token_spans(text)
    starts = [t[0] for t in tokens]
    scores = np.zeros((len(tokens), len(signals)))
    for hit in model.features.iter_hits(text):
        index = model.features.vocabulary_.get(hit.feature)
        i = position.get(index) if index is not None else None
        first, last = bisect_left(starts, hit.start), bisect_left(starts, hit.end)
        if i is not None and last > first:
            scores[first:last] += weights[i] / (last - first)
    return [
        phrase
        for k, signal in enumerate(signals)
        for phrase in _token_phrases(signal, tokens, scores[:, k].tolist(), top=top)
    ]


def test_explanations_match_the_hit_by_hit_reference(
    shipped_model: Model, example_article: str
) -> None:
    texts = [line for line in example_article.splitlines() if line.strip()]
    extraction = shipped_model.analyse(texts)
    for i, text in enumerate(texts):
        expected = reference_explain(shipped_model, text, shipped_model.signals)
        actual = shipped_model.explain(extraction, i, shipped_model.signals)
        assert [(p.signal, p.start, p.end) for p in actual] == [
            (p.signal, p.start, p.end) for p in expected
        ]
        assert [p.weight for p in actual] == pytest.approx([p.weight for p in expected], abs=2e-4)


def test_explaining_many_sentences_at_once_matches_one_by_one(
    shipped_model: Model, example_article: str
) -> None:
    texts = [line for line in example_article.splitlines() if line.strip()]
    extraction = shipped_model.analyse(texts)
    requests = [(i, shipped_model.signals) for i in range(0, len(texts), 2)]
    together = shipped_model.explain_rows(extraction, requests)
    alone = [shipped_model.explain(extraction, i, signals) for i, signals in requests]
    assert together == alone
