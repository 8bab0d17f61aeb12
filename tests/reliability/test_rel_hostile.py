"""Hostile requests and texts: each answered with the right status in under a second."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from werkzeug.test import TestResponse

from service.core.markup import Format
from service.core.model import Model
from service.core.scoring import ScoreOptions, score_document

BOUND_S = 1.0
LIMIT = 4 * 1024 * 1024  # the default MISINFO_MAX_BODY_BYTES
MAX_CHARS = 100_000  # the default MISINFO_MAX_CHARS
JSON = "application/json"


def best_time(action: Callable[[], Any], tries: int = 2) -> tuple[float, Any]:
    """Run action tries times; return the fastest wall time and the last result.

    The best of two keeps a scheduler hiccup from failing the bound; catastrophic backtracking
    or quadratic work is slow every time.
    """
    best = float("inf")
    result: Any = None
    for _ in range(tries):
        began = time.perf_counter()
        result = action()
        best = min(best, time.perf_counter() - began)
    return best, result


def text_body(text: str) -> bytes:
    """Return a /score body holding text, escaped as a client would send it."""
    import json

    return json.dumps({"text": text}).encode("utf-8")


# (case id, raw body, expected status)
HOSTILE_BODIES: list[tuple[str, bytes, int]] = [
    ("one-byte-over-the-limit", b'{"text":"' + b"a" * (LIMIT - 10) + b'"}', 413),
    ("exactly-the-limit", b'{"text":"' + b" " * (LIMIT - 12) + b'a"}', 422),
    ("100k-char-single-line", text_body(("word " * 20_000)[:MAX_CHARS]), 200),
    ("100k-newlines", text_body("\n" * MAX_CHARS), 200),
    ("100k-crlf-pairs", text_body("\r\n" * (MAX_CHARS // 2)), 200),
    ("50k-periods", text_body("." * 50_000), 200),
    ("50k-mixed-punctuation", text_body("?!…" * 16_667), 200),
    ("50k-abbreviation-dots", text_body("e.g. " * 10_000), 200),
    ("one-char-over-max-chars", text_body("a" * (MAX_CHARS + 1)), 422),
    ("nested-arrays-100k-deep", b"[" * 100_000 + b"]" * 100_000, 400),
    ("nested-objects-50k-deep", b'{"a":' * 50_000 + b"1" + b"}" * 50_000, 400),
    ("nested-inside-text-field", b'{"text":' + b"[" * 5_000 + b"]" * 5_000 + b"}", 422),
    ("number-where-string-belongs", b'{"text": 12345}', 422),
    ("float-where-string-belongs", b'{"text": 1e999}', 422),
    ("5000-digit-integer", b'{"text": ' + b"9" * 5_000 + b"}", 400),
    ("duplicate-keys", b'{"text": "a", "text": "b"}', 400),
    ("duplicate-keys-nested", b'{"text": "a", "thresholds": {"hedging": 0.5, "hedging": 1}}', 400),
    ("nan-threshold", b'{"text": "a", "thresholds": {"hedging": NaN}}', 400),
    ("huge-threshold", b'{"text": "a", "thresholds": {"hedging": 1e999}}', 422),
    ("100k-unknown-keys", b"{" + b",".join(b'"k%d":0' % i for i in range(100_000)) + b"}", 422),
    ("lone-surrogates", b'{"text": "' + b"\\ud800" * 20_000 + b'"}', 200),
    ("invalid-utf8", b'{"text": "\xff\xfe"}', 400),
]


@pytest.mark.parametrize(
    ("body", "status"),
    [pytest.param(body, status, id=name) for name, body, status in HOSTILE_BODIES],
)
def test_hostile_body_is_answered_in_bounded_time(
    rel_app: Flask, body: bytes, status: int
) -> None:
    client = rel_app.test_client()

    def post() -> TestResponse:
        return client.post("/score", data=body, content_type=JSON)

    elapsed, response = best_time(post)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert elapsed < BOUND_S, f"{elapsed:.3f} s"


@pytest.mark.parametrize(
    ("body", "status"),
    [
        pytest.param(b'{"documents": [' + b",".join([b'{"id": 1}'] * 64) + b"]}", 200, id="64-bad"),
        pytest.param(b'{"documents": [' + b",".join([b"{}"] * 65) + b"]}", 422, id="65-docs"),
        pytest.param(b'{"documents": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", 400, id="deep"),
        pytest.param(b'{"documents": [], "documents": []}', 400, id="duplicate-keys"),
        pytest.param(b'{"documents": "' + b"x" * 100_000 + b'"}', 422, id="string-not-list"),
    ],
)
def test_hostile_batch_is_answered_in_bounded_time(
    rel_app: Flask, body: bytes, status: int
) -> None:
    client = rel_app.test_client()

    def post() -> TestResponse:
        return client.post("/score/batch", data=body, content_type=JSON)

    elapsed, response = best_time(post)
    assert response.status_code == status, response.get_data(as_text=True)[:500]
    assert elapsed < BOUND_S, f"{elapsed:.3f} s"


# Texts aimed at the segmenter, the markup parsers and the feature patterns (at most 100k chars).
HOSTILE_TEXTS: dict[str, str] = {
    "words": ("word " * 20_000)[:MAX_CHARS],
    "newlines": "\n" * MAX_CHARS,
    "blank-lines-with-spaces": " \n" * 50_000,
    "periods": "." * 50_000,
    "period-space": ". " * 50_000,
    "terminator-closer": '."' * 50_000,
    "quotes": '"' * 50_000,
    "list-markers": "\n- " * 33_000,
    "numbered-markers": "\n1. " * 25_000,
    "abbreviations": "Mr. " * 25_000,
    "dotted": "a." * 50_000,
    "open-angles": "<" * 50_000,
    "unclosed-tags": "<a " * 33_000,
    "unclosed-attribute-quotes": '<a b="' * 16_000,
    "equals-quotes": '<a =" ' * 16_000,
    "comments": "<!--" * 25_000,
    "references": "&#" * 50_000,
    "urls": "http://" * 14_000,
    "www": "www." * 25_000,
    "brackets": "[" * 50_000,
    "link-openers": "[a](" * 25_000,
    "backticks": "`" * 50_000,
    "emphasis": "*_" * 50_000,
    "headings": "#" * 50_000,
    "table-pipes": "|" * 50_000,
    "agentless-prefix": "it is widely " * 7_000,
    "said-to-prefix": "was said " * 11_000,
    "apostrophes": "a'" * 50_000,
    "zero-width": "\u200b" * MAX_CHARS,
    "rtl-combining": "\u05d0\u0301\u202e" * 33_000,
    "astral": "\U0001f600" * 50_000,
    "lone-surrogates": "\ud800" * 50_000,
}
FORMATS: tuple[Format, ...] = ("plain", "markdown", "html")


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", sorted(HOSTILE_TEXTS))
def test_core_scores_hostile_text_in_bounded_time(tiny_model: Model, name: str, fmt: Format) -> None:
    text = HOSTILE_TEXTS[name]
    options = ScoreOptions(format=fmt, explain=True)
    elapsed, result = best_time(lambda: score_document(tiny_model, text, options))
    assert elapsed < BOUND_S, f"{elapsed:.3f} s"
    for sentence in result.sentences:
        assert text[sentence.start : sentence.end] == sentence.text
