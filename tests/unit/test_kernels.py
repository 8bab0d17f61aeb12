"""The compiled extraction loops (service/core/_kernels.c) give exactly the NumPy path's arrays."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_features import SENTENCE_LIKE, SENTENCES

from service.core import _kernels
from service.core.feature_index import HAVE_KERNELS, Extraction, FeatureIndex, _one_plus_log
from service.core.features import _AGENTLESS, _TOKEN, AGENTLESS_FIRST_LETTER, SentenceFeatures
from service.core.model import Model

HIT_ARRAYS = (
    "token_offsets",
    "hit_rows",
    "hit_columns",
    "hit_first",
    "hit_stop",
    "span_rows",
    "span_columns",
    "span_starts",
    "span_ends",
)


@pytest.fixture(scope="module")
def features() -> SentenceFeatures:
    """Fit a featurizer with every feature family, a lexicon and the agentless cue in use."""
    lexicons = {
        "anonymous_sourcing": ["some analysts", "it is widely believed"],
        "hedging": ["may", "could not be"],
    }
    texts = [*SENTENCES, "It is said to be so.", "Officials reportedly said it was believed."]
    return SentenceFeatures(min_df=1, shape_ngram_max=3, lexicons=lexicons).fit(texts)


@pytest.fixture(scope="module")
def compiled(features: SentenceFeatures) -> FeatureIndex:
    """Return the index that runs the C loops."""
    return features.build_feature_index()


@pytest.fixture(scope="module")
def reference(features: SentenceFeatures) -> FeatureIndex:
    """Return the index that runs the NumPy loops only."""
    return features.build_feature_index(compiled=False)


def assert_same_extraction(actual: Extraction, expected: Extraction) -> None:
    """Assert identical hits, in the same order, and a bit-identical tf-idf matrix."""
    for name in HIT_ARRAYS:
        np.testing.assert_array_equal(getattr(actual, name), getattr(expected, name), name)
    for part in ("data", "indices", "indptr"):
        a, b = getattr(actual.matrix, part), getattr(expected.matrix, part)
        assert a.dtype == b.dtype, part
        np.testing.assert_array_equal(a, b, part)


def test_every_install_builds_the_kernels(shipped_model: Model) -> None:
    assert HAVE_KERNELS
    assert shipped_model.features.feature_index().compiled


def test_the_reference_index_runs_without_them(reference: FeatureIndex) -> None:
    assert not reference.compiled


@pytest.mark.parametrize("text", SENTENCES)
def test_one_sentence_gives_the_reference_arrays(
    compiled: FeatureIndex, reference: FeatureIndex, text: str
) -> None:
    assert_same_extraction(compiled.extract([text]), reference.extract([text]))


def test_a_batch_gives_the_reference_arrays(
    compiled: FeatureIndex, reference: FeatureIndex
) -> None:
    assert_same_extraction(compiled.extract(SENTENCES), reference.extract(SENTENCES))


# Apostrophes, combining marks, digits, underscores and case-folding letters around words.
TRICKY_TEXT = st.text(alphabet=st.sampled_from("ab'’ _-1٣\u0301ſKİ\x00 .\n"), max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.one_of(st.text(max_size=80), TRICKY_TEXT, SENTENCE_LIKE), max_size=8))
def test_arbitrary_text_gives_the_reference_arrays(
    compiled: FeatureIndex, reference: FeatureIndex, texts: list[str]
) -> None:
    assert_same_extraction(compiled.extract(texts), reference.extract(texts))


def test_the_shipped_vocabulary_gives_the_reference_arrays(
    shipped_model: Model, example_article: str
) -> None:
    features = shipped_model.features
    texts = [line for line in example_article.splitlines() if line.strip()]
    assert_same_extraction(
        features.feature_index().extract(texts),
        features.build_feature_index(compiled=False).extract(texts),
    )


def test_tables_too_wide_to_pack_keep_to_the_numpy_loops(
    features: SentenceFeatures, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("service.core.feature_index._PACKED_BITS", 8)
    index = features.build_feature_index()
    assert not index.compiled
    assert_same_extraction(
        index.extract(SENTENCES), features.build_feature_index(compiled=False).extract(SENTENCES)
    )


def test_a_count_beyond_the_log_table_grows_it(features: SentenceFeatures) -> None:
    compiled = features.build_feature_index()
    compiled._log_table = _one_plus_log(4)
    text = "may " * 40
    assert_same_extraction(
        compiled.extract([text]), features.build_feature_index(compiled=False).extract([text])
    )
    assert len(compiled._log_table) > 40


# -- the tokenizer ------------------------------------------------------------------------


def numbering() -> tuple[Callable[[str], int], list[str]]:
    """Return a code_of that numbers tokens in order of first sight, and the tokens seen."""
    seen: list[str] = []

    def code_of(token: str) -> int:
        seen.append(token)
        return len(seen) - 1

    return code_of, seen


def tokens_of(texts: Sequence[str], *, limit: int = 1_000) -> list[list[str]]:
    """Tokenize with the kernel and spell each text's tokens back out."""
    code_of, seen = numbering()
    codes, counts, _ = _kernels.token_codes(texts, _kernels.token_cache(), code_of, limit, 0)
    spelled = [seen[c] for c in np.frombuffer(codes, dtype=np.int64).tolist()]
    bounds = np.concatenate([[0], np.cumsum(np.frombuffer(counts, dtype=np.int64))]).tolist()
    return [spelled[a:b] for a, b in pairwise(bounds)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(st.text(), TRICKY_TEXT), max_size=5))
