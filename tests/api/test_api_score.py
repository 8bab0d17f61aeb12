"""POST /score and POST /score/batch: the contract, offsets and options."""

from __future__ import annotations

import json
from typing import Any

import pytest
from api_helpers import JSON, MakeApp, Post, assert_problem, body
from flask.testing import FlaskClient

import service.api.score as score_module
from service.core.model import Model
from service.core.scoring import ScoreOptions, score_document, score_documents

ARTICLE = (
    "A senior official said the convoy was turned back. The museum opened in 1928.\n\n"
    "Russia provided no evidence to support its claims. The storm may have caused the outage."
)

OFFSET_TEXTS = {
    "emoji": "Officials said 🚀 launched. 👍🏽 The museum opened in 1928! Is it 🎉? Yes.",
    "cjk": "据报道，会谈已经停止。官员说车队被拦下了！The council met on Tuesday.",
    "crlf": "The council met.\r\nIt was reported that he quit.\r\n\r\nThe museum opened.",
    "combining": "Café\u0301 owners said prices rose. Ñandú farms may close.",
    "nbsp and tabs": "\tThe council met.\u00a0 Some analysts suggest it may last.  ",
    "abbreviations": "Dr. Lee met U.S. officials on Jan. 5 at 3.5 p.m. in Washington. They left.",
    "quotes": "He said “it was over.” Then he left. ‘Maybe,’ she said.",
}


def scored(post_json: Post, payload: dict[str, Any]) -> dict[str, Any]:
    """POST /score and return the 200 body."""
    response = post_json("/score", payload)
    assert response.status_code == 200, response.get_data(as_text=True)
    result: dict[str, Any] = response.get_json()
    return result


def test_score_returns_the_documented_shape(post_json: Post, tiny_model: Model) -> None:
    result = scored(post_json, {"text": ARTICLE})
    assert set(result) == {"model", "signals", "sentences", "summary"}
    assert result["model"] == {"name": tiny_model.name, "version": tiny_model.version}
    assert result["signals"] == list(tiny_model.signals)
    assert [s["index"] for s in result["sentences"]] == list(range(4))
    for sentence in result["sentences"]:
        assert set(sentence) == {"index", "start", "end", "text", "scores", "flags"}
        assert set(sentence["scores"]) == set(tiny_model.signals)
        assert all(0.0 <= v <= 1.0 for v in sentence["scores"].values())


def test_response_is_compact_utf8_json_ending_in_a_newline(client: FlaskClient) -> None:
    response = client.post("/score", data=body({"text": "Café owners met."}), content_type=JSON)
    assert response.mimetype == JSON
    raw = response.get_data()
    assert raw.endswith(b"}\n")
    assert "Café".encode() in raw


@pytest.mark.parametrize("text", list(OFFSET_TEXTS.values()), ids=list(OFFSET_TEXTS))
def test_offsets_are_code_points_into_the_submitted_text(post_json: Post, text: str) -> None:
    result = scored(post_json, {"text": text, "explain": True, "thresholds": {"hedging": 0.0}})
    assert result["sentences"]
    previous_end = 0
    for sentence in result["sentences"]:
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        assert sentence["start"] >= previous_end
        previous_end = sentence["end"]
        for evidence in sentence["evidence"]:
            assert text[evidence["start"] : evidence["end"]] == evidence["text"]
            assert sentence["start"] <= evidence["start"] < evidence["end"] <= sentence["end"]


@pytest.mark.parametrize(
    ("text_format", "text"),
    [
        ("markdown", "# Title here\n\nSome analysts *suggest* it [may](http://x.test) last.\n"),
        ("html", "<p>Some analysts <b>suggest</b> it may last.</p><script>var a = 1;</script>"),
    ],
)
def test_markup_offsets_index_the_original_text(
    post_json: Post, text_format: str, text: str
) -> None:
    result = scored(post_json, {"text": text, "format": text_format})
    assert result["sentences"]
    for sentence in result["sentences"]:
        assert text[sentence["start"] : sentence["end"]] == sentence["text"]
        assert "var a" not in sentence["text"]


def test_signals_option_scores_only_those_in_model_order(post_json: Post) -> None:
    result = scored(post_json, {"text": ARTICLE, "signals": ["hedging", "anonymous_sourcing"]})
    assert result["signals"] == ["anonymous_sourcing", "hedging"]
    assert all(set(s["scores"]) == {"anonymous_sourcing", "hedging"} for s in result["sentences"])
    assert set(result["summary"]["max_scores"]) == {"anonymous_sourcing", "hedging"}


@pytest.mark.parametrize(("threshold", "flagged"), [(0.0, True), (1.0, False)])
def test_threshold_override_decides_the_flags(
    post_json: Post, threshold: float, flagged: bool
) -> None:
    text = "The museum opened in 1928."
    result = scored(post_json, {"text": text, "thresholds": {"hedging": threshold}})
    sentence = result["sentences"][0]
    assert ("hedging" in sentence["flags"]) is (flagged or sentence["scores"]["hedging"] >= 1.0)


def test_flags_use_the_model_thresholds_by_default(post_json: Post, tiny_model: Model) -> None:
    for sentence in scored(post_json, {"text": ARTICLE})["sentences"]:
        expected = [
            s for s in tiny_model.signals if sentence["scores"][s] >= tiny_model.thresholds[s]
        ]
        assert sentence["flags"] == expected


