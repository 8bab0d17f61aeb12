"""Turn code-point offsets into 1-based line and column numbers.

Columns count Unicode code points (SARIF ``columnKind: unicodeCodePoints``): an emoji, a CJK
character and a tab are one column each. ``\\r\\n``, ``\\n`` and a lone ``\\r`` each end a line,
so CRLF files report the same lines as editors show. reviewdog counts UTF-8 bytes instead,
so a byte column is offered too.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True, slots=True)
class Position:
    """A place in a text: 1-based line, 1-based code-point column and UTF-8 byte column."""

    line: int
    column: int
    byte_column: int


class LineIndex:
    """Map offsets of one text to positions in O(log lines)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._starts = [0] + [match.end() for match in _LINE_BREAK.finditer(text)]

    @property
    def line_count(self) -> int:
        """Return the number of lines (a trailing line break opens an empty last line)."""
        return len(self._starts)

    def position(self, offset: int) -> Position:
        """Return the position of the code point at offset (or just past the end)."""
        if not 0 <= offset <= len(self._text):
            raise ValueError(f"offset {offset} outside text of length {len(self._text)}")
        line = bisect.bisect_right(self._starts, offset) - 1
        start = self._starts[line]
        # An offset between \r and \n belongs to the line the pair ends.
        column = offset - start + 1
        byte_column = len(self._text[start:offset].encode("utf-8", "surrogatepass")) + 1
        return Position(line + 1, column, byte_column)

    def line_of(self, offset: int) -> int:
        """Return the 1-based line of offset."""
        return self.position(offset).line

    def line_text(self, line: int) -> str:
        """Return line (1-based) without its line break."""
        start = self._starts[line - 1]
        end = self._starts[line] if line < len(self._starts) else len(self._text)
        return self._text[start:end].rstrip("\r\n")
