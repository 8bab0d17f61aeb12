"""Find a fitted vocabulary's features in many sentences at once, with integer tables.

SentenceFeatures names its features as strings ("officials said", "shape:Cap said",
"cue:hedge", "attr:vague"); building those strings for every n-gram of every sentence was
nearly all of the cost of scoring. Here the fitted vocabulary is compiled once into integer
tables: each token maps, through a cache, to a form id, a shape id and a few flag bits; an
n-gram becomes one integer key looked up in an open-addressing hash table. The features found
are exactly the ones the string path names (tests/unit/test_features.py pins that), and each
keeps the token range that fired it, so an explanation needs no second feature search: only
the character offsets of a flagged sentence's tokens are found again.

The per-token loops run in C (service/core/_kernels.c) when that extension is built, as every
install of the package builds it; the NumPy code here is the same algorithm, kept as the
reference the compiled path is tested against and as the fallback in a source tree that was
never built.

Nothing here is pickled: the index is rebuilt from the vocabulary after a model is loaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import chain, pairwise

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

try:
    from service.core import _kernels

    HAVE_KERNELS = True
except ImportError:  # a source tree that was never installed: the NumPy path still works
    HAVE_KERNELS = False

# Who a reporting verb credits, in the order the attribution columns are handed to the C loops.
ATTRIBUTION_KINDS = ("vague", "named", "pronoun", "none")
# Bit flags stored with each token's ids; attribution and cue matching read only these.
REPORTING = 1
GENERIC = 2
PRONOUN = 4
UPPER = 8
CUE_START = 16
# Bits from here on mark tokens that may take part in a regex cue (one bit per cue).
_FIRST_REGEX_BIT = 5
_FLAG_BITS = 8
_SHAPE_BITS = 16
_SHAPE_MASK = (1 << _SHAPE_BITS) - 1
_FLAG_MASK = (1 << _FLAG_BITS) - 1
# A worker sees an open-ended stream of new words; past this many the cache starts again.
_CACHE_LIMIT = 200_000
# Keys are products of ids; beyond this an n-gram key could overflow int64.
_KEY_LIMIT = 1 << 62

IntArray = NDArray[np.int64]
_EMPTY: IntArray = np.zeros(0, dtype=np.int64)
# The one token pattern the compiled tokenizer implements.
KERNEL_WORD_PATTERN = r"\w+(?:['’]\w+)*"
# A packed slot holds key and column in the 63 bits of a non-negative int64.
_PACKED_BITS = 63
# 1 + log(count) is looked up for counts below this; a larger count grows the table.
_LOG_TABLE_SIZE = 4096


@dataclass(frozen=True)
class TokenRules:
    """How a token becomes a form, a shape and flags: the definitions SentenceFeatures uses."""

    pattern: re.Pattern[str]
    form: Callable[[str], str]
    shape: Callable[[str, str], str]
    reporting: frozenset[str]
    generic: frozenset[str]
    pronouns: frozenset[str]


@dataclass(frozen=True)
class RegexCue:
    """A feature found by a regular expression over the sentence text.

    ``hint`` must match inside one token of every match of ``pattern`` (for example the verb
    of "it is believed"), and so must ``companion`` (for example its "is"): sentences without
    a token of each are not scanned at all.
    """

    name: str
    pattern: re.Pattern[str]
    hint: re.Pattern[str]
    companion: re.Pattern[str]


@dataclass(frozen=True)
class NgramTable:
    """The kept n-grams of one length as integer keys in an open-addressing hash table."""

    n: int
    slot_keys: IntArray  # the hash table: a key per slot, -1 where empty
    slot_columns: IntArray
    bits: int

    @classmethod
    def build(cls, n: int, keys: IntArray, columns: IntArray) -> NgramTable:
        """Place every key in the first free slot from its hash (linear probing, load ≤ 1/2)."""
        # Half-empty at most: probes stay short, and the tables stay small enough for the
        # CPU's caches to hold much of them (nearly every lookup is a cache miss otherwise).
        bits = max(4, (2 * len(keys)).bit_length())
        mask = (1 << bits) - 1
        slot_keys = np.full(1 << bits, -1, dtype=np.int64)
        slot_columns = np.full(1 << bits, -1, dtype=np.int64)
        slots = _hash(keys, bits)
        pending = np.arange(len(keys))
        while len(pending):
            wanted = slots[pending]
            free = slot_keys[wanted] == -1
            # Where several keys want one free slot, the first in key order takes it.
            taken, first = np.unique(wanted[free], return_index=True)
            winners = pending[free][first]
            slot_keys[taken] = keys[winners]
            slot_columns[taken] = columns[winners]
            placed = np.zeros(len(keys), dtype=bool)
            placed[winners] = True
            pending = pending[~placed[pending]]
            blocked = pending[slot_keys[slots[pending]] != -1]
            slots[blocked] = (slots[blocked] + 1) & mask
        return cls(n, slot_keys, slot_columns, bits)

    def find(self, keys: IntArray) -> IntArray:
        """Return the column of each key, or -1 where the table does not hold it."""
        mask = (1 << self.bits) - 1
        found = np.full(len(keys), -1, dtype=np.int64)
        slots = _hash(keys, self.bits)
        active = np.arange(len(keys))
        while len(active):
            held = self.slot_keys[slots[active]]
            hit = held == keys[active]
            found[active[hit]] = self.slot_columns[slots[active[hit]]]
            active = active[(held != -1) & ~hit]
            slots[active] = (slots[active] + 1) & mask
        return found


@dataclass
class Extraction:
    """The features of a batch of sentences: the tf-idf matrix and where each hit came from."""

    texts: Sequence[str]
    matrix: sp.csr_matrix
    token_offsets: IntArray  # sentence i owns tokens token_offsets[i]:token_offsets[i + 1]
    hit_columns: IntArray
    hit_first: IntArray  # first token of the hit (batch-wide index)
    hit_stop: IntArray  # one past its last token
    span_rows: IntArray  # hits known by character span (regex cues), not token range
    span_columns: IntArray
    span_starts: IntArray
    span_ends: IntArray

    @cached_property
    def hit_rows(self) -> IntArray:
        """Return the sentence of every hit (only explanations need it, so it is found late)."""
        rows: IntArray = np.searchsorted(self.token_offsets, self.hit_first, side="right") - 1
        return rows

    def values_at(self, rows: IntArray, columns: IntArray) -> NDArray[np.float32]:
        """Return the matrix value of each (row, column) cell; every one must be stored."""
        matrix = self.matrix
        cell_rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
        # Rows are in order and columns sorted within each, so the cell keys are sorted.
        keys = cell_rows * matrix.shape[1] + matrix.indices
        values: NDArray[np.float32] = matrix.data[
            np.searchsorted(keys, rows * matrix.shape[1] + columns)
        ]
        return values


@dataclass(frozen=True)
class _KernelState:
    """What the C loops read: the tables in their layout and the token cache."""

    spec: tuple[object, ...]
    cache: _kernels.TokenCache


class FeatureIndex:
    """A fitted vocabulary compiled into integer tables, and the extraction that reads them."""

    def __init__(
        self,
        *,
        vocabulary: Mapping[str, int],
        idf: NDArray[np.float32],
        lexicon: Mapping[tuple[str, ...], Sequence[str]],
        rules: TokenRules,
        regex_cues: Sequence[RegexCue],
        compiled: bool = True,
    ) -> None:
        self.rules = rules
        self.idf = idf
        self.n_columns = len(vocabulary)
        named: dict[str, int] = {}
        words: list[tuple[str, int]] = []
        shapes: list[tuple[str, int]] = []
        for feature, column in vocabulary.items():
            if feature.startswith(("cue:", "attr:")):
                named[feature] = column
            elif feature.startswith("shape:"):
                shapes.append((feature[len("shape:") :], column))
            else:
                words.append((feature, column))
        word_parts, word_lengths = _split([feature for feature, _ in words])
        shape_parts, shape_lengths = _split([feature for feature, _ in shapes])
        # Ids follow sorted order so the index never depends on the vocabulary's dict order.
        self.form_ids = _ids(set(word_parts).union(*lexicon))
        self.shape_ids = _ids(set(shape_parts))
        self.form_base = len(self.form_ids) + 1
        self.shape_base = len(self.shape_ids) + 1
        if self.shape_base > _SHAPE_MASK:
            raise ValueError("too many distinct shapes for the feature index")
        word_grams = _keys_by_length(
            word_parts, word_lengths, [c for _, c in words], self.form_ids, self.form_base
        )
        shape_grams = _keys_by_length(
            shape_parts, shape_lengths, [c for _, c in shapes], self.shape_ids, self.shape_base
        )
        self.prefix_closed = _prefix_closed(word_grams, self.form_base) and _prefix_closed(
            shape_grams, self.shape_base
        )
        # Unigram keys are form ids: a plain array maps them to columns.
        self.unigram_columns = np.full(self.form_base, -1, dtype=np.int64)
        unigram_keys, unigram_columns = word_grams.pop(1, (_EMPTY, _EMPTY))
        self.unigram_columns[unigram_keys] = unigram_columns
        self.word_tables = [NgramTable.build(n, *grams) for n, grams in word_grams.items()]
        self.shape_tables = [NgramTable.build(n, *grams) for n, grams in shape_grams.items()]
        self.cues = CueTrie.build(
            {
                tuple(self.form_ids[form] for form in phrase): [
                    named[f"cue:{n}"] for n in names if f"cue:{n}" in named
                ]
                for phrase, names in lexicon.items()
            },
            self.form_base,
        )
        self.cue_starts = frozenset(self.form_ids[key[0]] for key in lexicon)
        self.attr_columns = {kind: named.get(f"attr:{kind}", -1) for kind in ATTRIBUTION_KINDS}
        if 2 * len(regex_cues) > _FLAG_BITS - _FIRST_REGEX_BIT:
            raise ValueError("too many regex cues for the token flags")
        # Two flag bits per cue: a token matching its hint, and one matching its companion.
        self.regex_cues = [
            (cue, named[cue.name], 1 << (_FIRST_REGEX_BIT + 2 * k))
            for k, cue in enumerate(regex_cues)
            if cue.name in named
        ]
        self._codes: dict[str, int] = {}
        self._log_table = _one_plus_log(_LOG_TABLE_SIZE)
        usable = (
            compiled
            and HAVE_KERNELS
            and rules.pattern.pattern == KERNEL_WORD_PATTERN
            and rules.pattern.flags == re.UNICODE
        )
        # A vocabulary too large to pack its tables in 64-bit slots keeps to the NumPy loops.
        spec = self._build_kernel_spec() if usable else None
        self._kernel = _KernelState(spec, _kernels.token_cache()) if spec is not None else None

    @property
    def compiled(self) -> bool:
        """Tell whether extraction runs the C loops (else the NumPy reference path)."""
        return self._kernel is not None

    def _build_kernel_spec(self) -> tuple[object, ...] | None:
        """Return the tables in the layout _kernels.extract reads, or None if they do not fit."""
        column_bits = max(1, (self.n_columns - 1).bit_length())
        specs = []
        for table in [*self.word_tables, *self.shape_tables, self.cues.edges]:
            packed = _packed_slots(table, column_bits)
            if packed is None:
                return None
            specs.append((table.n, packed, table.bits, column_bits))
        words, shapes = len(self.word_tables), len(self.shape_tables)
        return (
            _SHAPE_BITS + _FLAG_BITS,
            _FLAG_BITS,
            _SHAPE_MASK,
            self.form_base,
            self.shape_base,
            self.prefix_closed,
            self.unigram_columns,
            specs[:words],
            specs[words : words + shapes],
            (REPORTING, GENERIC, PRONOUN, UPPER, CUE_START),
            tuple(self.attr_columns[kind] for kind in ATTRIBUTION_KINDS),
            specs[-1],
            self.cues.base,
            self.cues.column_starts,
            self.cues.columns,
        )

    # -- tokens ---------------------------------------------------------------------------

    def _code(self, token: str) -> int:
        """Return a token's form id, shape id and flags packed into one integer."""
        rules = self.rules
        form = rules.form(token)
        form_id = self.form_ids.get(form, 0)
        shape_id = self.shape_ids.get(rules.shape(token, form), 0)
        flags = (
            (REPORTING if form in rules.reporting else 0)
            | (GENERIC if form in rules.generic else 0)
            | (PRONOUN if form in rules.pronouns else 0)
            | (UPPER if token[:1].isupper() else 0)
            | (CUE_START if form_id in self.cue_starts else 0)
        )
        for cue, _, bit in self.regex_cues:
            if cue.hint.search(token):
                flags |= bit
            if cue.companion.search(token):
                flags |= bit << 1
        return (form_id << (_SHAPE_BITS + _FLAG_BITS)) | (shape_id << _FLAG_BITS) | flags

    def _token_codes(self, tokens: list[str]) -> IntArray:
        """Return the packed code of every token, computing each new word once."""
        codes: list[int | None] = list(map(self._codes.get, tokens))
        if None in codes:
            if len(self._codes) > _CACHE_LIMIT:
                self._codes.clear()
            for i, code in enumerate(codes):
                if code is None:
                    token = tokens[i]
                    codes[i] = self._codes[token] = self._code(token)
        return np.array(codes, dtype=np.int64)

    # -- extraction -----------------------------------------------------------------------

    def extract(self, texts: Sequence[str]) -> Extraction:
        """Find every feature of every sentence and build the normalised tf-idf matrix."""
        if self._kernel is not None:
            return self._extract_compiled(texts, self._kernel)
        return self._extract_numpy(texts)

    def _extract_compiled(self, texts: Sequence[str], kernel: _KernelState) -> Extraction:
        """Extract with the C loops (tokens, hits, tf-idf cells); regex cues are scanned here."""
        code_bytes, count_bytes, joined = _kernels.token_codes(
            texts, kernel.cache, self._code, _CACHE_LIMIT, _FLAG_MASK
        )
        offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(np.frombuffer(count_bytes, dtype=np.int64), out=offsets[1:])
        span_rows, span_columns, span_starts, span_ends = self._regex_hits(
            texts, np.frombuffer(joined, dtype=np.int64)
        )
        while (
            found := _kernels.extract(
                code_bytes,
                count_bytes,
                kernel.spec,
                span_rows,
                span_columns,
                self.idf,
                self._log_table,
            )
        ) is None:
            # Some sentence repeats one feature more often than the table reaches.
            self._log_table = _one_plus_log(2 * len(self._log_table))
        first, stop, columns = (np.frombuffer(b, dtype=np.int64) for b in found[:3])
        data, indices, indptr = found[3:]
        matrix = sp.csr_matrix(
            (
                np.frombuffer(data, dtype=np.float32),
                np.frombuffer(indices, dtype=np.int32),
                np.frombuffer(indptr, dtype=np.int32),
            ),
            shape=(len(texts), self.n_columns),
            dtype=np.float32,
        )
        return Extraction(
            texts=texts,
            matrix=matrix,
            token_offsets=offsets,
            hit_columns=columns,
            hit_first=first,
            hit_stop=stop,
            span_rows=span_rows,
            span_columns=span_columns,
            span_starts=span_starts,
            span_ends=span_ends,
        )

    def _extract_numpy(self, texts: Sequence[str]) -> Extraction:
        """Extract with NumPy operations over the whole batch: the reference algorithm."""
        findall = self.rules.pattern.findall
        token_lists = [findall(text) for text in texts]
        lengths = np.fromiter(map(len, token_lists), dtype=np.int64, count=len(texts))
        offsets = np.zeros(len(texts) + 1, dtype=np.int64)
        np.cumsum(lengths, out=offsets[1:])
        codes = self._token_codes(list(chain.from_iterable(token_lists)))
        sentence_of = np.repeat(np.arange(len(texts), dtype=np.int64), lengths)
        form_ids = codes >> (_SHAPE_BITS + _FLAG_BITS)
        shape_ids = (codes >> _FLAG_BITS) & _SHAPE_MASK
        flags = codes & _FLAG_MASK

        found = _Hits()
        unigrams = self.unigram_columns[form_ids]
        positions = np.flatnonzero(unigrams >= 0)
        found.add(positions, unigrams[positions], 1)
        prefixes: IntArray | None = positions
        for table in self.word_tables:
            prefixes = self._ngram_hits(
                found, table, form_ids, self.form_base, sentence_of, prefixes
            )
        prefixes = None
        for table in self.shape_tables:
            prefixes = self._ngram_hits(
                found, table, shape_ids, self.shape_base, sentence_of, prefixes
            )
        ends = offsets[1:][sentence_of]
        self._cue_hits(found, form_ids, flags, ends)
        self._attribution_hits(found, flags, offsets[:-1][sentence_of], ends)
        first = found.first()
        hit_columns = found.columns()
        sentence_flags = np.zeros(len(texts), dtype=np.int64)
        np.bitwise_or.at(sentence_flags, sentence_of, flags)
        span_rows, span_columns, span_starts, span_ends = self._regex_hits(texts, sentence_flags)
        matrix = self._matrix(
            np.concatenate([sentence_of[first], span_rows]),
            np.concatenate([hit_columns, span_columns]),
            len(texts),
        )
        return Extraction(
            texts=texts,
            matrix=matrix,
            token_offsets=offsets,
            hit_columns=hit_columns,
            hit_first=first,
            hit_stop=found.stop(),
            span_rows=span_rows,
            span_columns=span_columns,
            span_starts=span_starts,
            span_ends=span_ends,
        )

    def _ngram_hits(
        self,
        found: _Hits,
        table: NgramTable,
        ids: IntArray,
        base: int,
        sentence_of: IntArray,
        prefixes: IntArray | None,
    ) -> IntArray:
        """Add the table's n-grams found in ids; return where they start, for the next length."""
        # Every kept n-gram's (n-1)-token prefix is kept too (it is at least as frequent and
        # sorts first), so only positions where the prefix was found can hold an n-gram.
        positions, columns = _lookup(
            table, ids, base, sentence_of, prefixes if self.prefix_closed else None
        )
        found.add(positions, columns, table.n)
        return positions

    def _cue_hits(self, found: _Hits, form_ids: IntArray, flags: IntArray, ends: IntArray) -> None:
        """Add a hit for every lexicon phrase: walk the phrase trie from every cue start at once."""
        starts = np.flatnonzero(flags & CUE_START)
        nodes = np.zeros(len(starts), dtype=np.int64)
        position = starts.copy()
        limit = ends[starts]
        while len(starts):
            inside = position < limit
            starts, nodes, position, limit = (
                starts[inside],
                nodes[inside],
                position[inside],
                limit[inside],
            )
            nodes = self.cues.edges.find(nodes * self.cues.base + form_ids[position])
            walking = nodes >= 0
            starts, nodes, position, limit = (
                starts[walking],
                nodes[walking],
                position[walking] + 1,
                limit[walking],
            )
            columns, owner = self.cues.columns_of(nodes)
            found.add_spans(starts[owner], position[owner], columns)

    def _attribution_hits(
        self, found: _Hits, flags: IntArray, starts: IntArray, ends: IntArray
    ) -> None:
        """Add an attribution hit for every reporting verb: who it credits, and where."""
        verbs = np.flatnonzero(flags & REPORTING)
        if not len(verbs):
            return
        flag_list = flags.tolist()
        firsts: list[int] = []
        stops: list[int] = []
        columns: list[int] = []
        for verb, start, end in zip(
            verbs.tolist(), starts[verbs].tolist(), ends[verbs].tolist(), strict=True
        ):
            kind, source = _attribution_subject(flag_list, verb, start, end)
            column = self.attr_columns[kind]
            if column >= 0:
                firsts.append(min(verb, source))
                stops.append(max(verb, source) + 1)
                columns.append(column)
        found.add_ranges(firsts, stops, columns)

    def _regex_hits(
        self, texts: Sequence[str], sentence_flags: IntArray
    ) -> tuple[IntArray, IntArray, IntArray, IntArray]:
        """Return (row, column, start, end) of every regex cue match, in sentence offsets.

        sentence_flags holds, per sentence, the OR of its tokens' flags.
        """
        rows: list[IntArray] = []
        columns: list[IntArray] = []
        starts: list[IntArray] = []
        ends: list[IntArray] = []
        for cue, column, bit in self.regex_cues:
            both = bit | bit << 1  # a token matching the hint and one matching the companion
            scanned = np.flatnonzero((sentence_flags & both) == both)
            if not len(scanned):
                continue
            # One scan over the hinted sentences joined by NUL: the cue patterns match neither
            # NUL nor across it, so no match straddles two sentences and offsets map back.
            chosen = [texts[i] for i in scanned.tolist()]
            bases = np.zeros(len(chosen), dtype=np.int64)
            np.cumsum([len(t) + 1 for t in chosen[:-1]], out=bases[1:])
            spans = [m.span() for m in cue.pattern.finditer("\0".join(chosen))]
            if not spans:
                continue
            span_array = np.array(spans, dtype=np.int64)
            located = np.searchsorted(bases, span_array[:, 0], side="right") - 1
            rows.append(scanned[located])
            columns.append(np.full(len(spans), column, dtype=np.int64))
            starts.append(span_array[:, 0] - bases[located])
            ends.append(span_array[:, 1] - bases[located])
        return _concat(rows), _concat(columns), _concat(starts), _concat(ends)

    def _matrix(self, rows: IntArray, columns: IntArray, n_rows: int) -> sp.csr_matrix:
        """Count hits per (row, column) into a sublinear tf-idf matrix with unit-length rows."""
        # A stable sort: hits arrive in runs of rising keys, which it merges far faster than
        # np.unique's quicksort sorts them.
        keys = np.sort(rows * self.n_columns + columns, kind="stable")
        is_start = np.empty(len(keys), dtype=bool)
        is_start[:1] = True  # the first key, if any, starts a cell
        np.not_equal(keys[1:], keys[:-1], out=is_start[1:])
        starts = np.flatnonzero(is_start)
        cells = keys[starts]
        counts = np.diff(np.append(starts, len(keys)))
        cell_rows = cells // self.n_columns
        cell_columns = cells % self.n_columns
        values = (1.0 + np.log(counts.astype(np.float32))) * self.idf[cell_columns]
        norms = np.sqrt(np.bincount(cell_rows, weights=values * values, minlength=n_rows))
        norms[norms == 0] = 1.0
        data = (values / norms[cell_rows]).astype(np.float32)
        indptr = np.searchsorted(cell_rows, np.arange(n_rows + 1)).astype(np.int32)
        return sp.csr_matrix(
            (data, cell_columns.astype(np.int32), indptr),
            shape=(n_rows, self.n_columns),
            dtype=np.float32,
        )