def test_explain_adds_evidence_only_when_asked(post_json: Post) -> None:
    plain = scored(post_json, {"text": ARTICLE})
    explained = scored(post_json, {"text": ARTICLE, "explain": True})
    assert all("evidence" not in s for s in plain["sentences"])
    assert all("evidence" in s for s in explained["sentences"])
    flagged = [s for s in explained["sentences"] if s["flags"]]
    assert any(s["evidence"] for s in flagged)
    for sentence in explained["sentences"]:
        assert {e["signal"] for e in sentence["evidence"]} <= set(sentence["flags"])


def test_summary_counts_agree_with_the_sentences(post_json: Post) -> None:
    result = scored(post_json, {"text": ARTICLE})
    sentences, summary = result["sentences"], result["summary"]
    assert summary["sentence_count"] == len(sentences)
    assert summary["flagged_sentence_count"] == sum(1 for s in sentences if s["flags"])
    for signal in result["signals"]:
        assert summary["max_scores"][signal] == max(s["scores"][signal] for s in sentences)
        assert summary["flag_counts"][signal] == sum(signal in s["flags"] for s in sentences)


def test_whitespace_only_text_has_no_sentences(post_json: Post) -> None:
    result = scored(post_json, {"text": " \n\t "})
    assert result["sentences"] == []
    assert result["summary"]["sentence_count"] == 0


def test_text_at_the_length_limit_is_accepted(make_app: MakeApp) -> None:
    client = make_app(MAX_CHARS=30).test_client()
    response = client.post("/score", data=body({"text": "é" * 30}), content_type=JSON)
    assert response.status_code == 200


def test_api_matches_the_core(post_json: Post, tiny_model: Model) -> None:
    options = ScoreOptions(explain=True, thresholds={"hedging": 0.3})
    expected = score_document(tiny_model, ARTICLE, options).to_dict()
    result = scored(post_json, {"text": ARTICLE, "explain": True, "thresholds": {"hedging": 0.3}})
    assert result == json.loads(json.dumps(expected))


# -- batch ------------------------------------------------------------------------------------


def test_batch_scores_each_document_like_score(post_json: Post) -> None:
    documents: list[dict[str, Any]] = [
        {"id": "a", "text": ARTICLE},
        {"id": "b", "text": OFFSET_TEXTS["emoji"], "explain": True},
        {"id": "c", "text": OFFSET_TEXTS["cjk"], "signals": ["hedging"]},
    ]
    response = post_json("/score/batch", {"documents": documents})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["id"] for r in results] == ["a", "b", "c"]
    for document, result in zip(documents, results, strict=True):
        single = {k: v for k, v in document.items() if k != "id"}
        assert {k: v for k, v in result.items() if k != "id"} == scored(post_json, single)


def test_batch_bad_document_fails_alone(post_json: Post) -> None:
    documents: list[Any] = [
        {"id": "good", "text": ARTICLE},
        {"id": "bad", "text": ""},
        {"id": "unknown-signal", "text": "Fine.", "signals": ["astrology"]},
        {"text": "no id"},
        "not an object",
        {"id": 7, "text": "numeric id"},
        {"id": "also-good", "text": "The museum opened in 1928."},
    ]
    response = post_json("/score/batch", {"documents": documents})
    assert response.status_code == 200
    results = response.get_json()["results"]
    assert [r["id"] for r in results] == [
        "good",
        "bad",
        "unknown-signal",
        None,
        None,
        None,
        "also-good",
    ]
    assert "sentences" in results[0]
    assert "sentences" in results[6]
    expected_fields = [None, "text", "signals.0", "id", "_body", "id", None]
    for result, field in zip(results, expected_fields, strict=True):
        if field is None:
            assert "error" not in result
            continue
        error = result["error"]
        assert error["status"] == 422
        assert error["type"].endswith("/validation-error")
        assert field in error["errors"]


def test_batch_scores_equal_options_in_one_core_call(
    post_json: Post, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = score_documents

    def counting(model: Model, texts: list[str], options: ScoreOptions | None = None) -> Any:
        calls.append(len(texts))
        return real(model, texts, options)

    monkeypatch.setattr(score_module, "score_documents", counting)
    documents: list[dict[str, Any]] = [
        {"id": str(n), "text": f"Officials said {n} ships left."} for n in range(5)
    ]
    documents.append({"id": "explained", "text": "It may rain.", "explain": True})
    response = post_json("/score/batch", {"documents": documents})
    assert response.status_code == 200
    assert sorted(calls) == [1, 5]


def test_batch_accepts_exactly_max_batch_documents(make_app: MakeApp) -> None:
    client = make_app(MAX_BATCH=3).test_client()
    documents = [{"id": str(n), "text": "The council met."} for n in range(3)]
    response = client.post("/score/batch", data=body({"documents": documents}), content_type=JSON)
    assert response.status_code == 200
    assert len(response.get_json()["results"]) == 3


def test_batch_duplicate_ids_name_both_positions(post_json: Post) -> None:
    documents = [{"id": "x", "text": "One."}, {"id": "y", "text": "Two."}, {"id": "x", "text": "3"}]
    problem = assert_problem(
        post_json("/score/batch", {"documents": documents}), 422, "validation-error"
    )
    assert problem["errors"] == {
        "documents.2.id": ["Duplicate id 'x'; documents.0 uses it already."]
    }
