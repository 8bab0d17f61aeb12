"""Prose views of plain text, Markdown and HTML, with every offset in the original text.

``prose_view(text, fmt)`` returns a :class:`ProseView`:

* ``masked`` has the length of ``text``.  Prose characters are copied; everything else becomes a
  space, except ``\\r`` and ``\\n``, which are kept so lines stay lines.
* ``blocks`` are the block-level prose regions — paragraphs, headings, each list item's paragraphs,
  block-quote paragraphs, each table cell, the text between HTML block elements — as ordered,
  disjoint ``(start, end)`` offsets trimmed to their first and last non-blank masked character.

Callers run ``split_sentences(view.masked, view.blocks)``, show ``text[s.start:s.end]`` to users and
give ``view.masked[s.start:s.end]`` to the model.

What counts as prose:

* ``plain``: everything; ``masked == text`` and one block spans the text without its leading and
  trailing whitespace (the splitter finds the paragraphs itself).
* ``markdown`` (CommonMark plus tables and ``~~strike~~``, parsed by markdown-it-py): the text of
  paragraphs, headings and table cells, and the alt text of images.  Masked: YAML (``---``) and TOML
  (``+++``) front matter, code blocks and spans, HTML blocks and inline HTML (comments included),
  link destinations, titles and reference labels, autolinks, reference definitions, block markers
  (``#``, ``>``, bullets, table pipes, delimiter rows), emphasis delimiters and the backslash of an
  escape.
* ``html``: text nodes, except inside ``script``, ``style``, ``code``, ``pre``, ``head`` and similar
  non-prose elements.  Tags, attributes, comments and declarations are masked.  The tokeniser is a
  small linear one written here, following the HTML5 rules that matter for offsets (a tag or
  comment left open runs to the end of the document; ``script``/``style`` are raw text), instead of
  :mod:`html.parser`: on Python 3.11 that parser takes quadratic time on unterminated constructs
  (45 s for 90 kB of ``<a b='``) and raises on ``<![x``, and both are reachable from a request.

Bare URLs (``http://``, ``https://``, ``ftp://``, ``www.``) in Markdown or HTML prose are masked.

Character references (``&amp;``, ``&nbsp;``, ``&#8217;``; Markdown entities too) stay untouched in
the source.  In ``masked`` each is replaced by its decoded character repeated over the reference's
length (``&#8217;`` becomes ``’’’’’’’``), or by spaces when it decodes to whitespace (``&nbsp;``).
Repeating the character instead of padding with spaces means no sentence can start or end in the
middle of a reference, so ``text[s.start:s.end]`` always shows whole references; the model sees a
repeated punctuation mark, which word features ignore.

``html_comments(text, fmt)`` lists the comments of a Markdown or HTML document, so suppression
comments can be read even though they are masked.
"""

from __future__ import annotations

import html
import re
import types
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination, parseLinkLabel, parseLinkTitle
from markdown_it.rules_inline import StateInline, emphasis
from markdown_it.token import Token

from service.core.collector import collector_paused
from service.core.segment import WHITESPACE

__all__ = ["Format", "ProseView", "html_comments", "prose_view"]

Format = Literal["plain", "markdown", "html"]


def _words(words: str) -> frozenset[str]:
    """Return the space-separated words of a literal as a set."""
    return frozenset(words.split())


# markdown-it gives up on a link destination once more than this many "(" are open in it.
_MAX_DESTINATION_DEPTH = 32
# From a destination's start: that many "(" and one more, before any space, control character,
# backslash or ")" (the only other characters the library's destination parser acts on).
_TOO_DEEP_DESTINATION = re.compile(rf"(?:[^\x00-\x20\x7f\\()]*+\(){{{_MAX_DESTINATION_DEPTH + 1}}}")


def _last_index(state: StateInline, term: str) -> int:
    """Return where term last occurs in the inline source, cached per state where supported."""
    cached = getattr(state, "html_terminator_last", None)  # markdown-it-py >= 4.3
    return int(cached(term)) if cached is not None else state.src.rfind(term)