@dataclass(frozen=True)
class CueTrie:
    """Lexicon phrases as a trie over form ids: edges in a hash table, columns per node."""

    base: int
    edges: NgramTable  # key parent * base + form id, value: the child node
    column_starts: IntArray  # node k's columns are columns[column_starts[k]:column_starts[k + 1]]
    columns: IntArray

    @classmethod
    def build(cls, phrases: Mapping[tuple[int, ...], Sequence[int]], base: int) -> CueTrie:
        """Number the trie's nodes in sorted phrase order (the root is 0)."""
        children: dict[tuple[int, int], int] = {}
        node_columns: list[list[int]] = [[]]
        for phrase in sorted(phrases):
            node = 0
            for form_id in phrase:
                child = children.get((node, form_id))
                if child is None:
                    child = children[(node, form_id)] = len(node_columns)
                    node_columns.append([])
                node = child
            node_columns[node].extend(phrases[phrase])
        keys = np.array([parent * base + f for parent, f in children], dtype=np.int64)
        nodes = np.array(list(children.values()), dtype=np.int64)
        order = np.argsort(keys)
        counts = np.array([len(c) for c in node_columns], dtype=np.int64)
        return cls(
            base=base,
            edges=NgramTable.build(0, keys[order], nodes[order]),
            column_starts=np.concatenate([[0], np.cumsum(counts)]).astype(np.int64),
            columns=np.array([c for cs in node_columns for c in cs], dtype=np.int64),
        )

    def columns_of(self, nodes: IntArray) -> tuple[IntArray, IntArray]:
        """Return the columns the nodes end, and for each the index of its node in nodes."""
        counts = self.column_starts[nodes + 1] - self.column_starts[nodes]
        owner = np.repeat(np.arange(len(nodes)), counts)
        within = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
        return self.columns[self.column_starts[nodes][owner] + within], owner


