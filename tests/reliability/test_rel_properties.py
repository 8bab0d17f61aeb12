"""Properties on arbitrary Unicode: scores are probabilities, scoring is deterministic, CLI = HTTP.

The texts reuse the unit tests' strategies (markup fragments, zero-width and RTL characters,
combining marks, astral characters, CJK, line endings) and add the bidi controls and emoji
sequences those leave out.  Lone surrogates cannot be scored: JSON can carry them ("\\ud800" is a
legal escape) and the API refuses them with a 422 naming ``text``; the CLI reads UTF-8, which
cannot hold them, and refuses the bytes with exit status 2.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from flask import Flask
from hypothesis import given, settings
from hypothesis import strategies as st
from werkzeug.test import TestResponse

from service.cli.score import score
from service.core.markup import Format
from service.core.model import Model
from service.core.scoring import ScoreOptions, score_document, score_documents

# Reuse the unit tests' text strategies (test folders are not packages: put theirs on the path).
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "unit"))

from test_markup import DOCUMENTS as MARKUP_DOCUMENTS
from test_segment import TEXTS as SEGMENT_TEXTS

FORMATS: tuple[Format, ...] = ("plain", "markdown", "html")
JSON = "application/json"
EXAMPLES = 40

# What the unit strategies leave out or draw rarely: any run of format characters (zero-width
# characters and joiners, bidi marks, embeddings, overrides and isolates, tag characters), of
# combining marks and of astral characters, plus whole emoji sequences and RTL sentences.
_MORE_UNICODE = st.one_of(
    st.text(st.characters(categories=["Cf", "Mn", "Me"]), min_size=1, max_size=4),
    st.text(st.characters(min_codepoint=0x10000), min_size=1, max_size=4),
    st.sampled_from(
        [
            "\U0001f469\u200d\U0001f4bb",
            "\U0001f44d\U0001f3fd",
            "\u2764\ufe0f",
            "\U0001f3f4\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f",
            "\u202eSome analysts suggest it may last.\u202c ",
            "\u05e9\u05dc\u05d5\u05dd. ",
            "\u0645\u0631\u062d\u0628\u0627\u061f ",
            "e\u0301\u0302\u0303",
        ]
    ),
)
# Any text without lone surrogates: pieces of markup, tricky Unicode and arbitrary characters.
TEXTS: st.SearchStrategy[str] = st.lists(
    st.one_of(_MORE_UNICODE, MARKUP_DOCUMENTS, SEGMENT_TEXTS, st.text(max_size=20)), max_size=8
).map("".join)
LONE_SURROGATES = st.characters(categories=["Cs"])


def options_strategy(model: Model) -> st.SearchStrategy[ScoreOptions]:
    """Return options with any format, signal subset, threshold overrides and explain flag."""
    return st.builds(
        ScoreOptions,
        format=st.sampled_from(FORMATS),
        signals=st.none() | st.lists(st.sampled_from(model.signals), min_size=1).map(tuple),
        explain=st.booleans(),
        thresholds=st.dictionaries(st.sampled_from(model.signals), st.floats(0.0, 1.0)),
    )


def post_score(app: Flask, payload: dict[str, Any]) -> TestResponse:
    """POST payload to /score as a client would (json.dumps escapes non-ASCII, astral as pairs)."""
    return app.test_client().post("/score", data=json.dumps(payload), content_type=JSON)


def run_cli(model_dir: Path, stdin: bytes, args: list[str]) -> Result:
    """Run `misinfo-signals score -` in-process on stdin."""
    return CliRunner().invoke(score, ["-", "--model-dir", str(model_dir), *args], input=stdin)


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=EXAMPLES, deadline=None)
@given(text=TEXTS)
def test_every_score_is_a_float_in_zero_one(tiny_model: Model, fmt: Format, text: str) -> None:
    for sentence in score_document(tiny_model, text, ScoreOptions(format=fmt)).sentences:
        assert list(sentence.scores) == list(tiny_model.signals)
        for value in sentence.scores.values():
            assert type(value) is float
            assert 0.0 <= value <= 1.0


@pytest.mark.parametrize("fmt", FORMATS)
@settings(max_examples=EXAMPLES, deadline=None)
@given(text=TEXTS, data=st.data())
def test_flags_are_exactly_the_signals_at_or_over_their_threshold(
    tiny_model: Model, fmt: Format, text: str, data: st.DataObject
) -> None:
    overrides = data.draw(st.dictionaries(st.sampled_from(tiny_model.signals), st.floats(0, 1)))
    result = score_document(tiny_model, text, ScoreOptions(format=fmt, thresholds=overrides))
    assert result.thresholds == {**tiny_model.thresholds, **overrides}
    for sentence in result.sentences:
        expected = [s for s in result.signals if sentence.scores[s] >= result.thresholds[s]]
        assert sentence.flags == expected


@settings(max_examples=EXAMPLES, deadline=None)
@given(text=TEXTS, data=st.data())
def test_scoring_the_same_text_twice_gives_the_same_result(
    tiny_model: Model, text: str, data: st.DataObject
) -> None:
    options = data.draw(options_strategy(tiny_model))
    assert score_document(tiny_model, text, options) == score_document(tiny_model, text, options)


@settings(max_examples=EXAMPLES, deadline=None)
@given(texts=st.lists(TEXTS, min_size=2, max_size=5), data=st.data())
def test_a_document_scores_the_same_inside_a_batch_as_alone(
    tiny_model: Model, texts: list[str], data: st.DataObject
) -> None:
    options = data.draw(options_strategy(tiny_model))
    alone = [score_document(tiny_model, text, options) for text in texts]
    assert score_documents(tiny_model, texts, options) == alone


@settings(max_examples=60, deadline=None)
@given(
    text=TEXTS.filter(bool),
    fmt=st.sampled_from(FORMATS),
    explain=st.booleans(),
    signals=st.none() | st.lists(st.sampled_from(("hedging", "no_evidence")), min_size=1),
)
def test_cli_prints_exactly_the_body_post_score_returns(
    rel_app: Flask,
    tiny_model_dir: Path,
    text: str,
    fmt: Format,
    explain: bool,
    signals: list[str] | None,
) -> None:
    payload: dict[str, Any] = {"text": text, "format": fmt, "explain": explain}
    args = ["--format", fmt, *(["--explain"] if explain else [])]
    if signals is not None:
        payload["signals"] = signals
        args += ["--signals", ",".join(signals)]
    response = post_score(rel_app, payload)
    assert response.status_code == 200, response.get_data(as_text=True)
    result = run_cli(tiny_model_dir, text.encode("utf-8"), args)
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == response.get_data()


@settings(max_examples=EXAMPLES, deadline=None)
@given(before=TEXTS, surrogate=LONE_SURROGATES, after=TEXTS, fmt=st.sampled_from(FORMATS))
def test_lone_surrogate_in_text_is_a_422_naming_text(
    rel_app: Flask, before: str, surrogate: str, after: str, fmt: Format
) -> None:
    response = post_score(rel_app, {"text": before + surrogate + after, "format": fmt})
    assert response.status_code == 422, response.get_data(as_text=True)
    problem = json.loads(response.get_data())
    assert problem["errors"] == {
        "text": ["Must not contain unpaired surrogates (U+D800 to U+DFFF)."]
    }


@settings(max_examples=EXAMPLES, deadline=None)
@given(good=TEXTS.filter(bool), before=TEXTS, surrogate=LONE_SURROGATES)
def test_lone_surrogate_fails_only_its_own_batch_document(
    rel_app: Flask, good: str, before: str, surrogate: str
) -> None:
    documents = [{"id": "bad", "text": before + surrogate}, {"id": "good", "text": good}]
    response = rel_app.test_client().post(
        "/score/batch", data=json.dumps({"documents": documents}), content_type=JSON
    )
    assert response.status_code == 200, response.get_data(as_text=True)
    bad, scored = json.loads(response.get_data())["results"]
    assert bad["error"]["status"] == 422
    assert set(bad["error"]["errors"]) == {"text"}
    alone = json.loads(post_score(rel_app, {"text": good}).get_data())
    assert scored == {"id": "good", **alone}


@settings(max_examples=EXAMPLES, deadline=None)
@given(before=TEXTS, surrogate=LONE_SURROGATES, after=TEXTS)
def test_cli_refuses_a_lone_surrogate_as_invalid_utf8(
    tiny_model_dir: Path, before: str, surrogate: str, after: str
) -> None:
    # The nearest bytes to a lone surrogate: its UTF-8-style encoding, which UTF-8 forbids.
    raw = (before + surrogate + after).encode("utf-8", "surrogatepass")
    offset = len(before.encode("utf-8"))
    result = run_cli(tiny_model_dir, raw, [])
    assert result.exit_code == 2
    assert result.stdout_bytes == b""
    assert (
        result.stderr
        == f"error: -: not valid UTF-8 (byte 0x{raw[offset]:02x} at offset {offset})\n"
    )