def _parse_link_label(state: StateInline, start: int, disable_nested: bool = False) -> int:
    """Return markdown-it's parseLinkLabel, answering -1 at once when no "]" follows start.

    Without a "]" a label cannot close, yet the library walks every token to the end of the
    paragraph for each "[" (about 10 µs a character on a run of brackets).  That walk only fills
    its lookahead cache, for positions past the last "]", which only later label walks read, and
    those cannot find a "]" there either; so skipping it changes no token.
    """
    if _last_index(state, "]") <= start:
        return -1
    return parseLinkLabel(state, start, disable_nested)


def _parse_link_destination(string: str, pos: int, maximum: int) -> object:
    """Return markdown-it's parseLinkDestination, failing at once where it would fail slowly.

    The library reads a bare destination one character at a time and fails once more than 32 "("
    are open, so on a run of "[a](" every link opener reads 33 units before failing.  Here one
    regular expression sees that failure coming, and the answer is the library's own failure
    result: its parser over an empty range.
    """
    if (
        maximum <= len(string)
        and not string.startswith("<", pos)
        and _TOO_DEEP_DESTINATION.match(string, pos, maximum) is not None
    ):
        return parseLinkDestination(string, pos, pos)
    return parseLinkDestination(string, pos, maximum)


def _markdown_parser() -> MarkdownIt:
    """Return the CommonMark parser (plus tables and strikethrough), with three shortcuts.

    None changes a token.  Link labels with no "]" after them and link destinations with too many
    "(" fail at once (see the two functions above).  The emphasis rule runs first: it takes only
    "*" and "_", outside lookahead, and the rules it now precedes never take those (the text rule
    stops at both; newline, escape, backtick and strikethrough each need another character), so
    every position still goes to the same rule, minus five calls per delimiter.  On 100,000
    characters the prose view of "[" drops from 1.0 s to 0.19 s, "[a](" from 0.52 s to 0.19 s and
    "*_" from 0.79 s to 0.46 s (with the collector paused).
    """
    md = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join")
    helpers = types.ModuleType(f"{__name__}.link_helpers")
    helpers.__dict__.update(
        parseLinkLabel=_parse_link_label,
        parseLinkDestination=_parse_link_destination,
        parseLinkTitle=parseLinkTitle,
    )
    md.helpers = helpers
    md.inline.ruler.disable("emphasis")
    md.inline.ruler.before("text", "emphasis_first", emphasis.tokenize)
    return md


_MD = _markdown_parser()
_LINE_END = re.compile(r"\r\n|\r|\n")
_NOT_NEWLINE_RUN = re.compile(r"[^\r\n]+")
_KEPT_RUN = re.compile(rb"\x01+")
_SPACES = re.compile(r"[ \t\n]*+")
_URL = re.compile(r"(?<![\w@/.])(?:(?:https?|ftp)://|www\.)[^\s<>\"'`]++", re.IGNORECASE)
_URL_TRAILING = ".,;:!?'\"”’*_"
# HTML constructs start with "<" and a letter, "/", "!" or "?"; a lone "<" is text.
_HTML_MARKUP = re.compile(r"<[a-zA-Z/!?]")
_HTML_TAG = re.compile(
    r"<(?P<slash>/?)(?P<name>[a-zA-Z][^\s/>]*+)"
    # Attributes: quotes only open after "=", and an unclosed quote runs to the end.
    r"(?P<attrs>(?:[^>\"'=]++|=\s*+(?:\"[^\"]*+\"?|'[^']*+'?|[^\s>]*+)|[\"'])*+)"
    r"(?P<close>>)?"
)
_HTML_COMMENT_END = re.compile(r"--!?>")
_HTML_REFERENCE = re.compile(
    r"&(?:#[0-9]{1,7};?|#[xX][0-9a-fA-F]{1,6};?|[a-zA-Z][a-zA-Z0-9]{1,31};)"
)
_HTML_RAW_TEXT_TAGS = _words("script style textarea title xmp iframe noembed noframes")
_HTML_BLOCK_TAGS = _words(
    "address article aside blockquote body br caption dd details dialog div dl dt fieldset"
    " figcaption figure footer form h1 h2 h3 h4 h5 h6 header hr html legend li main nav ol option"
    " p pre section summary table tbody td tfoot th thead tr ul"
)
_HTML_HIDDEN_TAGS = _words(
    "button canvas code head iframe kbd math noscript object pre samp script select style svg"
    " template textarea title"
)
_HTML_VOID_TAGS = _words("area base br col embed hr img input link meta param source track wbr")