class _Hits:
    """Accumulate token-range hits as arrays, one chunk per kind of feature."""

    def __init__(self) -> None:
        self._first: list[IntArray] = []
        self._stop: list[IntArray] = []
        self._columns: list[IntArray] = []

    def add(self, positions: IntArray, columns: IntArray, n: int) -> None:
        """Add n-token hits starting at positions."""
        self._first.append(positions)
        self._stop.append(positions + n)
        self._columns.append(columns)

    def add_ranges(self, firsts: list[int], stops: list[int], columns: list[int]) -> None:
        """Add hits with their own token ranges."""
        self.add_spans(
            np.array(firsts, dtype=np.int64),
            np.array(stops, dtype=np.int64),
            np.array(columns, dtype=np.int64),
        )

    def add_spans(self, firsts: IntArray, stops: IntArray, columns: IntArray) -> None:
        """Add hits with their own token ranges, given as arrays."""
        self._first.append(firsts)
        self._stop.append(stops)
        self._columns.append(columns)

    def first(self) -> IntArray:
        """Return the first token of every hit."""
        return _concat(self._first)

    def stop(self) -> IntArray:
        """Return one past the last token of every hit."""
        return _concat(self._stop)

    def columns(self) -> IntArray:
        """Return the column of every hit."""
        return _concat(self._columns)


