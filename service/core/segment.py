"""Split text into sentences with exact code-point offsets.

The splitter works in two passes, both driven by compiled regular expressions:

1. *Units*: each block is cut at hard breaks — a blank line (paragraph break), a form feed or
   U+2029, a line break before a list item (``- ``, ``* ``, ``• ``, ``1. ``, ``a) ``, ``(2) ``), and
   the first unindented line after a list item.  No sentence ever crosses a unit.
2. *Sentence ends* inside a unit: a run of terminators (``. ! ? … ‼ ؟ ।`` …) followed by optional
   closing quotes/brackets and whitespace, judged by the character after the whitespace; or a CJK
   full stop (``。！？｡``), which ends a sentence even with no space after it.

A terminator followed by whitespace ends a sentence unless the next character is lowercase (or
``, ; :`` or another terminator).  A line break after a terminator ends the sentence whatever
follows, except after an abbreviation or an ellipsis.  A single period is also checked against the
word before it:

* titles (``Dr. Mr. Gen. Sen. Lt. Col.`` …) and continuations (``e.g. i.e. vs. cf.``) never end one;
* ``No. Vol. Fig. pp.`` and months (``Jan. Sept.``) do not end one before a digit;
* ambiguous abbreviations (``Inc. Corp. Ltd. Jr. etc. a.m. p.m. St.``), dotted acronyms (``U.S.``)
  and initials (``J.``) end one only before a frequent sentence starter (``The``, ``He``, ``But`` …)
  or an opening quote, so "U.S. officials", "U.S. Senate" and "J. K. Rowling" stay whole.

"Whitespace" is :meth:`str.isspace` plus the invisible U+200B, U+2060 and U+FEFF (a BOM must not
start a sentence).  Every regular expression is linear: repeated classes are possessive and runs are
only tried from their first character, so adversarial inputs cannot make them backtrack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["WHITESPACE", "Sentence", "split_sentences"]


def _words(words: str) -> frozenset[str]:
    """Return the space-separated words of a literal as a set."""
    return frozenset(words.split())


# Every character str.isspace() accepts (Python 3.11), plus invisible characters we treat alike.
_ISSPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
    "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
)
WHITESPACE = _ISSPACE + "\u200b\u2060\ufeff"
_LINE_BREAKS = "\n\x0b\x0c\r\x1c\x1d\x1e\x85\u2028\u2029"
_HORIZONTAL = "".join(c for c in WHITESPACE if c not in _LINE_BREAKS)

_WS = f"[{re.escape(WHITESPACE)}]"
_H = f"[{re.escape(_HORIZONTAL)}]"
_LB = f"(?:\r\n|[{re.escape(_LINE_BREAKS)}])"

_TERMINATORS = ".!?…‼⁇⁈⁉؟۔।॥։።"
_CJK_STOPS = "。！？｡"
# Closers that may follow a terminator directly, or (the unambiguous ones) after a space.
_CLOSE_ADJACENT = "\"'’»›”)]}」』）】〕〉》"
_CLOSE_SPACED = "”)]}」』）】〕〉》"
_OPENERS = "\"'“‘«‹([{¿¡"
_QUOTES = '"“‘«'
_NO_BREAK_NEXT = frozenset(",;:" + _TERMINATORS)

_MARKER = r"(?:[-*+•‣◦▪▫●○■□–—·⁃]|\d{1,3}[.)]|[a-z][.)]|\(\d{1,3}\)|\([a-z]\))" + f"(?={_H})"
_MARKER_AT = re.compile(f"{_H}*+{_MARKER}{_H}*+")
# Every pattern starts with a character class so the engine can skip ahead to candidates in C.
# Possessive: once \r\n is one token, backtracking must not split it into two breaks.
_LB_TOKEN = f"[{re.escape(_LINE_BREAKS)}](?:(?<=\r)\n)?+"
_HARD_BREAK = re.compile(
    f"{_LB_TOKEN}(?:"
    f"(?:{_H}*+{_LB_TOKEN})++"  # blank line(s)
    f"|(?={_H}*+{_MARKER})"  # a list item starts on the next line
    "|(?<=[\x0c\u2029])"  # form feed or paragraph separator
    ")"
)
_UNINDENTED_LINE = re.compile(f"{_LB_TOKEN}(?=[^{re.escape(WHITESPACE)}])")
_HAS_LINE_BREAK = re.compile(f"[{re.escape(_LINE_BREAKS)}]")

_ALL_STOPS = re.escape(_TERMINATORS + _CJK_STOPS)
_CANDIDATE = re.compile(
    # A run of terminators, tried only from its first character so long runs stay linear.
    f"(?P<term>[{_ALL_STOPS}](?<![{_ALL_STOPS}].)[{_ALL_STOPS}]*+)"
    f"(?P<close>(?:{_WS}*+[{re.escape(_CLOSE_SPACED)}]|[{re.escape(_CLOSE_ADJACENT)}])*+)"
    # Whitespace or the end; a CJK stop (or CJK closer) needs neither.
    f"(?:(?P<ws>{_WS}++)|\\Z|(?<=[{_CJK_STOPS}」』）】〕〉》]))"
)
_WORD = re.compile(r"[^\W\d_]++")
_DOTTED = re.compile(r"(?:[^\W\d_]\.)+[^\W\d_]")

# Abbreviations, compared lowercased and without the final period.
_TITLES = _words(
    "mr mrs ms messrs mme mlle dr prof gen sen rep gov col lt sgt capt maj cmdr adm brig cpl pvt"
    " rev hon pres supt atty det insp fr gens sens reps govs cols lts"
)
_CONTINUATIONS = _words("e.g i.e vs cf viz approx incl esp resp")
_NUMBERED = _words("no nos vol vols fig figs pp art arts sec ch")
_MONTHS = _words("jan feb mar apr jun jul aug sep sept oct nov dec")
_AMBIGUOUS = _words(
    "inc corp ltd co jr sr etc llc plc bros dept univ assn est st ave blvd rd mt ft al"
    " a.m p.m u.s u.k u.n e.u d.c u.s.a ph.d"
    # US state abbreviations of datelines ("PORTLAND, Ore. (AP)"), minus those that are words.
    " ala ariz ark calif colo conn fla kan ky md mich minn mont neb nev okla ore pa tenn tex va vt"
    " wis wyo"
)
# Words that commonly open a sentence: after an ambiguous abbreviation they signal a boundary.
_STARTERS = _words(
    "The A An This That These Those There Here It Its He She They We I You His Her Their Our My"
    " Your But And Or So Yet Nor For In On At By With From To Of As If When While After Before"
    " Since Although Though Because However Meanwhile Moreover Still Then Now Some Many Most Both"
    " Each Every All No Not One Such What Who Which Where Why How According Earlier Later Last"
    " Next Also Instead Even Only Asked"
)
_TITLE, _CONTINUATION, _NUMBERED_KIND, _MONTH, _AMBIGUOUS_KIND, _PLAIN = range(6)


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its position in the document and its exact source span."""

    index: int
    start: int
    end: int
    text: str