@dataclass(frozen=True, slots=True)
class ProseView:
    """The source with non-prose characters blanked, and its block-level prose regions."""

    masked: str
    blocks: tuple[tuple[int, int], ...]


@dataclass(slots=True)
class _Layout:
    """What a format parser found: prose characters, references, blocks and comments."""

    keep: bytearray
    fills: list[tuple[int, int, str]] = field(default_factory=list)
    blocks: list[tuple[int, int]] = field(default_factory=list)
    comments: list[tuple[int, int, str]] = field(default_factory=list)

    def keep_prose(self, text: str, start: int, end: int) -> None:
        """Mark text[start:end] as prose, leaving out bare URLs."""
        if text.find("://", start, end) < 0 and text.find("www.", start, end) < 0:
            self.keep[start:end] = b"\x01" * (end - start)  # the common case, found in C
            return
        for url in _URL.finditer(text, start, end):
            self.keep[start : url.start()] = b"\x01" * (url.start() - start)
            start = _url_end(url.group(), url.start())
        self.keep[start:end] = b"\x01" * (end - start)


def _url_end(url: str, start: int) -> int:
    """Return where a bare URL ends once trailing punctuation and unmatched ")" are dropped."""
    end = len(url)
    unmatched = url.count(")") - url.count("(")
    while end:
        last = url[end - 1]
        if last in _URL_TRAILING:
            end -= 1
        elif last == ")" and unmatched > 0:
            end -= 1
            unmatched -= 1
        else:
            break
    return start + end


def prose_view(text: str, fmt: Format) -> ProseView:
    """Return the prose view of text written in fmt."""
    if fmt == "plain":
        return ProseView(text, _trimmed_blocks(text, [(0, len(text))]))
    if fmt == "markdown":
        return _render(text, _markdown_layout(text))
    if fmt == "html":
        return _render(text, _html_layout(text))
    raise ValueError(f"unknown format {fmt!r}")


def html_comments(
    text: str, fmt: Literal["markdown", "html"] = "html"
) -> list[tuple[int, int, str]]:
    """Return (start, end, inner text) of each HTML comment, skipping any inside Markdown code."""
    layout = _markdown_layout(text) if fmt == "markdown" else _html_layout(text)
    return sorted(layout.comments)


def _render(text: str, layout: _Layout) -> ProseView:
    """Build the masked text and the trimmed, ordered blocks from a layout."""
    keep = layout.keep
    for start, end, _ in layout.fills:
        keep[start:end] = bytes(end - start)
    spans: list[tuple[int, int, str | None]] = [
        (m.start(), m.end(), None) for m in _KEPT_RUN.finditer(keep)
    ]
    spans.extend(layout.fills)
    spans.sort(key=lambda span: span[0])
    pieces: list[str] = []
    last = 0
    for start, end, replacement in spans:
        if start < last:
            continue
        pieces.append(_blank(text[last:start]))
        pieces.append(text[start:end] if replacement is None else _fill(replacement, end - start))
        last = end
    pieces.append(_blank(text[last:]))
    masked = "".join(pieces)
    return ProseView(masked, _trimmed_blocks(masked, layout.blocks))