def _concat(chunks: list[IntArray]) -> IntArray:
    """Concatenate int64 chunks (an empty list gives an empty array)."""
    return np.concatenate(chunks).astype(np.int64) if chunks else np.zeros(0, dtype=np.int64)


def _packed_slots(table: NgramTable, column_bits: int) -> IntArray | None:
    """Return the table's slots as key << column_bits | column (-1 empty), or None if too wide."""
    held = table.slot_keys >= 0
    widest = int(table.slot_keys[held].max()).bit_length() if held.any() else 0
    if widest + column_bits > _PACKED_BITS:
        return None
    packed: IntArray = np.where(
        held, (table.slot_keys << column_bits) | table.slot_columns, np.int64(-1)
    )
    return packed


def _one_plus_log(size: int) -> NDArray[np.float32]:
    """Return 1 + log(k) in float32 for k below size (entry 0 unused), as _matrix computes it."""
    table = np.zeros(size, dtype=np.float32)
    table[1:] = 1.0 + np.log(np.arange(1, size, dtype=np.float32))
    return table


def _ids(values: set[str]) -> dict[str, int]:
    """Number values from 1 in sorted order (0 stands for every unknown value)."""
    return {value: i for i, value in enumerate(sorted(values), start=1)}


def _split(features: Sequence[str]) -> tuple[list[str], IntArray]:
    """Return the words of all space-joined features in one flat list, and each one's length."""
    # One join and one split: a list per feature would wake the garbage collector thousands of times.
    lengths = np.fromiter((f.count(" ") + 1 for f in features), dtype=np.int64, count=len(features))
    return (" ".join(features).split(" ") if features else []), lengths


