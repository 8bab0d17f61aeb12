"""Tests for service.core.markup: prose views of plain text, Markdown and HTML."""

from __future__ import annotations

import time
from typing import Literal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.core.markup import Format, ProseView, html_comments, prose_view
from service.core.segment import WHITESPACE, split_sentences

MARKDOWN_CASES: list[tuple[str, str, list[str]]] = [
    (
        "yaml_front_matter",
        "---\ntitle: Claims. Here\ntags: [a, b]\n---\nThe ministry denied it. Officials agreed.\n",
        ["The ministry denied it.", "Officials agreed."],
    ),
    (
        "toml_front_matter",
        '+++\ntitle = "x. Y"\n+++\n\nBody text here.\n',
        ["Body text here."],
    ),
    (
        "fenced_code",
        "Intro text.\n\n```python\nprint('Hello. World.')\n```\n\nAfter code.\n",
        ["Intro text.", "After code."],
    ),
    (
        "indented_code",
        "Before.\n\n    indented code. Not prose.\n\nAfter.\n",
        ["Before.", "After."],
    ),
    (
        "inline_code",
        "Run `rm -rf /. Now` carefully. Then stop.\n",
        ["Run `rm -rf /. Now` carefully.", "Then stop."],
    ),
    (
        "link_destination_and_title",
        'See [the report](http://example.com/a.b "Title. Here") for details. It is long.\n',
        ['See [the report](http://example.com/a.b "Title. Here") for details.', "It is long."],
    ),
    (
        "reference_link_and_definition",
        'Use [a ref][r] here. Done.\n\n[r]: http://r.example "Ref. Title"\n',
        ["Use [a ref][r] here.", "Done."],
    ),
    (
        "image_keeps_alt_text",
        "![Smoke over the city](smoke.jpg)\n\nThe photo was shared. Critics doubted it.\n",
        ["Smoke over the city", "The photo was shared.", "Critics doubted it."],
    ),
    (
        "headings_are_blocks",
        "# Ministry denies report\n## Second heading\nBody starts here.\n",
        ["Ministry denies report", "Second heading", "Body starts here."],
    ),
    (
        "setext_heading",
        "Ministry denies report\n======================\n\nBody starts here.\n",
        ["Ministry denies report", "Body starts here."],
    ),
    (
        "list_items_are_blocks",
        "- First item is here\n- Second item. It has two sentences.\n1. Numbered one\n",
        ["First item is here", "Second item.", "It has two sentences.", "Numbered one"],
    ),
    (
        "block_quote",
        "> Officials said the attack was staged.\n> Critics disagreed.\n",
        ["Officials said the attack was staged.", "Critics disagreed."],
    ),
    (
        "table_cells",
        "| Claim | Status |\n|---|:---:|\n| Drone strike | Unverified. |\n| Pipe \\| in | No |\n",
        ["Claim", "Status", "Drone strike", "Unverified.", "Pipe \\| in", "No"],
    ),
    (
        "html_block_and_comment",
        "Text before.\n\n<div>\nHidden html. Block.\n</div>\n\nVisible <!-- note. Here --> text.\n",
        ["Text before.", "Visible <!-- note. Here --> text."],
    ),
    (
        "crlf",
        "Title line\r\n\r\nFirst sentence.\r\nSecond sentence.\r\n",
        ["Title line", "First sentence.", "Second sentence."],
    ),
    (
        "emoji_cjk_tabs",
        "Fans cheered 🎉. 政府表示。Next one.\tTabbed.\n",
        ["Fans cheered 🎉.", "政府表示。", "Next one.", "Tabbed."],
    ),
    (
        "emphasis_delimiters",
        "**Bold claim.** Then *emphasis* and ~~struck~~ text.\n",
        ["Bold claim.", "Then *emphasis* and ~~struck~~ text."],
    ),
    (
        "autolink_and_bare_url",
        "Visit <https://example.com/a.B> or https://example.org/x. Then leave.\n",
        ["Visit <https://example.com/a.B> or https://example.org/x.", "Then leave."],
    ),
    (
        "escapes_and_entities",
        "Escaped \\*stars\\* and AT&amp;T said so. Next.\n",
        ["Escaped \\*stars\\* and AT&amp;T said so.", "Next."],
    ),
    (
        "nested_list_in_quote",
        "> - Quoted item. Two sentences.\n>   Lazy line here.\n",
        ["Quoted item.", "Two sentences.", "Lazy line here."],
    ),
    (
        "tab_indented_continuation",
        "- item one\n\tstill item one. Next.\n",
        ["item one\n\tstill item one.", "Next."],
    ),
]