def test_the_tokenizer_splits_as_the_token_pattern(texts: list[str]) -> None:
    assert tokens_of(texts) == [_TOKEN.findall(text) for text in texts]


@pytest.mark.parametrize(
    ("text", "tokens"),
    [
        ("don't won’t", ["don't", "won’t"]),
        ("rock 'n' roll", ["rock", "n", "roll"]),
        ("a''b x'", ["a", "b", "x"]),
        # A combining mark is not \w: the pattern, and so the kernel, stops before it.
        ("snake_case ٣٤ e\u0301", ["snake_case", "٣٤", "e"]),
    ],
)
def test_the_tokenizer_keeps_apostrophes_only_between_word_characters(
    text: str, tokens: list[str]
) -> None:
    assert tokens_of([text]) == [tokens]


def test_the_tokenizer_joins_each_texts_codes_under_the_mask() -> None:
    codes_of = {"a": 0b0011, "b": 0b0100, "c": 0b1000}
    _, _, joined = _kernels.token_codes(
        ["a b", "", "c a", "b"], _kernels.token_cache(), codes_of.__getitem__, 10, 0b1110
    )
    assert np.frombuffer(joined, dtype=np.int64).tolist() == [0b0110, 0, 0b1010, 0b0100]


def test_the_token_cache_asks_once_per_new_token() -> None:
    code_of, seen = numbering()
    cache = _kernels.token_cache()
    for _ in range(3):
        _kernels.token_codes(["the cat saw the other cat"], cache, code_of, 100, 0)
    assert seen == ["the", "cat", "saw", "other"]
    assert _kernels.token_cache_size(cache) == 4


def test_the_token_cache_matches_tokens_across_string_kinds_and_lengths() -> None:
    long_word = "x" * 40  # longer than the entries keep in place
    latin1, ucs2 = f"cat {long_word} café naïve", f"東 cat {long_word} café naïve"
    code_of, seen = numbering()
    cache = _kernels.token_cache()
    codes, _, _ = _kernels.token_codes([latin1, ucs2, latin1], cache, code_of, 100, 0)
    assert seen == ["cat", long_word, "café", "naïve", "東"]
    spelled = [seen[c] for c in np.frombuffer(codes, dtype=np.int64).tolist()]
    assert spelled == _TOKEN.findall(latin1) + _TOKEN.findall(ucs2) + _TOKEN.findall(latin1)


def test_the_token_cache_starts_again_at_its_limit() -> None:
    code_of, seen = numbering()
    cache = _kernels.token_cache()
    words = " ".join(f"w{k}" for k in range(50))
    codes, _, _ = _kernels.token_codes([words, words], cache, code_of, 8, 0)
    assert _kernels.token_cache_size(cache) <= 8
    # Evicted words are asked for again, and every code still spells its own token.
    assert [seen[c] for c in np.frombuffer(codes, dtype=np.int64).tolist()] == words.split() * 2


def test_the_token_cache_grows_past_its_first_size() -> None:
    code_of, seen = numbering()
    cache = _kernels.token_cache()
    words = [f"token{k}" for k in range(20_000)]
    _kernels.token_codes([" ".join(words)], cache, code_of, 1_000_000, 0)
    codes, _, _ = _kernels.token_codes([" ".join(words)], cache, code_of, 1_000_000, 0)
    assert len(seen) == 20_000
    assert [seen[c] for c in np.frombuffer(codes, dtype=np.int64).tolist()] == words


# -- the agentless cue's hints ---------------------------------------------------------------