def _keys_by_length(
    parts: Sequence[str],
    lengths: IntArray,
    columns: Sequence[int],
    ids: Mapping[str, int],
    base: int,
) -> dict[int, tuple[IntArray, IntArray]]:
    """Return, per n-gram length in rising order, the sorted integer keys and their columns."""
    part_ids = np.fromiter(map(ids.__getitem__, parts), dtype=np.int64, count=len(parts))
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]]).astype(np.int64)
    all_columns = np.asarray(columns, dtype=np.int64)
    groups = {}
    for n in np.unique(lengths).tolist():
        if base**n >= _KEY_LIMIT:
            raise ValueError("n-grams too long for 64-bit keys")
        members = np.flatnonzero(lengths == n)
        grams = part_ids[starts[members][:, None] + np.arange(n)]
        keys = grams[:, 0].copy()
        for k in range(1, n):
            keys = keys * base + grams[:, k]
        order = np.argsort(keys, kind="stable")
        groups[n] = (keys[order], all_columns[members][order])
    return groups


# Fibonacci hashing: multiply by 2**64 / golden ratio and keep the top bits.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)


def _hash(keys: IntArray, bits: int) -> IntArray:
    """Return each key's home slot in a table of 2**bits slots."""
    spread = keys.astype(np.uint64) * _GOLDEN  # wraps modulo 2**64, as intended
    return (spread >> np.uint64(64 - bits)).astype(np.int64)


