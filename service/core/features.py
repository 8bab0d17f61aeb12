"""Sentence features: word n-grams, cue lexicons and attribution structure, all with spans.

The import path of this module is part of the model file format: the pickled Pipeline
refers to these classes by name, so move or rename them only together with a new model.

Features are defined here by name, each fired by a *hit* with a character span
(``iter_hits``); ``fit`` counts the names to learn the vocabulary. ``transform`` finds the same
features through the integer tables of ``service/core/feature_index.py``, compiled from that
vocabulary, which also keep each hit's token range for explanations.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin

from service.core.feature_index import Extraction, FeatureIndex, RegexCue, TokenRules

# Apostrophes inside words stay in the token ("didn't", "Russia’s"); digits fold to one shape.
_TOKEN = re.compile(r"\w+(?:['’]\w+)*")
_DIGIT = re.compile(r"\d")


def _words(block: str) -> frozenset[str]:
    """Return the whitespace-separated words of a block of text."""
    return frozenset(block.split())


# Verbs and phrases that attribute speech or belief to a source.
REPORTING_VERBS: frozenset[str] = _words(
    """
    said says say saying told tell tells telling added adds noted notes stated states
    claimed claims claim claiming alleged alleges allege asserted asserts insisted insists
    argued argues argue believe believes believed think thinks suggest suggests suggested
    warned warns warn reported reports confirmed confirms denied denies acknowledged
    explained explains according announced announces revealed reveals wrote writes estimated
    estimates predicted predicts contend contends contended maintained maintains described
    describes indicated indicates disclosed discloses speculated speculate fear fears feared
    worry worries worried expect expects expected
    """
)

# Nouns that name a source the reader cannot identify when they stand without a name.
GENERIC_SOURCES: frozenset[str] = _words(
    """
    official officials source sources aide aides insider insiders person people expert
    experts analyst analysts critic critics observer observers spokesperson spokesman
    spokeswoman diplomat diplomats investigator investigators authorities member members
    lawmaker lawmakers staffer staffers adviser advisers advisor advisors someone some many
    others several reports report witnesses residents economists scientists researchers
    commentators supporters opponents democrats republicans conservatives liberals insiders
    familiar unnamed anonymous anonymity
    """
)

PRONOUNS: frozenset[str] = frozenset(["he", "she", "they", "we", "i", "it", "his", "her", "their"])

# Words kept as themselves in shape n-grams; every other word becomes its shape (Cap, w, 0).
FUNCTION_WORDS: frozenset[str] = _words(
    """
    a an the this that these those of to in on at by for with from as about over into and or
    but not no nor never without than then if whether while who whom whose which what when
    where why how is are was were be been being has have had do does did will would can
    could may might must should shall one ones any all each every other another such so also
    only just even still yet very more most less least own same there here according
    familiar anonymity condition told declined refused without evidence proof
    """
)
_KEPT_IN_SHAPES = FUNCTION_WORDS | REPORTING_VERBS | GENERIC_SOURCES | PRONOUNS

# Agentless attribution: "it is believed", "was reported", "reportedly", "is said to".
# Every match starts with one of these letters; checking that first, before the alternatives
# (hence the group around them), lets the engine pass most positions after one test.
AGENTLESS_FIRST_LETTER = r"(?=[iawrp])"
_AGENTLESS = re.compile(
    AGENTLESS_FIRST_LETTER + r"(?:\b(?:it\s+(?:is|was|has\s+been|had\s+been)\s+(?:widely\s+)?"
    r"(?:believed|reported|said|claimed|alleged|rumou?red|thought|understood|suggested))"
    r"|\b(?:is|are|was|were)\s+(?:widely\s+)?(?:said|believed|reported|thought|rumou?red)\s+to\b"
    r"|\breportedly\b|\ballegedly\b|\bpurportedly\b)",
    re.IGNORECASE,
)
# Every agentless match has a token holding one of the hint's words and a token that is its
# auxiliary or adverb (a word starts and ends a token or meets an apostrophe: that is where
# the pattern's \b and \s+ let it stand); sentences without both are not scanned.
AGENTLESS_CUE = RegexCue(
    name="attr:agentless",
    pattern=_AGENTLESS,
    hint=re.compile(
        r"believed|reported|said|claimed|alleged|rumou?red|thought|understood|suggested"
        r"|purportedly",
        re.IGNORECASE,
    ),
    companion=re.compile(
        r"(?:^|['’])(?:is|are|was|were|been|reportedly|allegedly|purportedly)(?:$|['’])",
        re.IGNORECASE,
    ),
)


def token_spans(text: str) -> list[tuple[int, int]]:
    """Return the (start, end) of every token the features read, in order."""
    return [m.span() for m in _TOKEN.finditer(text)]


@dataclass(frozen=True, slots=True)
class Hit:
    """One feature occurrence: its name and the character span that fired it."""

    feature: str
    start: int
    end: int


def _token_form(token: str) -> str:
    """Return the lowercased token with every digit folded to 0."""
    lowered = token.lower()
    return _DIGIT.sub("0", lowered) if _DIGIT.search(lowered) else lowered


def _lexicon_table(
    lexicons: Mapping[str, Sequence[str]],
) -> tuple[dict[tuple[str, ...], list[str]], int]:
    """Index lexicon phrases by their token tuple so matching is one dict lookup per n-gram."""
    table: dict[tuple[str, ...], list[str]] = {}
    longest = 1
    for name, phrases in sorted(lexicons.items()):
        for phrase in phrases:
            key = tuple(_token_form(t) for t in _TOKEN.findall(phrase))
            if not key:
                continue
            longest = max(longest, len(key))
            names = table.setdefault(key, [])
            if name not in names:
                names.append(name)
    return table, longest


class SentenceFeatures(TransformerMixin, BaseEstimator):  # type: ignore[misc]
    """Turn sentences into sublinear tf-idf word n-grams plus named cue features.

    Parameters follow scikit-learn conventions: set in ``__init__``, learned state ends in ``_``.
    """

    def __init__(
        self,
        *,
        ngram_max: int = 3,
        min_df: int = 2,
        max_features: int | None = 150_000,
        lexicons: Mapping[str, Sequence[str]] | None = None,
        cue_weight: float = 1.0,
        shape_ngram_max: int = 0,
    ) -> None:
        self.ngram_max = ngram_max
        self.shape_ngram_max = shape_ngram_max
        self.min_df = min_df
        self.max_features = max_features
        self.lexicons = lexicons
        self.cue_weight = cue_weight

    # -- hits -----------------------------------------------------------------------------

    def iter_hits(self, text: str) -> Iterator[Hit]:
        """Yield every n-gram and cue feature the sentence fires, with its character span."""
        matches = list(_TOKEN.finditer(text))
        forms = [_token_form(m.group()) for m in matches]
        starts = [m.start() for m in matches]
        ends = [m.end() for m in matches]
        count = len(forms)
        for n in range(1, self.ngram_max + 1):
            for i in range(count - n + 1):
                yield Hit(" ".join(forms[i : i + n]), starts[i], ends[i + n - 1])
        if self.shape_ngram_max:
            shapes = [_shape(m.group(), form) for m, form in zip(matches, forms, strict=True)]
            for n in range(2, self.shape_ngram_max + 1):
                for i in range(count - n + 1):
                    yield Hit("shape:" + " ".join(shapes[i : i + n]), starts[i], ends[i + n - 1])
        yield from self._cue_hits(text, matches, forms)

    def _cue_hits(
        self, text: str, matches: Sequence[re.Match[str]], forms: Sequence[str]
    ) -> Iterator[Hit]:
        """Yield lexicon, attribution-structure and agentless-attribution cue hits."""
        tokens = [m.group() for m in matches]
        for name, i, n in self._lexicon_matches(forms):
            yield Hit(f"cue:{name}", matches[i].start(), matches[i + n - 1].end())
        for i, form in enumerate(forms):
            if form in REPORTING_VERBS:
                kind, j = _attribution_subject(tokens, forms, i)
                left, right = (j, i) if j <= i else (i, j)
                yield Hit(f"attr:{kind}", matches[left].start(), matches[right].end())
        for m in _AGENTLESS.finditer(text):
            yield Hit("attr:agentless", m.start(), m.end())

    def iter_features(self, text: str) -> Iterator[str]:
        """Yield the feature names iter_hits yields, without spans (what fit counts)."""
        tokens: list[str] = _TOKEN.findall(text)
        forms = [_token_form(t) for t in tokens]
        count = len(forms)
        if self.ngram_max >= 1:
            yield from forms
        for n in range(2, self.ngram_max + 1):
            for i in range(count - n + 1):
                yield " ".join(forms[i : i + n])
        if self.shape_ngram_max:
            shapes = [_shape(t, f) for t, f in zip(tokens, forms, strict=True)]
            for n in range(2, self.shape_ngram_max + 1):
                for i in range(count - n + 1):
                    yield "shape:" + " ".join(shapes[i : i + n])
        for name, _, _ in self._lexicon_matches(forms):
            yield f"cue:{name}"
        for i, form in enumerate(forms):
            if form in REPORTING_VERBS:
                yield f"attr:{_attribution_subject(tokens, forms, i)[0]}"
        for _ in _AGENTLESS.finditer(text):
            yield "attr:agentless"

    def __getstate__(self) -> dict[str, object]:
        """Pickle learned state only: runtime caches would make retrained files differ."""
        state: dict[str, object] = super().__getstate__()
        state.pop("_first_tokens_cache", None)
        state.pop("_feature_index_cache", None)
        return state

    def _lexicon_matches(self, forms: Sequence[str]) -> Iterator[tuple[str, int, int]]:
        """Yield (lexicon name, first token, token count) for every cue phrase in forms."""
        table, longest = self._lexicon_index()
        firsts = self._first_tokens()
        count = len(forms)
        for i in range(count):
            if forms[i] not in firsts:
                continue
            for n in range(1, min(longest, count - i) + 1):
                for name in table.get(tuple(forms[i : i + n]), ()):
                    yield name, i, n

    def _first_tokens(self) -> frozenset[str]:
        """Return the first tokens of the lexicon phrases, so most positions skip the lookup."""
        firsts: frozenset[str] | None = getattr(self, "_first_tokens_cache", None)
        if firsts is None:
            firsts = frozenset(key[0] for key in self._lexicon_index()[0])
            self._first_tokens_cache = firsts
        return firsts

    def _lexicon_index(self) -> tuple[dict[tuple[str, ...], list[str]], int]:
        """Return the phrase index, built once per fitted object."""
        index = getattr(self, "lexicon_index_", None)
        if index is None:
            index = _lexicon_table(self.lexicons or {})
            self.lexicon_index_ = index
        return index

    # -- sklearn API ----------------------------------------------------------------------

    def fit(self, texts: Sequence[str], y: object = None) -> SentenceFeatures:
        """Learn the vocabulary and inverse document frequencies."""
        self.lexicon_index_ = _lexicon_table(self.lexicons or {})
        document_frequency: Counter[str] = Counter()
        for text in texts:
            document_frequency.update(set(self.iter_features(text)))
        kept = [
            (feature, df)
            for feature, df in document_frequency.items()
            if df >= self.min_df or feature.startswith(("cue:", "attr:"))
        ]
        # Keep the most frequent features; ties break by name so the vocabulary is deterministic.
        kept.sort(key=lambda item: (-item[1], item[0]))
        if self.max_features is not None:
            kept = kept[: self.max_features]
        kept.sort(key=lambda item: item[0])
        n_docs = max(len(texts), 1)
        self.vocabulary_: dict[str, int] = {feature: i for i, (feature, _) in enumerate(kept)}
        self.idf_ = np.array(
            [math.log((1 + n_docs) / (1 + df)) + 1.0 for _, df in kept], dtype=np.float32
        )
        cue_mask = np.array([f.startswith(("cue:", "attr:")) for f, _ in kept], dtype=bool)
        self.idf_[cue_mask] *= np.float32(self.cue_weight)
        self.__dict__.pop("_feature_index_cache", None)  # a refit must not read old tables
        return self

    def transform(self, texts: Sequence[str]) -> sp.csr_matrix:
        """Return the L2-normalised sublinear tf-idf matrix (float32, one row per sentence)."""
        return self.extract(texts).matrix

    def extract(self, texts: Sequence[str]) -> Extraction:
        """Return the tf-idf matrix with the token range of every feature hit, for explanations."""
        return self.feature_index().extract(list(texts))

    def feature_index(self) -> FeatureIndex:
        """Return the vocabulary compiled into integer tables, built once per fitted object."""
        index: FeatureIndex | None = getattr(self, "_feature_index_cache", None)
        if index is None:
            index = self.build_feature_index()
            self._feature_index_cache = index
        return index

    def build_feature_index(self, *, compiled: bool = True) -> FeatureIndex:
        """Compile the fitted vocabulary into a new index (compiled=False: NumPy loops only)."""
        return FeatureIndex(
            vocabulary=self.vocabulary_,
            idf=self.idf_,
            lexicon=self._lexicon_index()[0],
            rules=TOKEN_RULES,
            regex_cues=[AGENTLESS_CUE],
            compiled=compiled,
        )

    def get_feature_names_out(self, input_features: object = None) -> np.ndarray:
        """Return feature names in column order."""
        names = np.empty(len(self.vocabulary_), dtype=object)
        for feature, index in self.vocabulary_.items():
            names[index] = feature
        return names


def _shape(token: str, form: str) -> str:
    """Return the word itself if it is in the closed class, else its shape."""
    if form in _KEPT_IN_SHAPES:
        return form
    if token[:1].isupper():
        return "Cap"
    return "0" if token[:1].isdigit() else "w"


def _attribution_subject(tokens: Sequence[str], forms: Sequence[str], verb: int) -> tuple[str, int]:
    """Classify who a reporting verb credits: vague, named, pronoun or none, and where."""
    window = [*range(max(0, verb - 4), verb), *range(verb + 1, min(len(forms), verb + 4))]
    for j in window:
        if forms[j] in GENERIC_SOURCES:
            return "vague", j
    for j in window:
        token = tokens[j]
        if token[:1].isupper() and j > 0 and forms[j] not in REPORTING_VERBS:
            return "named", j
    for j in window:
        if forms[j] in PRONOUNS:
            return "pronoun", j
    return "none", verb


# The token definitions the compiled feature index applies, kept next to the string path's.
TOKEN_RULES = TokenRules(
    pattern=_TOKEN,
    form=_token_form,
    shape=_shape,
    reporting=REPORTING_VERBS,
    generic=GENERIC_SOURCES,
    pronouns=PRONOUNS,
)