def _blank(chunk: str) -> str:
    """Replace every character but line breaks with a space."""
    return _NOT_NEWLINE_RUN.sub(lambda m: " " * (m.end() - m.start()), chunk)


def _fill(decoded: str, length: int) -> str:
    """Spread a decoded character reference over the reference's length."""
    if not decoded or decoded.isspace():
        return " " * length
    return (decoded * length)[:length]


def _trimmed_blocks(masked: str, blocks: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Sort blocks, clip overlaps and trim each to its non-blank masked characters."""
    out: list[tuple[int, int]] = []
    previous_end = 0
    for start, end in sorted(blocks):
        start = max(start, previous_end)
        segment = masked[start:end]
        stripped = segment.lstrip(WHITESPACE)
        if not stripped:
            continue
        start += len(segment) - len(stripped)
        end = start + len(stripped.rstrip(WHITESPACE))
        out.append((start, end))
        previous_end = end
    return tuple(out)


# --- Markdown -------------------------------------------------------------------------------


@collector_paused()
def _markdown_layout(text: str) -> _Layout:
    """Parse Markdown and record its prose, entities, blocks and comments in source offsets."""
    norm = text.replace("\0", "\ufffd")  # markdown-it does the same; lengths stay equal
    lines = _line_spans(norm)
    front = _front_matter_lines(norm, lines)
    parsed = norm
    if front:
        cut = lines[front - 1][1]
        parsed = _blank(norm[:cut]) + norm[cut:]
    layout = _Layout(bytearray(len(text)))
    row, cursor = -1, 0
    previous = ""
    for token in _MD.parse(parsed):
        if token.type == "inline" and token.map is not None:
            line = token.map[0]
            if previous in ("th_open", "td_open"):
                if line != row:
                    row, cursor = line, lines[line][0]
                runs, cursor = _cell_runs(norm, lines[line][1], token.content, cursor)
            else:
                runs = _line_runs(norm, lines, line, token.content)
            _apply_inline(norm, token, runs, layout)
        elif token.type == "html_block" and token.map is not None:
            start, end = lines[token.map[0]][0], lines[token.map[1] - 1][1]
            layout.comments.extend(_scan_comments(text, start, end))
        previous = token.type
    return layout


def _line_spans(text: str) -> list[tuple[int, int]]:
    """Return (start, end) of each line, line endings excluded, as markdown-it numbers them."""
    spans: list[tuple[int, int]] = []
    start = 0
    for m in _LINE_END.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return spans


def _front_matter_lines(text: str, lines: list[tuple[int, int]]) -> int:
    """Return how many lines of YAML or TOML front matter open the document (0 if none)."""
    first = text[lines[0][0] : lines[0][1]].lstrip("\ufeff").rstrip()
    closers = {"---": ("---", "..."), "+++": ("+++",)}.get(first)
    if closers is None:
        return 0
    for number in range(1, len(lines)):
        start, end = lines[number]
        if text[start:end].rstrip() in closers:
            return number + 1
    return 0


Run = tuple[int, int, int]  # (offset in inline content, offset in source, length)


def _line_runs(text: str, lines: list[tuple[int, int]], first: int, content: str) -> list[Run]:
    """Map each line of an inline token's content back onto its source line."""
    runs: list[Run] = []
    offset = 0
    for number, piece in enumerate(content.split("\n"), start=first):
        if piece and number < len(lines):
            start, end = lines[number]
            found = _locate(text[start:end], piece)
            if found is not None:
                column, skip, length = found
                runs.append((offset + skip, start + column, length))
        offset += len(piece) + 1
    return runs


def _locate(line: str, piece: str) -> tuple[int, int, int] | None:
    """Find where piece sits in line: (column, characters of piece skipped, length mapped)."""
    if line.endswith(piece):
        return len(line) - len(piece), 0, len(piece)
    trimmed = line.rstrip()
    if trimmed.endswith(piece):
        return len(trimmed) - len(piece), 0, len(piece)
    column = line.find(piece)
    if column >= 0:
        return column, 0, len(piece)
    # markdown-it turns tabs in block prefixes into spaces; map the part after them.
    core = piece.strip()
    column = line.rfind(core) if core else -1
    if column < 0:
        return None
    return column, len(piece) - len(piece.lstrip()), len(core)


def _cell_runs(text: str, line_end: int, content: str, cursor: int) -> tuple[list[Run], int]:
    """Map a table cell's content (where markdown-it unescaped \\|) onto the source row."""
    if not content:
        return [], cursor
    source = content.replace("|", "\\|")
    start = text.find(source, cursor, line_end)
    if start < 0:
        return [], cursor
    runs: list[Run] = []
    offset, position = 0, start
    for part in content.split("|"):
        if part:
            runs.append((offset, position, len(part)))
        offset += len(part)
        position += len(part)
        if position < start + len(source):
            runs.append((offset, position + 1, 1))  # the pipe after its backslash
            offset += 1
            position += 2
    return runs, start + len(source)


def _apply_inline(text: str, token: Token, runs: list[Run], layout: _Layout) -> None:
    """Walk an inline token's children and record what they keep, in source offsets."""
    if not runs:
        return
    walker = _InlineWalker(token.content)
    walker.walk(token.children or [])
    starts = [run[0] for run in runs]
    for a, b in walker.keep:
        for start, end in _to_source(runs, starts, a, b):
            layout.keep_prose(text, start, end)
    for a, b, decoded in walker.fills:
        mapped = _to_source(runs, starts, a, b)
        if len(mapped) == 1 and mapped[0][1] - mapped[0][0] == b - a:
            layout.fills.append((mapped[0][0], mapped[0][1], decoded))
    for a, b in walker.html:
        mapped = _to_source(runs, starts, a, b)
        if mapped and token.content.startswith("<!--", a):
            start, end = mapped[0][0], mapped[-1][1]
            layout.comments.extend(_scan_comments(text, start, end))
    first, last = runs[0], runs[-1]
    layout.blocks.append((first[1], last[1] + last[2]))


def _to_source(runs: list[Run], starts: list[int], a: int, b: int) -> list[tuple[int, int]]:
    """Translate the content range [a, b) into source ranges through the runs."""
    out: list[tuple[int, int]] = []
    index = max(bisect_right(starts, a) - 1, 0)
    while index < len(runs) and runs[index][0] < b:
        offset, source, length = runs[index]
        lo, hi = max(a, offset), min(b, offset + length)
        if lo < hi:
            out.append((source + lo - offset, source + hi - offset))
        index += 1
    return out


def _scan_comments(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """Return the complete <!-- --> comments inside text[start:end]."""
    found: list[tuple[int, int, str]] = []
    position = start
    while True:
        opening = text.find("<!--", position, end)
        if opening < 0:
            return found
        closing = text.find("-->", opening + 4, end)
        if closing < 0:
            return found
        found.append((opening, closing + 3, text[opening + 4 : closing]))
        position = closing + 3


class _InlineWalker:
    """Align markdown-it inline tokens with their source text to tell prose from markup.

    markdown-it-py does not record where inline tokens come from, so the walker replays them over
    the inline content: text is kept, delimiters, code, HTML and link destinations are skipped.  If
    the replay ever loses its place, the rest of the content is kept rather than dropped.
    """

    def __init__(self, source: str) -> None:
        """Start at the beginning of source with nothing kept."""
        self.source = source
        self.pos = 0
        self.keep: list[tuple[int, int]] = []
        self.fills: list[tuple[int, int, str]] = []
        self.html: list[tuple[int, int]] = []

    def walk(self, tokens: Sequence[Token]) -> None:
        """Consume tokens in order, moving through the source."""
        in_autolink = False
        for token in tokens:
            if self.pos > len(self.source):
                return
            kind = token.type
            if in_autolink:
                in_autolink = kind != "link_close"
            elif kind == "text":
                self._text(token.content)
            elif kind == "text_special":
                self._special(token)
            elif kind in ("softbreak", "hardbreak"):
                self._skip_space()
                if kind == "hardbreak" and self.source.startswith("\\", self.pos):
                    self.pos += 1
                    self._skip_space()
            elif kind == "code_inline":
                self._code(token.markup)
            elif kind == "html_inline":
                start = self._seek(token.content)
                if start is not None:
                    self.html.append((start, self.pos))
            elif kind == "link_open":
                in_autolink = token.markup in ("autolink", "linkify")
                if in_autolink:
                    self._seek("<")
                    closing = self.source.find(">", self.pos)
                    self.pos = closing + 1 if closing >= 0 else self.pos
                else:
                    self._seek("[")
            elif kind == "link_close":
                self._seek("]")
                self._link_tail()
            elif kind == "image":
                self._seek("![")
                self.walk(token.children or [])
                self._seek("]")
                self._link_tail()
            elif token.markup:
                self._seek(token.markup)  # emphasis and strikethrough delimiters

    def _seek(self, expected: str) -> int | None:
        """Move past the next occurrence of expected and return where it starts, or give up."""
        source, pos = self.source, self.pos
        found = pos if source.startswith(expected, pos) else source.find(expected, pos)
        if found < 0:
            self._lose()
            return None
        self.pos = found + len(expected)
        return found

    def _lose(self) -> None:
        """Keep the rest of the content as prose once alignment has failed."""
        if self.pos < len(self.source):
            self.keep.append((self.pos, len(self.source)))
        self.pos = len(self.source) + 1

    def _text(self, content: str) -> None:
        """Keep a run of literal text."""
        if content:
            start = self._seek(content)
            if start is not None:
                self.keep.append((start, self.pos))

    def _special(self, token: Token) -> None:
        """Handle an escape (mask the backslash) or an entity (decode it in the masked text)."""
        start = self._seek(token.markup)
        if start is None:
            return
        if token.info == "entity":
            self.fills.append((start, self.pos, token.content))
        elif token.info == "escape" and token.content != token.markup:
            self.keep.append((start + 1, self.pos))
        else:
            self.keep.append((start, self.pos))

    def _skip_space(self) -> None:
        """Move past spaces, tabs and line breaks."""
        match = _SPACES.match(self.source, self.pos)
        if match is not None:
            self.pos = match.end()

    def _code(self, fence: str) -> None:
        """Skip a code span opened by fence up to the next backtick run of the same length."""
        if self._seek(fence) is None:
            return
        source, width = self.source, len(fence)
        position = self.pos
        while True:
            found = source.find(fence, position)
            if found < 0:
                self._lose()
                return
            end = found + width
            while end < len(source) and source[end] == "`":
                end += 1
            if end - found == width:
                self.pos = end
                return
            position = end

    def _link_tail(self) -> None:
        """Skip what follows a link's closing bracket: (destination "title") or [label]."""
        source, pos, size = self.source, self.pos, len(self.source)
        if pos < size and source[pos] == "(":
            cursor = self._space_after(pos + 1)
            destination = parseLinkDestination(source, cursor, size)
            if destination.ok:
                cursor = self._space_after(destination.pos)
                title = parseLinkTitle(source, cursor, size)
                if title.ok and cursor != destination.pos:
                    cursor = self._space_after(title.pos)
            if cursor < size and source[cursor] == ")":
                self.pos = cursor + 1
                return
        if pos < size and source[pos] == "[":
            position = pos + 1
            while position < size and source[position] not in "[]":
                position += 2 if source[position] == "\\" else 1
            if position < size and source[position] == "]":
                self.pos = position + 1

    def _space_after(self, pos: int) -> int:
        """Return the first position at or after pos that is not a space, tab or line break."""
        match = _SPACES.match(self.source, pos)
        return pos if match is None else match.end()


# --- HTML -----------------------------------------------------------------------------------


def _html_layout(text: str) -> _Layout:
    """Tokenise HTML and record its prose, references, blocks and comments in source offsets."""
    layout = _Layout(bytearray(len(text)))
    hidden: dict[str, int] = {}
    block = 0
    spans: dict[int, tuple[int, int]] = {}
    pos, size = 0, len(text)
    while pos < size:
        markup = _HTML_MARKUP.search(text, pos)
        text_end = markup.start() if markup is not None else size
        if pos < text_end and not hidden:
            _html_text(text, pos, text_end, layout)
            first, _ = spans.get(block, (pos, pos))
            spans[block] = (first, text_end)
        if markup is None:
            break
        pos, tag = _html_construct(text, markup.start(), layout)
        if tag is None:
            continue
        name = tag.group("name").lower()
        closing = tag.group("slash") == "/"
        self_closing = tag.group("attrs").rstrip().endswith("/")
        if name in _HTML_BLOCK_TAGS:
            block += 1
        if closing:
            depth = hidden.get(name, 0)
            if depth <= 1:
                hidden.pop(name, None)
            else:
                hidden[name] = depth - 1
            continue
        if name == "body":
            hidden.pop("head", None)  # <body> closes a head left open
        if name in _HTML_HIDDEN_TAGS and name not in _HTML_VOID_TAGS and not self_closing:
            hidden[name] = hidden.get(name, 0) + 1
        if name in _HTML_RAW_TEXT_TAGS and not self_closing:
            end_tag = _raw_text_end(name).search(text, pos)
            pos = end_tag.start() if end_tag is not None else size
    layout.blocks.extend(spans[key] for key in sorted(spans))
    return layout


def _html_construct(text: str, start: int, layout: _Layout) -> tuple[int, re.Match[str] | None]:
    """Skip the tag, comment or declaration at start; return where text resumes and the tag.

    Like a browser, a construct left open runs to the end of the document; this also keeps the
    tokeniser linear, since no construct is ever scanned twice.
    """
    size = len(text)
    if text.startswith("<!--", start):
        for empty in ("<!-->", "<!--->"):
            if text.startswith(empty, start):
                layout.comments.append((start, start + len(empty), ""))
                return start + len(empty), None
        end = _HTML_COMMENT_END.search(text, start + 4)
        if end is None:
            return size, None
        layout.comments.append((start, end.end(), text[start + 4 : end.start()]))
        return end.end(), None
    if text.startswith("<![CDATA[", start):
        end_of_section = text.find("]]>", start + 9)
        return (end_of_section + 3 if end_of_section >= 0 else size), None
    if text[start + 1] in "!?":
        closing = text.find(">", start + 2)
        return (closing + 1 if closing >= 0 else size), None
    tag = _HTML_TAG.match(text, start)
    if tag is None or tag.group("close") is None:
        return size, None
    return tag.end(), tag


def _html_text(text: str, start: int, end: int, layout: _Layout) -> None:
    """Keep a text node, decoding its character references into the masked text."""
    position = start
    for reference in _HTML_REFERENCE.finditer(text, start, end):
        source = reference.group()
        decoded = html.unescape(source)
        if decoded == source:
            continue  # not a reference after all, as in "AT&T;"
        layout.keep_prose(text, position, reference.start())
        layout.fills.append((reference.start(), reference.end(), decoded))
        position = reference.end()
    layout.keep_prose(text, position, end)


_RAW_TEXT_END: dict[str, re.Pattern[str]] = {}


def _raw_text_end(name: str) -> re.Pattern[str]:
    """Return the pattern of the end tag that closes the raw-text element name."""
    pattern = _RAW_TEXT_END.get(name)
    if pattern is None:
        pattern = re.compile(f"</{re.escape(name)}(?=[\\s/>])", re.IGNORECASE)
        _RAW_TEXT_END[name] = pattern
    return pattern
