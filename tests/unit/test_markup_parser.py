"""The Markdown parser's shortcuts change no token: it parses like a stock markdown-it parser."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.helpers import parseLinkDestination
from markdown_it.token import Token
from test_markup import DOCUMENTS

from service.core.markup import _MD, _parse_link_destination, prose_view

STOCK = MarkdownIt("commonmark").enable(["table", "strikethrough"]).disable("text_join")
# Links, images and emphasis, including labels nested past markdown-it's limit of 20.
LINK_HEAVY = st.lists(
    st.sampled_from(["[", "]", "(", ")", "![", "](", "[a]", "*", "_", "`", "<", "\\", " ", "\n"]),
    max_size=120,
).map("".join)
DESTINATIONS = st.lists(st.sampled_from(list("()\\ a<>\n\t\x01\x7f[]")), max_size=80).map("".join)


def stream(tokens: list[Token]) -> list[tuple[Any, ...]]:
    """Return every field of every token that markup.py could read, children included."""
    return [
        (
            *(t.type, t.tag, t.nesting, t.content, t.markup, t.info, t.map, t.level, t.attrs),
            stream(t.children or []),
        )
        for t in tokens
    ]


def assert_parses_like_stock(text: str) -> None:
    """Assert the service's parser and a stock one give the same token stream."""
    assert stream(_MD.parse(text)) == stream(STOCK.parse(text))


@settings(max_examples=200, deadline=None)
@given(text=DOCUMENTS)
def test_documents_parse_like_stock(text: str) -> None:
    assert_parses_like_stock(text)


@settings(max_examples=200, deadline=None)
@given(text=LINK_HEAVY)
def test_link_heavy_text_parses_like_stock(text: str) -> None:
    assert_parses_like_stock(text)


@pytest.mark.parametrize("depth", [1, 19, 20, 21, 22, 40])
@pytest.mark.parametrize(
    "tail", ["", "]", "](/u)", "foo]()", "foo](/u)", "]]]]", " and [b] [c", "![d]("]
)
def test_unclosed_and_deep_labels_parse_like_stock(depth: int, tail: str) -> None:
    assert_parses_like_stock("[" * depth + tail + "\n\n[x]: /u\n")


@pytest.mark.parametrize("opened", [31, 32, 33, 34])
@pytest.mark.parametrize("tail", ["", ")", " x", "\\(", ")" * 40])
def test_deep_link_destinations_parse_like_stock(opened: int, tail: str) -> None:
    assert_parses_like_stock("[a](" + "x(" * opened + tail + " [a](" * 40)


@settings(max_examples=300, deadline=None)
@given(string=DESTINATIONS, pos=st.integers(0, 4), maximum=st.integers(0, 90))
def test_destination_parser_answers_like_stock(string: str, pos: int, maximum: int) -> None:
    pos, maximum = min(pos, len(string)), min(maximum, len(string))
    ours: Any = _parse_link_destination(string, pos, maximum)
    stock = parseLinkDestination(string, pos, maximum)
    assert (ours.ok, ours.pos, ours.str) == (stock.ok, stock.pos, stock.str)


@pytest.mark.parametrize("enabled", [True, False])
def test_markdown_view_leaves_the_garbage_collector_as_it_was(enabled: bool) -> None:
    was = gc.isenabled()
    try:
        (gc.enable if enabled else gc.disable)()
        prose_view("Some *emphasis* and [a link](/u).", "markdown")
        assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()
