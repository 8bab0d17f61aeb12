"""Offsets become 1-based lines and code-point columns (and UTF-8 byte columns)."""

from __future__ import annotations

import pytest

from service.cli.check.positions import LineIndex, Position


@pytest.mark.parametrize(
    ("text", "needle", "expected"),
    [
        ("one\ntwo", "two", Position(2, 1, 1)),
        ("one\r\ntwo", "two", Position(2, 1, 1)),
        ("one\rtwo", "two", Position(2, 1, 1)),
        ("a\r\n\r\nb", "b", Position(3, 1, 1)),
        ("\tindented", "indented", Position(1, 2, 2)),
        ("😀 face", "face", Position(1, 3, 6)),
        ("東京 said", "said", Position(1, 4, 8)),
        ("e\u0301t\u00e9 x", "x", Position(1, 6, 8)),
        ("👩‍💻 wrote", "wrote", Position(1, 5, 13)),
        ("x\r\n😀\tb", "b", Position(2, 3, 6)),
    ],
)
def test_position_counts_code_points(text: str, needle: str, expected: Position) -> None:
    assert LineIndex(text).position(text.index(needle)) == expected


def test_end_of_text_is_a_valid_position() -> None:
    assert LineIndex("ab\n").position(3) == Position(2, 1, 1)


def test_offset_beyond_text_is_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        LineIndex("ab").position(3)


@pytest.mark.parametrize(
    ("text", "line", "expected"),
    [("a\r\nb\r\n", 1, "a"), ("a\nb", 2, "b"), ("a\rb", 2, "b"), ("a\n", 2, "")],
)
def test_line_text_drops_the_line_break(text: str, line: int, expected: str) -> None:
    assert LineIndex(text).line_text(line) == expected