def split_sentences(text: str, blocks: Sequence[tuple[int, int]] | None = None) -> list[Sentence]:
    """Split text into sentences; with blocks, split only inside each block, never across blocks.

    blocks are (start, end) offsets, in order and disjoint; a ValueError names any that are not.
    """
    n = len(text)
    spans: list[tuple[int, int]] = [(0, n)] if blocks is None else _checked_blocks(blocks, n)
    out: list[Sentence] = []
    for block_start, block_end in spans:
        unit_start = block_start
        for sep in _HARD_BREAK.finditer(text, block_start, block_end):
            _split_unit(text, unit_start, sep.start(), out)
            unit_start = sep.end()
        _split_unit(text, unit_start, block_end, out)
    return out


def _checked_blocks(blocks: Sequence[tuple[int, int]], n: int) -> list[tuple[int, int]]:
    """Return blocks as a list after checking they are in bounds, ordered and disjoint."""
    checked: list[tuple[int, int]] = []
    previous_end = 0
    for start, end in blocks:
        if not 0 <= start <= end <= n or start < previous_end:
            raise ValueError(
                f"block ({start}, {end}) is out of bounds, out of order or overlapping"
            )
        checked.append((start, end))
        previous_end = end
    return checked


def _split_unit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    """Append the sentences of one unit (a paragraph, list item or line of a list) to out."""
    if start >= end:
        return
    scan_from = start
    marker = _MARKER_AT.match(text, start, end)
    if marker is not None:
        # A list item: its marker is not a sentence end, and an unindented line closes the item.
        scan_from = marker.end()
        line = _UNINDENTED_LINE.search(text, scan_from, end)
        if line is not None:
            _scan(text, start, scan_from, line.start(), out)
            _scan(text, line.end(), line.end(), end, out)
            return
    _scan(text, start, scan_from, end, out)