HTML_CASES: list[tuple[str, str, list[str]]] = [
    (
        "character_references",
        "<p>He said it was &#8220;fake.&#8221; Then he left.</p>",
        ["He said it was &#8220;fake.&#8221;", "Then he left."],
    ),
    (
        "head_and_style_hidden",
        "<html><head><title>Page. Title</title><style>p{}</style></head>"
        "<body><h1>Headline here</h1><p>One. Two.</p></body></html>",
        ["Headline here", "One.", "Two."],
    ),
    (
        "code_pre_script_hidden",
        "<p>Text <code>x. Y</code> and more.</p><pre>pre. Z</pre><script>a = 'No. Way';</script>",
        ["Text <code>x. Y</code> and more."],
    ),
    (
        "list_items_and_cells",
        "<ul><li>First item</li><li>Second item</li></ul>"
        "<table><tr><th>Head</th><td>Cell two</td></tr></table>",
        ["First item", "Second item", "Head", "Cell two"],
    ),
    (
        "line_breaks_separate",
        "<div>Line one<br>Line two<br/>Line three</div><!-- misinfo: ignore -->",
        ["Line one", "Line two", "Line three"],
    ),
    (
        "named_references",
        "<p>Caf&eacute; owners said &nbsp;no. Rates&amp;fees rose.</p>",
        ["Caf&eacute; owners said &nbsp;no.", "Rates&amp;fees rose."],
    ),
    (
        "inline_tags_and_crlf",
        '<p>See <a href="http://x.com/a.b">the report</a>. It is long.</p>\r\n<p>Next para.</p>',
        ['See <a href="http://x.com/a.b">the report</a>.', "It is long.", "Next para."],
    ),
    (
        "bare_text",
        "Bare text. More text.",
        ["Bare text.", "More text."],
    ),
    (
        "unclosed_head",
        "<head><title>T</title><body><p>Body text. Shown.</p>",
        ["Body text.", "Shown."],
    ),
    (
        "malformed_references",
        "<p>A &#bad; ref. B &# here.</p><p>Still parsed.</p>",
        ["A &#bad; ref.", "B &# here.", "Still parsed."],
    ),
    (
        "bogus_marked_section",
        "<p>Before. <![x]> After.</p>",
        ["Before.", "After."],
    ),
]


def sentences_of(text: str, fmt: Format) -> list[str]:
    """Return the source text of each sentence found through the prose view."""
    view = prose_view(text, fmt)
    return [text[s.start : s.end] for s in split_sentences(view.masked, view.blocks)]


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in MARKDOWN_CASES], ids=[c[0] for c in MARKDOWN_CASES]
)
def test_markdown_sentences(text: str, expected: list[str]) -> None:
    assert sentences_of(text, "markdown") == expected


@pytest.mark.parametrize(
    ("text", "expected"), [(t, e) for _, t, e in HTML_CASES], ids=[c[0] for c in HTML_CASES]
)
def test_html_sentences(text: str, expected: list[str]) -> None:
    assert sentences_of(text, "html") == expected


@pytest.mark.parametrize(
    ("text", "blocks"),
    [
        ("", ()),
        (" \n ", ()),
        ("One. Two.", ((0, 9),)),
        ("\r\nLine\r\n\r\nNext\tpart 😀 。\n", ((2, 23),)),
    ],
    ids=["empty", "blank", "prose", "mixed"],
)
def test_plain_is_unchanged(text: str, blocks: tuple[tuple[int, int], ...]) -> None:
    view = prose_view(text, "plain")
    assert view.masked == text
    assert view.blocks == blocks


@pytest.mark.parametrize(
    ("fmt", "text", "masked"),
    [
        ("markdown", "# Title *x*", "  Title  x "),
        ("markdown", "[a](http://b.c)", " a             "),
        ("markdown", "`code` x", "       x"),
        ("markdown", "a\\*b", "a *b"),
        ("markdown", "> q\r\n> r", "  q\r\n  r"),
        ("markdown", "x &amp; y", "x &&&&& y"),
        ("markdown", "(see https://w.org/a_(b)).", "(see " + " " * 19 + ")."),
        ("html", "Go to www.example.com, now.", "Go to                , now."),
        ("html", "<b>bold</b>", "   bold    "),
        ("html", "a&nbsp;b", "a      b"),
        ("html", "it&#8217;s", "it’’’’’’’s"),
        ("html", "<p>a</p>\n<!-- c -->", "   a    \n          "),
    ],
    ids=[
        "heading",
        "link",
        "code-span",
        "escape",
        "quote-crlf",
        "md-entity",
        "bare-url-in-parentheses",
        "bare-www-url",
        "tag",
        "nbsp",
        "charref",
        "comment",
    ],
)
def test_masked_text(fmt: Format, text: str, masked: str) -> None:
    assert prose_view(text, fmt).masked == masked


def test_unknown_format_is_rejected() -> None:
    with pytest.raises(ValueError, match="format"):
        prose_view("text", "rst")  # type: ignore[arg-type]


def test_view_is_frozen() -> None:
    view = prose_view("x", "plain")
    with pytest.raises(AttributeError):
        view.masked = "y"  # type: ignore[misc]


