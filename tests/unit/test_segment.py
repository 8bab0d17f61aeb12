"""Tests for service.core.segment: the shared hard cases, invariants, blocks and linear time."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from segment_cases import CASES

from service.core.segment import WHITESPACE, Sentence, split_sentences

EXAMPLE = Path(__file__).resolve().parents[3] / "shared" / "examples" / "kremlin-drone-claims.txt"

# Characters that stress offsets: zero-width, RTL, combining marks, astral, CJK, line endings.
_TRICKY = st.sampled_from(
    [
        "\u200b",
        "\u200d",
        "\ufeff",
        "\u2060",
        "\u05d0",
        "\u0627",
        "\u200f",
        "\u0301",
        "\U0001f600",
        "\U0001d400",
        "。",
        "！",
        "…",
        "\r\n",
        "\r",
        "\n",
        "\n\n",
        "\t",
        "\u2028",
        "\u2029",
        "\x0c",
        ". ",
        "? ",
        '." ',
        "” ",
        "U.S. ",
        "Dr. ",
        "- ",
        "1. ",
        "e.g. ",
        "... ",
        "A",
        "a",
        " ",
    ]
)
TEXTS = st.lists(st.one_of(_TRICKY, st.text(max_size=8)), max_size=40).map("".join)


def texts(sentences: list[Sentence]) -> list[str]:
    """Return the text of each sentence."""
    return [s.text for s in sentences]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in CASES], ids=[c[0] for c in CASES]
)
def test_hard_case(text: str, expected: list[str]) -> None:
    assert texts(split_sentences(text)) == expected


@pytest.mark.parametrize("text", [t for _, t, _ in CASES], ids=[c[0] for c in CASES])
def test_offsets_are_exact(text: str) -> None:
    for number, sentence in enumerate(split_sentences(text)):
        assert sentence.index == number
        assert text[sentence.start : sentence.end] == sentence.text


def test_whitespace_is_isspace_plus_invisible_characters() -> None:
    isspace = {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}
    assert set(WHITESPACE) == isspace | {"\u200b", "\u2060", "\ufeff"}


def test_leading_bom_is_not_part_of_a_sentence() -> None:
    assert texts(split_sentences("\ufeffHello there. Bye.")) == ["Hello there.", "Bye."]


def test_sentence_is_frozen() -> None:
    sentence = split_sentences("One.")[0]
    with pytest.raises(AttributeError):
        sentence.start = 3  # type: ignore[misc]


@pytest.mark.parametrize(
    ("text", "blocks", "expected"),
    [
        ("First part. Second part.", [(0, 11), (12, 24)], ["First part.", "Second part."]),
        ("no end here and none here", [(0, 11), (12, 25)], ["no end here", "and none here"]),
        ("Dr. Smith arrived.", [(0, 3), (4, 18)], ["Dr.", "Smith arrived."]),
        ("skip this. Keep this.", [(11, 21)], ["Keep this."]),
        ("   ", [(0, 3)], []),
        ("Empty blocks.", [(0, 0), (13, 13)], []),
    ],
    ids=[
        "two-blocks",
        "no-terminators",
        "block-cuts-abbreviation",
        "outside-ignored",
        "blank",
        "empty",
    ],
)
def test_blocks_bound_sentences(
    text: str, blocks: list[tuple[int, int]], expected: list[str]
) -> None:
    assert texts(split_sentences(text, blocks)) == expected


@pytest.mark.parametrize(
    "blocks",
    [[(-1, 3)], [(0, 99)], [(5, 2)], [(0, 6), (4, 8)], [(6, 8), (0, 4)]],
    ids=["negative", "past-end", "reversed", "overlapping", "unordered"],
)
def test_invalid_blocks_are_rejected(blocks: list[tuple[int, int]]) -> None:
    with pytest.raises(ValueError, match="block"):
        split_sentences("Some text here.", blocks)


@pytest.mark.parametrize(
    "text",
    [
        "." * 100_000,
        "\n" * 100_000,
        "?!" * 50_000,
        "x" * 100_000,
        "a." * 50_000,
        " " * 100_000,
        ". " * 50_000,
        "A. " * 33_000,
        "\r\n" * 50_000,
        " \n" * 50_000,
        "- a\n" * 25_000,
        "…" * 100_000,
        "。" * 100_000,
        '.")' * 33_000 + " ",
        "." + " " * 100_000 + "x",
        "word. " + "\u200b" * 100_000,
    ],
    ids=[
        "dots",
        "newlines",
        "interrobangs",
        "one-word",
        "a-dot",
        "spaces",
        "dot-space",
        "initials",
        "crlf",
        "space-newline",
        "list-items",
        "ellipses",
        "cjk-stops",
        "closers",
        "long-gap",
        "zero-width",
    ],
)
def test_adversarial_input_is_linear(text: str) -> None:
    started = time.perf_counter()
    sentences = split_sentences(text)
    assert time.perf_counter() - started < 1.0
    assert all(text[s.start : s.end] == s.text for s in sentences[:100])


@pytest.mark.skipif(not EXAMPLE.exists(), reason="shared example article not available")
def test_news_article_keeps_abbreviations_inside_sentences() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    sentences = split_sentences(text)
    assert len(sentences) > 30
    assert not any(s.text.endswith(("U.S.", "Mr.", "Dr.")) for s in sentences)
    assert all("\n\n" not in s.text for s in sentences)


def check_invariants(text: str, sentences: list[Sentence], blocks: list[tuple[int, int]]) -> None:
    """Assert the splitter's contract for text split inside blocks."""
    previous_end = 0
    covered = bytearray(len(text))
    for number, sentence in enumerate(sentences):
        assert sentence.index == number
        assert previous_end <= sentence.start < sentence.end
        assert text[sentence.start : sentence.end] == sentence.text
        assert sentence.text[0] not in WHITESPACE
        assert sentence.text[-1] not in WHITESPACE
        covered[sentence.start : sentence.end] = b"\x01" * (sentence.end - sentence.start)
        previous_end = sentence.end
    inside = bytearray(len(text))
    for start, end in blocks:
        inside[start:end] = b"\x01" * (end - start)
    for sentence in sentences:
        assert any(start <= sentence.start and sentence.end <= end for start, end in blocks)
    for position, char in enumerate(text):
        if char not in WHITESPACE:
            assert covered[position] == inside[position], (position, char)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_property_whole_text(text: str) -> None:
    check_invariants(text, split_sentences(text), [(0, len(text))])


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.lists(st.integers(min_value=0, max_value=400), max_size=8))
def test_property_blocks(text: str, cuts: list[int]) -> None:
    points = sorted({min(c, len(text)) for c in cuts})
    blocks = list(zip(points[::2], points[1::2], strict=False))
    check_invariants(text, split_sentences(text, blocks), blocks)