def _scan(text: str, start: int, scan_from: int, end: int, out: list[Sentence]) -> None:
    """Cut text[start:end] at sentence ends found from scan_from on and append the pieces."""
    pos = start
    for m in _CANDIDATE.finditer(text, scan_from, end):
        after = m.end()
        if after >= end:
            break
        term_start, term_end = m.span("term")
        if (
            text[term_start] in _CJK_STOPS
            or text[term_end - 1] in _CJK_STOPS
            or _is_boundary(text, start, m, after)
        ):
            _emit(text, pos, m.end("close"), out)
            pos = after
    _emit(text, pos, end, out)


def _is_boundary(text: str, unit_start: int, m: re.Match[str], after: int) -> bool:
    """Decide whether the terminator run in m ends a sentence, given the character at after."""
    nxt = text[after]
    if nxt in _NO_BREAK_NEXT:
        return False
    term_start, term_end = m.span("term")
    ws_start = m.start("ws")
    if ws_start < 0:
        return False  # a Latin terminator glued to the next character, as in 3.5 or U.S.
    newline = text[ws_start] != " " and _HAS_LINE_BREAK.search(text, ws_start, after) is not None
    if term_end - term_start == 1 and text[term_start] == ".":
        kind = _abbreviation_kind(text, unit_start, term_start)
        if kind == _PLAIN:
            return newline or not nxt.islower()
        if kind in (_TITLE, _CONTINUATION):
            return False
        if kind == _NUMBERED_KIND:
            return not nxt.isdigit() and (newline or not nxt.islower())
        if kind == _MONTH and nxt.isdigit():
            return False
        return _starts_sentence(text, after)
    if "." in text[term_start:term_end] or "…" in text[term_start:term_end]:
        return not nxt.islower()  # an ellipsis before a lowercase word trails off mid-sentence
    return newline or not nxt.islower()


def _abbreviation_kind(text: str, unit_start: int, dot: int) -> int:
    """Classify the word that ends with the period at dot."""
    lo = dot - 16 if dot - 16 > unit_start else unit_start
    window = text[lo:dot]
    if not window or window[-1] in WHITESPACE:
        return _PLAIN
    parts = window.split()
    if len(parts) == 1 and lo > unit_start and text[lo - 1] not in WHITESPACE:
        return _PLAIN  # longer than any abbreviation
    core = parts[-1].lstrip(_OPENERS)
    low = core.lower()
    if low in _TITLES:
        return _TITLE
    if low in _CONTINUATIONS:
        return _CONTINUATION
    if low in _NUMBERED:
        return _NUMBERED_KIND
    if low in _MONTHS:
        return _MONTH
    if low in _AMBIGUOUS or (len(core) == 1 and core.isalpha()):
        return _AMBIGUOUS_KIND
    if "." in core and _DOTTED.fullmatch(core) is not None:
        return _AMBIGUOUS_KIND
    return _PLAIN


def _starts_sentence(text: str, pos: int) -> bool:
    """Tell whether the word at pos looks like the first word of a new sentence."""
    if text[pos] in _QUOTES:
        return True
    word = _WORD.match(text, pos)
    if word is None or word.group() not in _STARTERS:
        return False
    # "S. I. Hayakawa": a one-letter starter followed by a period is another initial.
    return not (word.end() - pos == 1 and text.startswith(".", word.end()))


def _emit(text: str, start: int, end: int, out: list[Sentence]) -> None:
    """Append text[start:end] without surrounding whitespace as a sentence, if anything is left."""
    piece = text[start:end]
    if not piece:
        return
    if piece[0] in WHITESPACE or piece[-1] in WHITESPACE:
        stripped = piece.lstrip(WHITESPACE)
        start += len(piece) - len(stripped)
        piece = stripped.rstrip(WHITESPACE)
        if not piece:
            return
        end = start + len(piece)
    out.append(Sentence(len(out), start, end, piece))