@pytest.mark.parametrize(
    ("fmt", "text", "expected"),
    [
        (
            "markdown",
            "Text <!-- misinfo: ignore hedging --> here.\n\n<!--\nblock\n-->\n",
            [(5, 37, " misinfo: ignore hedging "), (45, 59, "\nblock\n")],
        ),
        ("markdown", "```\n<!-- in code -->\n```\n\n`<!-- span -->`\n", []),
        ("html", "<p>x</p><!-- a --><script><!-- not --></script>", [(8, 18, " a ")]),
        ("html", "a<!-- one --!>b", [(1, 14, " one ")]),
        ("html", "<!---->x<!-->y<!-- open", [(0, 7, ""), (8, 13, "")]),
        ("html", "<!x bogus>text", []),
    ],
    ids=[
        "markdown",
        "markdown-code",
        "html",
        "html-bang-close",
        "html-empty-and-open",
        "html-bogus",
    ],
)
def test_html_comments(
    fmt: Literal["markdown", "html"], text: str, expected: list[tuple[int, int, str]]
) -> None:
    assert html_comments(text, fmt) == expected


@pytest.mark.parametrize(
    ("fmt", "text"),
    [
        ("markdown", "[" * 10_000),
        ("markdown", "`" * 20_000),
        ("markdown", "![" * 5_000),
        ("markdown", "| a |\n" * 5_000),
        ("markdown", "*a" * 10_000),
        ("markdown", "> " * 5_000 + "x"),
        ("markdown", "http://" * 10_000),
        ("markdown", "http://x" + ")" * 50_000),
        ("markdown", "&amp;" * 10_000),
        ("html", "<!--" * 20_000),
        ("html", "<p>" * 20_000),
        ("html", "&#" * 20_000),
        ("html", "<![" * 20_000),
        ("html", "<a b='" * 15_000),
        ("html", "<a" * 40_000),
        ("html", "</a" * 30_000),
        ("html", "<script>" * 10_000),
    ],
    ids=[
        "brackets",
        "backticks",
        "images",
        "table-rows",
        "emphasis",
        "quotes",
        "urls",
        "url-parentheses",
        "entities",
        "comment-openers",
        "paragraphs",
        "bad-charrefs",
        "marked-sections",
        "open-quotes",
        "open-tags",
        "open-end-tags",
        "scripts",
    ],
)
def test_adversarial_markup_is_fast(fmt: Format, text: str) -> None:
    started = time.perf_counter()
    view = prose_view(text, fmt)
    split_sentences(view.masked, view.blocks)
    assert time.perf_counter() - started < 1.0
    assert len(view.masked) == len(text)


_FRAGMENTS = st.sampled_from(
    [
        "# ",
        "## ",
        "> ",
        "- ",
        "* ",
        "1. ",
        "**",
        "*",
        "_",
        "~~",
        "`",
        "```\n",
        "    ",
        "[",
        "](",
        ")",
        "]",
        "![",
        "<",
        ">",
        "<!--",
        "-->",
        "<p>",
        "</p>",
        "<br>",
        "<script>",
        "</script>",
        "<pre>",
        "&amp;",
        "&#8217;",
        "&nbsp;",
        "&#",
        "\\",
        "|",
        "|---|\n",
        "---\n",
        "+++\n",
        "http://x.y/z",
        "www.a.b",
        "\n",
        "\n\n",
        "\r\n",
        "\r",
        "\t",
        "\u200b",
        "\u200d",
        "\ufeff",
        "\u05d0\u05d1",
        "\u0627\u0644",
        "\u0301",
        "\U0001f600",
        "\U0001d400",
        "。",
        "\x00",
        "Claim. ",
        "U.S. ",
        "word",
        " ",
    ]
)
DOCUMENTS = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=6)), max_size=30).map("".join)


def check_view(text: str, view: ProseView) -> None:
    """Assert the prose-view contract and the splitter's contract on top of it."""
    masked = view.masked
    assert len(masked) == len(text)
    for position, char in enumerate(text):
        if char in "\r\n":
            assert masked[position] == char
    previous_end = 0
    for start, end in view.blocks:
        assert previous_end <= start < end <= len(text)
        assert masked[start] not in WHITESPACE
        assert masked[end - 1] not in WHITESPACE
        previous_end = end
    sentences = split_sentences(masked, view.blocks)
    covered = bytearray(len(text))
    previous_end = 0
    for sentence in sentences:
        assert previous_end <= sentence.start < sentence.end
        assert masked[sentence.start : sentence.end] == sentence.text
        covered[sentence.start : sentence.end] = b"\x01" * (sentence.end - sentence.start)
        previous_end = sentence.end
    for start, end in view.blocks:
        for position in range(start, end):
            assert covered[position] or masked[position] in WHITESPACE


@pytest.mark.parametrize("fmt", ["plain", "markdown", "html"])
@settings(max_examples=250, deadline=None)
@given(text=DOCUMENTS)
def test_property_view_contract(fmt: Format, text: str) -> None:
    check_view(text, prose_view(text, fmt))


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=120))
def test_property_arbitrary_unicode(text: str) -> None:
    for fmt in ("plain", "markdown", "html"):
        check_view(text, prose_view(text, fmt))


@settings(max_examples=150, deadline=None)
@given(text=DOCUMENTS)
def test_property_masked_chars_come_from_source(text: str) -> None:
    for fmt in ("markdown", "html"):
        masked = prose_view(text, fmt).masked
        if "&" not in text:
            assert all(m in (t, " ") for m, t in zip(masked, text, strict=True))