AGENTLESS_WORDS = st.sampled_from(
    ["it", "It", "IT", "is", "iſ", "was", "were", "are", "has", "had", "been", "widely", "said",
     "ſaid", "believed", "rumoured", "to", "reportedly", "x'is", "y’reportedly's", "allegedly",
     "the", "officials"]
)  # fmt: skip
AGENTLESS_LIKE = st.lists(
    st.tuples(AGENTLESS_WORDS, st.sampled_from([" ", "  ", "\t", ", ", "'", "\n"])), max_size=12
).map(lambda pairs: "".join(w + sep for w, sep in pairs))


@settings(max_examples=300, deadline=None)
@given(st.lists(AGENTLESS_LIKE, min_size=1, max_size=4))
def test_sentences_skipped_by_the_hints_hold_no_agentless_match(
    compiled: FeatureIndex, features: SentenceFeatures, texts: list[str]
) -> None:
    column = features.vocabulary_["attr:agentless"]
    found = compiled.extract(texts).matrix[:, column].toarray().ravel() > 0
    assert found.tolist() == [bool(_AGENTLESS.search(text)) for text in texts]


# Case-folding look-alikes of the letters the pattern starts with or spells.
FOLDING_LIKE = st.text(alphabet=st.sampled_from("iIİıaAwWrRpPsſkK tT'’"), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.one_of(AGENTLESS_LIKE, FOLDING_LIKE))
def test_the_first_letter_check_keeps_every_agentless_match(text: str) -> None:
    without = re.compile(_AGENTLESS.pattern.removeprefix(AGENTLESS_FIRST_LETTER), re.IGNORECASE)
    assert without.pattern.startswith("(?:")  # the check guards every alternative
    assert [m.span() for m in _AGENTLESS.finditer(text)] == [
        m.span() for m in without.finditer(text)
    ]


# -- malformed calls fail cleanly -------------------------------------------------------------


def raising(token: str) -> int:
    """Fail the way a broken code_of would."""
    raise RuntimeError(f"no code for {token}")


def tokenize(texts: object, cache: object = None, code_of: object = len, limit: int = 10) -> object:
    """Call the tokenizer with a fresh cache unless one is given; mask 0."""
    cache = _kernels.token_cache() if cache is None else cache
    return _kernels.token_codes(texts, cache, code_of, limit, 0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: tokenize(["ok", 3]), TypeError, "sequence of str"),
        (lambda: tokenize("abc"), TypeError, "not one str"),
        (lambda: tokenize(["a"], cache={}), ValueError, "PyCapsule"),
        (lambda: tokenize(["a"], limit=0), ValueError, "limit must be positive"),
        (lambda: tokenize(["a b"], code_of=raising), RuntimeError, "no code for a"),
        (lambda: tokenize(["a"], code_of=str), TypeError, "integer"),
    ],
    ids=["non-str text", "str not list", "not a cache", "zero limit", "code_of raises", "non-int"],
)
def test_the_tokenizer_rejects_malformed_calls(
    call: Callable[[], object], error: type[Exception], message: str
) -> None:
    with pytest.raises(error, match=message):
        call()


def test_extract_rejects_counts_that_do_not_match_the_codes(compiled: FeatureIndex) -> None:
    assert compiled._kernel is not None
    codes, _, _ = _kernels.token_codes(["a b c"], compiled._kernel.cache, compiled._code, 100, 0)
    wrong_counts = bytearray(np.array([5], dtype=np.int64).tobytes())
    empty = np.zeros(0, dtype=np.int64)
    with pytest.raises(ValueError, match="token counts"):
        _kernels.extract(
            codes,
            wrong_counts,
            compiled._kernel.spec,
            empty,
            empty,
            compiled.idf,
            compiled._log_table,
        )


def test_extract_rejects_an_ngram_table_of_length_zero(compiled: FeatureIndex) -> None:
    assert compiled._kernel is not None
    codes, counts, _ = _kernels.token_codes(
        ["a b c"], compiled._kernel.cache, compiled._code, 100, 0
    )
    spec = list(compiled._kernel.spec)
    spec[7] = [(0, *spec[7][0][1:])]  # the first word table, claiming length 0
    empty = np.zeros(0, dtype=np.int64)
    with pytest.raises(ValueError, match="at least 1"):
        _kernels.extract(
            codes, counts, tuple(spec), empty, empty, compiled.idf, compiled._log_table
        )


def test_the_token_pattern_is_the_one_the_kernel_implements() -> None:
    from service.core.feature_index import KERNEL_WORD_PATTERN

    assert re.compile(KERNEL_WORD_PATTERN).pattern == _TOKEN.pattern