def _prefix_closed(groups: Mapping[int, tuple[IntArray, IntArray]], base: int) -> bool:
    """Tell whether every n-gram's (n-1)-token prefix is itself kept, for each n after the first."""
    lengths = list(groups)
    for shorter, n in pairwise(lengths):
        if n != shorter + 1 or not np.isin(groups[n][0] // base, groups[shorter][0]).all():
            return False
    return True


def _lookup(
    table: NgramTable,
    ids: IntArray,
    base: int,
    sentence_of: IntArray,
    candidates: IntArray | None,
) -> tuple[IntArray, IntArray]:
    """Return the start positions and columns of the table's n-grams found in ids."""
    n = table.n
    count = len(ids) - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    if candidates is None:
        # Unknown words (id 0) never occur in a kept n-gram.
        known = ids[:count] > 0
        for k in range(1, n):
            known &= ids[k : k + count] > 0
        candidates = np.flatnonzero(known)
    else:
        candidates = candidates[candidates < count]
        candidates = candidates[ids[candidates + (n - 1)] > 0]
    # An n-gram must lie inside one sentence.
    candidates = candidates[sentence_of[candidates] == sentence_of[candidates + (n - 1)]]
    keys = ids[candidates]
    for k in range(1, n):
        keys = keys * base + ids[candidates + k]
    columns = table.find(keys)
    hit = columns >= 0
    return candidates[hit], columns[hit]


def _attribution_subject(flags: Sequence[int], verb: int, start: int, end: int) -> tuple[str, int]:
    """Classify who a reporting verb credits (vague, named, pronoun, none) and where it stands."""
    window = [*range(max(start, verb - 4), verb), *range(verb + 1, min(end, verb + 4))]
    for j in window:
        if flags[j] & GENERIC:
            return "vague", j
    for j in window:
        if flags[j] & UPPER and j > start and not flags[j] & REPORTING:
            return "named", j
    for j in window:
        if flags[j] & PRONOUN:
            return "pronoun", j
    return "none", verb
